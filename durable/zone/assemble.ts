/**
 * Builds a zone's parts for its Durable Object (zone.ts): the store, sessions, character writer
 * and roster, the host, and the desks that reach other objects (hand-offs, parties), each given the
 * links it needs to the realm's directory and the other zones. Only wiring: no rule lives here.
 */
import { issueTicket } from "../../shared/auth/ticket";
import { directoryObjectName, readRealmConfig, zoneObjectName } from "../../shared/config";
import { readDatabaseSettings } from "../../shared/db/client";
import { createLogger } from "../../shared/log";
import type { CharacterSnapshot } from "../../shared/protocol/character";
import type { ServerMessage } from "../../shared/protocol/messages";
import { AuditWriter } from "./audit";
import { ZoneCadence } from "./cadence";
import { CharacterWriter } from "./character-writes";
import { ZoneContentDesk } from "./content";
import type { ZoneExits } from "./departure";
import { SocketGuards } from "./flood";
import { HandOffs } from "./handoff";
import { ZoneHost } from "./host";
import { PartyDesk } from "./party";
import { adoptVersion } from "./players";
import { ZoneQuarantine } from "./quarantine";
import { CharacterRoster } from "./roster";
import { SessionTable } from "./sessions";
import { portFor } from "./socket-port";
import { ZoneStore } from "./store";
import { TransferLog } from "./transfers";

export interface ZoneParts {
  host: ZoneHost;
  handoffs: HandOffs;
  exits: ZoneExits;
  directory: () => ReturnType<Cloudflare.Env["DIRECTORY"]["getByName"]>;
  /** The content pack the zone runs and its reloads (content.ts). */
  content: ZoneContentDesk;
}

/** `tellHere` sends a party message to characters of this very zone (no RPC to itself). */
export function assembleZone(
  ctx: DurableObjectState,
  env: Cloudflare.Env,
  tellHere: (characterIds: string[], message: ServerMessage) => number,
): ZoneParts {
  const config = readRealmConfig(env);
  const log = createLogger(config.logLevel, { component: "zone" });
  let database: ReturnType<typeof readDatabaseSettings>;
  try {
    database = readDatabaseSettings(env);
  } catch (cause) {
    log.log("error", "zone.database_misconfigured", { cause: String(cause) });
  }
  const store = new ZoneStore(ctx.storage);
  const sessions = new SessionTable(ctx.getWebSockets().map(portFor));
  const quarantine = new ZoneQuarantine(store.db, log, () => host.snapshot?.zoneId ?? "");
  const roster = new CharacterRoster(store.db, quarantine);
  const writer = new CharacterWriter(store.db, database, log, quarantine, (id, version) => {
    adoptVersion(sessions, id, version);
    roster.adoptVersion(id, version);
  });
  const directory = () => env.DIRECTORY.getByName(directoryObjectName(config.realm));
  const zone = (zoneId: string) => env.ZONES.getByName(zoneObjectName(config.realm, zoneId));
  const host: ZoneHost = new ZoneHost({
    config,
    store,
    sessions,
    log,
    guards: new SocketGuards(log),
    writer,
    audits: new AuditWriter(store.db, database, log, quarantine),
    roster,
    quarantine,
    transfers: new TransferLog(store.db, quarantine),
    report: async (r) => {
      // The answer names the realm's published content version: a zone that missed a publish catches up.
      const answer = await directory().report(r);
      if (answer && answer.contentVersion > content.stored.version()) void content.catchUp();
    },
    releaseCharacter: async (id) => {
      await directory().releaseCharacter(id, host.zoneId);
    },
  });
  const handoffs = new HandOffs(
    host,
    {
      zone,
      ticket: (character, zoneId) => ticketFor(env.JWT_SECRET, character, zoneId),
      place: (characterId, zoneId) => directory().placeCharacter(characterId, zoneId),
      route: (zoneId, privateFor) => directory().route(zoneId, privateFor),
      releaseCharacter: (characterId) => directory().releaseCharacter(characterId, host.zoneId),
      releaseSlot: () => directory().release(host.zoneId),
      sleep: () => host.sleep(),
    },
    log,
  );
  host.handoffs = handoffs;
  host.parties = new PartyDesk(
    host,
    {
      partyOf: (id) => directory().partyOf(id),
      invite: (from, to) => directory().partyInvite(from, to),
      accept: (who) => directory().partyAccept(who),
      leave: (id) => directory().partyLeave(id),
      tell: (zoneId, ids, message) =>
        zoneId === host.zoneId ? Promise.resolve(tellHere(ids, message)) : zone(zoneId).tellCharacters(ids, message),
    },
    log,
  );
  host.cadence = new ZoneCadence(ctx.storage, {
    tick: (now) => host.advance(now),
    flush: (now) => host.flush(now),
    nextTickAt: () => host.snapshot.clock.lastTargetAt + 1000 / host.tickRateHz,
    occupied: () => sessions.size > 0,
  });
  const content = new ZoneContentDesk(ctx.storage, host, log, (have) => directory().contentSince(have));
  return { host, handoffs, exits: { directory, sleep: () => host.sleep() }, directory, content };
}

/** A play ticket for a character handed over to `zoneId`, bound to its login; none without accounts. */
async function ticketFor(secret: string | undefined, character: CharacterSnapshot, zoneId: string) {
  if (!secret) return undefined;
  const { id: characterId, accountId, fam } = character;
  // The snapshot rides in the signed ticket, so the gateway need not read Postgres (docs/decisions.md D29).
  const subject = { accountId, characterId, zone: zoneId, character: { ...character }, ...(fam ? { fam } : {}) };
  return (await issueTicket(subject, secret, Math.floor(Date.now() / 1000))).ticket;
}
