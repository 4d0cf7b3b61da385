/**
 * Handing characters over between zones (docs/architecture.md, "Travel and hand-off"):
 *
 * 1. The source takes the character out of its world and, in one SQLite transaction, records the
 *    traveller (everything it had, and the Postgres write it still owed) and forgets it: from here
 *    the character exists only in that record.
 * 2. The source sends the traveller to the target (typed RPC, idempotent by transfer id), retrying
 *    with exponential backoff and jitter. The target places it in its world, takes over the owed
 *    write and records the transfer id, in one transaction, and says yes; or refuses (a zone that
 *    does not take it), and the source puts the character back where it was and says why.
 * 3. On yes, the source drops its record and tells the client where to go, with a fresh ticket.
 *
 * A target that does not answer leaves the record in place: it is sent again from the zone's
 * flush or alarm until the target answers, so a transfer always resolves to exactly one place.
 */
import type { CharacterState } from "../../shared/db/characters";
import { SOURCE_LANGUAGE } from "../../shared/i18n/languages";
import { type Message, renderParam, t, translate } from "../../shared/i18n/translate";
import type { Logger } from "../../shared/log";
import type { CharacterSnapshot } from "../../shared/protocol/character";
import { TRAVELLED_CLOSE_CODE } from "../../shared/protocol/messages";
import { type Departure, readTraveller, type Traveller, writeTraveller } from "../../shared/world/traveller";
import type { ZoneHost } from "./host";
import { currentState } from "./players";
import { send } from "./sessions";

/** A target's answer: taken (also for a traveller it took before), or refused for good with a reason. */
export type AcceptResult = { ok: true } | { ok: false; reason: string };

/** Attempts made at once before the transfer waits for the zone's next flush or alarm. */
const QUICK_ATTEMPTS = 5;
const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 30_000;

/** What a hand-off needs beyond the zone's host. */
export interface HandOffLinks {
  /** The zone object of `zoneId` in this realm. */
  zone(zoneId: string): { acceptTraveller(payload: unknown): Promise<AcceptResult> };
  /** A fresh play ticket for the character, bound to its login, that lands in `zoneId` (undefined without accounts). */
  ticket(character: CharacterSnapshot, zoneId: string): Promise<string | undefined>;
  /** Records in the realm directory where the character lives now. */
  place(characterId: string, zoneId: string): Promise<void>;
  /**
   * Which zone (or instance of it) a traveller into `zoneId` goes to (directory.route); with
   * `privateFor`, the private instance of that character's party.
   */
  route(zoneId: string, privateFor?: string): Promise<string>;
  /** The source's live session of the character ended (see directory.releaseCharacter). */
  releaseCharacter(characterId: string): Promise<void>;
  /** A session slot of this zone is free again (see directory.release). */
  releaseSlot(): Promise<void>;
  sleep(): Promise<void>;
}

/** Exponential backoff with full jitter: attempt 0 waits up to 100 ms, then 200, 400… up to 30 s. */
export function backoffMs(attempt: number, random: () => number): number {
  const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

export class HandOffs {
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly host: ZoneHost,
    private readonly links: HandOffLinks,
    private readonly log: Logger,
  ) {}

  /** Starts the hand-off of each departing player (called right after the tick that decided it). */
  begin(departures: readonly Departure[]): void {
    for (const departure of departures) {
      try {
        this.beginOne(departure);
      } catch (cause) {
        this.log.log("error", "travel.begin_failed", { zone: this.host.zoneId, cause: String(cause) });
      }
    }
  }

  /** Sends every transfer that is due again (after a crash, or a target that did not answer). */
  retryDue(now: number): void {
    for (const id of this.host.transfers.due(now)) void this.deliver(id);
  }

  /** The target's side: takes a traveller once, however often it is sent. */
  accept(payload: unknown): AcceptResult {
    const host = this.host;
    const read = readTraveller(payload);
    if (!read.ok) return { ok: false, reason: `unreadable traveller: ${read.error}` };
    const traveller = read.value;
    if (host.transfers.hasArrived(traveller.transferId)) return { ok: true };
    if (traveller.to.zoneId !== host.zoneId) {
      return { ok: false, reason: `this is ${host.zoneId}, not ${traveller.to.zoneId}` };
    }
    if (!host.engine.holdsCharacters) return { ok: false, reason: `${host.zoneId} is only a place to talk` };
    const now = Date.now();
    const { character } = traveller;
    const outcome = host.engine.arrive(traveller);
    const placed = host.engine.characterOf({
      sessionId: `arrival-${traveller.transferId}`,
      playerId: character.id,
      name: character.name,
      character,
      gm: false,
    });
    const here = { ...(placed ?? character), zoneId: host.zoneId };
    const state = currentState({ character: here, connectedAt: now }, now);
    try {
      host.store.transaction(() => {
        host.saveEngineNow(now);
        host.transfers.recordArrival(traveller.transferId, character.id, now);
        if (state) takeOverWrite(host, traveller, state, now);
      });
    } catch (cause) {
      // Nothing was committed: the world in memory must not keep what the disk does not (the source resends).
      host.engine.depart(character.id);
      throw cause;
    }
    host.apply({ ...outcome, critical: false });
    this.log.log("info", "travel.arrived", { zone: host.zoneId, characterId: character.id, from: traveller.from });
    void this.links.place(character.id, host.zoneId).catch(() => {});
    void host.writer.drain(now).then(() => (host.sessions.size === 0 ? this.links.sleep() : undefined));
    return { ok: true };
  }

  /** The character the session plays is travelling from here and its hand-off is still owed. */
  owedFor(characterId: string): Traveller | undefined {
    return this.host.transfers.outboundFor(characterId);
  }

  /** Sends the transfer until the target answers (or until the quick attempts are used up). */
  async deliver(transferId: string): Promise<"taken" | "refused" | "pending" | "gone"> {
    if (this.inFlight.has(transferId)) return "pending";
    this.inFlight.add(transferId);
    try {
      const owed = this.host.transfers.get(transferId);
      if (!owed) return "gone";
      let { traveller } = owed;
      if (!traveller.routed) {
        // Asked once, before any attempt, and recorded: a resend never goes to another instance.
        const privateFor = traveller.to.instance === "party" ? traveller.character.id : undefined;
        const zoneId = await this.links.route(traveller.to.zoneId, privateFor).catch(() => traveller.to.zoneId);
        traveller = { ...traveller, to: { ...traveller.to, zoneId }, routed: true };
        this.host.transfers.reroute(transferId, traveller);
      }
      for (let attempt = 0; attempt < QUICK_ATTEMPTS; attempt++) {
        let result: AcceptResult;
        try {
          result = await this.links.zone(traveller.to.zoneId).acceptTraveller(writeTraveller(traveller));
        } catch (cause) {
          this.log.log("warn", "travel.retry", { zone: this.host.zoneId, transferId, attempt, cause: String(cause) });
          await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, Math.random)));
          continue;
        }
        if (result.ok) {
          await this.finish(traveller);
          return "taken";
        }
        try {
          this.giveBack(traveller, result.reason);
        } catch (cause) {
          // Not given back on disk: the transfer stays owed and is tried again later.
          this.log.log("error", "travel.give_back_failed", {
            zone: this.host.zoneId,
            transferId,
            cause: String(cause),
          });
          this.host.transfers.retryLater(
            transferId,
            owed.attempts + 1,
            Date.now() + backoffMs(owed.attempts + 1, Math.random),
          );
          return "pending";
        }
        return "refused";
      }
      const attempts = owed.attempts + QUICK_ATTEMPTS;
      this.host.transfers.retryLater(transferId, attempts, Date.now() + backoffMs(attempts, Math.random));
      this.tell(traveller.character.id, t("travel.waiting", { zone: traveller.to.zoneId }));
      return "pending";
    } finally {
      this.inFlight.delete(transferId);
    }
  }

  private beginOne({ playerId, to }: Departure): void {
    const host = this.host;
    const ports = host.sessions.socketsOf(playerId);
    const session = ports.map((port) => host.sessions.get(port)).find((s) => s?.character);
    if (!session?.character) {
      this.guestLeaves(playerId, to.zoneId);
      return;
    }
    const now = Date.now();
    const view = host.withCharacterView(session).character as CharacterSnapshot;
    const carried = host.engine.depart(playerId);
    if (!carried) return;
    const state = currentState({ ...session, character: view }, now);
    const character = { ...view, ...(state ? { playSeconds: state.playSeconds } : {}) };
    const traveller: Traveller = {
      transferId: crypto.randomUUID(),
      from: host.zoneId,
      to,
      departedAt: now,
      character,
      carried,
      write: null,
    };
    try {
      host.store.transaction(() => {
        const owed = host.writer.handOver(character.id);
        // The version the next write expects travels with it: the owed write's, else the session's.
        const next = {
          ...traveller,
          write: owed,
          character: { ...character, version: owed?.version ?? character.version },
        };
        host.transfers.record(next, now);
        host.roster.remove(character.id);
        host.saveEngineNow(now);
      });
    } catch (cause) {
      // Nothing was committed: the character never left. Back where it stood, with everything.
      host.apply(
        host.engine.arrive({ ...traveller, to: { zoneId: host.zoneId, place: character.roomId ?? undefined } }),
      );
      for (const port of ports) {
        const s = host.sessions.get(port);
        if (!s?.helloed) continue;
        send(port, {
          type: "info",
          text: translate(s.language ?? SOURCE_LANGUAGE, "travel.failed", { zone: to.zoneId }),
        });
        host.apply(host.engine.admit(host.engineSession(s)));
      }
      throw cause;
    }
    this.log.log("info", "travel.departed", { zone: host.zoneId, characterId: character.id, to: to.zoneId });
    void this.deliver(traveller.transferId);
  }

  /**
   * The target took the traveller: this zone forgets it and sends its client on with a fresh ticket.
   * Its sessions stop being sessions here in the same turn as the transfer record goes: the record
   * is what keeps this zone from queueing writes for the character (`CharacterWriter.enqueue`), and
   * a session left behind while the ticket is signed would be written back by the next 10 s pass
   * (or its close) with an older state than the target's.
   */
  private async finish(traveller: Traveller): Promise<void> {
    const host = this.host;
    const { character, to } = traveller;
    const ports = host.sessions.socketsOf(character.id);
    for (const port of ports) {
      const session = host.sessions.get(port);
      host.sessions.delete(port);
      host.guards.forget(port, { zone: host.zoneId, sessionId: session?.sessionId }, Date.now());
      if (session) host.apply(host.engine.release(host.engineSession(session), true));
    }
    host.transfers.remove(traveller.transferId);
    const ticket = await this.links.ticket(character, to.zoneId).catch((cause) => {
      this.log.log("error", "travel.ticket_failed", { zone: host.zoneId, cause: String(cause) });
      return undefined;
    });
    await this.links.releaseCharacter(character.id).catch(() => {});
    for (const port of ports) {
      send(port, {
        type: "travel",
        zone: to.zoneId,
        ...(ticket ? { ticket } : { reason: "no tickets without accounts" }),
      });
      port.close(TRAVELLED_CLOSE_CODE, "travelled");
      await this.links.releaseSlot().catch(() => {});
    }
    this.log.log("info", "travel.handed_over", {
      zone: host.zoneId,
      characterId: character.id,
      to: to.zoneId,
      ms: Date.now() - traveller.departedAt,
    });
    if (host.sessions.size === 0) await this.links.sleep();
  }

  /** The target refused: the character is back where it stood, with everything, and told why. */
  private giveBack(traveller: Traveller, reason: string): void {
    const host = this.host;
    const { character } = traveller;
    const now = Date.now();
    const back: Traveller = {
      ...traveller,
      to: { zoneId: host.zoneId, ...(character.roomId ? { place: character.roomId } : {}) },
    };
    const outcome = host.engine.arrive(back);
    const restore = () => {
      const state = currentState({ character, connectedAt: now }, now);
      if (state) takeOverWrite(host, traveller, state, now);
      host.roster.admit(character, now);
      host.transfers.remove(traveller.transferId);
      host.saveEngineNow(now);
    };
    try {
      host.store.transaction(restore);
    } catch (cause) {
      // Still only in the transfer record on disk: the world in memory must not hold a second copy.
      host.engine.depart(character.id);
      throw cause;
    }
    host.apply({ ...outcome, critical: false });
    this.log.log("warn", "travel.refused", {
      zone: host.zoneId,
      characterId: character.id,
      to: traveller.to.zoneId,
      reason,
    });
    for (const port of host.sessions.socketsOf(character.id)) {
      const session = host.sessions.get(port);
      if (!session?.helloed) continue;
      const text = translate(session.language ?? SOURCE_LANGUAGE, "travel.refused", {
        zone: traveller.to.zoneId,
        reason,
      });
      send(port, { type: "info", text });
      host.apply(host.engine.admit(host.engineSession(session)));
    }
  }

  /** A guest has no character to hand over: it leaves as at logout and is told where to connect as a guest. */
  private guestLeaves(playerId: string, zoneId: string): void {
    const host = this.host;
    for (const port of host.sessions.socketsOf(playerId)) {
      const session = host.sessions.get(port);
      host.sessions.delete(port);
      host.guards.forget(port, { zone: host.zoneId, sessionId: session?.sessionId }, Date.now());
      if (session) host.apply(host.engine.release(host.engineSession(session), true));
      send(port, { type: "travel", zone: zoneId });
      port.close(TRAVELLED_CLOSE_CODE, "travelled");
      void this.links.releaseSlot().catch(() => {});
    }
    if (host.sessions.size === 0) void this.links.sleep();
  }

  /** Tells every greeted session of the character something about its journey, each in its language. */
  private tell(characterId: string, message: Message): void {
    for (const port of this.host.sessions.socketsOf(characterId)) {
      const language = this.host.sessions.get(port)?.language ?? SOURCE_LANGUAGE;
      send(port, { type: "info", text: renderParam(language, message) });
    }
  }
}

/**
 * This zone now owes the traveller's Postgres write: the one the source handed over, or (none was
 * owed) a write of `state` on top of the version the character had.
 */
function takeOverWrite(host: ZoneHost, traveller: Traveller, state: CharacterState, now: number): void {
  const { character } = traveller;
  host.writer.takeOver(character.id, traveller.write ?? { version: character.version, sentStates: [] }, state, now);
}
