/**
 * What other objects may ask a zone to do beyond its sockets (zone.ts exposes each over RPC): the
 * admin API's teleport, drain and instance close, and a party message from another zone. Each goes
 * through the zone's own machinery (the hand-off, the host), never around it.
 */
import { baseZoneOf } from "../../shared/config";
import type { ServerMessage } from "../../shared/protocol/messages";
import type { Destination } from "../../shared/world/traveller";
import type { HandOffs } from "./handoff";
import type { ZoneHost } from "./host";

type Refusal = { ok: false; reason: string };

/** A GM teleport: the character playing here goes to `to` through the same hand-off as an exit. */
export function teleport(
  host: ZoneHost,
  handoffs: HandOffs,
  characterId: string,
  to: Destination,
): { ok: true } | Refusal {
  if (to.zoneId === host.zoneId) return { ok: false, reason: `${characterId} is already in ${to.zoneId}` };
  const playing = host.sessions.socketsOf(characterId).some((port) => host.sessions.get(port)?.helloed);
  if (!playing) return { ok: false, reason: `${characterId} does not play in ${host.zoneId}` };
  const owed = handoffs.owedFor(characterId);
  if (owed) return { ok: false, reason: `${characterId} is already on its way to ${owed.to.zoneId}` };
  handoffs.begin([{ playerId: characterId, to }]);
  return { ok: true };
}

/** Everyone playing here goes to `to` (a zone being emptied). */
export function drain(host: ZoneHost, handoffs: HandOffs, to: Destination): { moving: number } {
  if (to.zoneId === host.zoneId) return { moving: 0 };
  const players = new Set(host.sessions.helloed().map((s) => host.engineSession(s).playerId));
  handoffs.begin([...players].map((playerId) => ({ playerId, to })));
  return { moving: players.size };
}

/**
 * Closes this instance: everyone playing here goes to the zone it is an instance of, and it starts
 * over from its content as soon as it is empty and its world holds no character (one that logged
 * out inside keeps it until it comes back and leaves; docs/architecture.md, "Parties and instances").
 */
export function closeInstance(
  host: ZoneHost,
  handoffs: HandOffs,
): { ok: true; moving: number; residents: number } | Refusal {
  const base = baseZoneOf(host.zoneId);
  if (base === host.zoneId) return { ok: false, reason: `${host.zoneId} is not an instance` };
  const { moving } = drain(host, handoffs, { zoneId: base });
  // Marked empty since long ago: the first time it qualifies, it is discarded.
  host.snapshot = { ...host.snapshot, emptySince: 0 };
  return { ok: true, moving, residents: host.engine.residents() };
}

/** A party message for characters playing here (party.ts); returns how many sessions heard it. */
export function tellCharacters(host: ZoneHost, characterIds: string[], message: ServerMessage): number {
  let told = 0;
  for (const id of characterIds)
    for (const port of host.sessions.socketsOf(id))
      if (host.sessions.get(port)?.helloed) {
        port.send(message);
        told++;
      }
  return told;
}
