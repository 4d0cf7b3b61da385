/**
 * The realm directory: one Durable Object per realm (`<realm>:directory`). Today it admits
 * connections under the realm's cap, redeems play tickets once, tracks which zone holds each
 * character's live session and where each character's record lives, and gathers zone reports for
 * /metrics and the admin API (docs/admin.md); placement of zones and instances joins it later. Its counts and live sessions live in
 * memory: zones re-send exact numbers every couple of seconds, so an evicted directory heals
 * itself. Redeemed tickets and character placements are in its SQLite, since neither heals.
 */
import { DurableObject } from "cloudflare:workers";
import {
  baseZoneOf,
  instanceOf,
  type RealmConfig,
  readRealmConfig,
  ZONE_ID_PATTERN,
  zoneObjectName,
} from "../../shared/config";
import type { PackFile } from "../../shared/content/edit";
import type { RealmMetrics, ZoneReport } from "../../shared/metrics/report";
import { zoneCapacity } from "../../shared/zone/registry";
import { routedEnv } from "../cluster/routed-env";
import { type PublishedPack, StoredPack } from "./content";
import { InstanceRouter } from "./instances";
import { type Admission, admit, emptyLoad, type RealmLoad, release, report } from "./load";
import { Parties, type PartyMember } from "./parties";
import { PlacementTable } from "./placements";
import { TicketLedger } from "./tickets";
import { type ZoneLoad, zoneLoads } from "./zones";

export class DirectoryDurableObject extends DurableObject<Cloudflare.Env> {
  private readonly config: RealmConfig;
  private load: RealmLoad = emptyLoad();
  private readonly reports = new Map<string, ZoneReport>();
  private readonly tickets: TicketLedger;
  /** Splits crowded zones into instances (instances.ts); in memory, like the load it reads. */
  private readonly instances = new InstanceRouter();
  /** Parties, realm-wide and persisted (parties.ts). */
  private readonly parties: Parties;
  private readonly placements: PlacementTable;
  /** The content pack version the gateway last published, with its files (content.ts). */
  private readonly content: StoredPack;
  /** Which zone holds each character's live session (one session per character). */
  private readonly characterZones = new Map<string, string>();

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, routedEnv(env));
    this.config = readRealmConfig(env);
    this.tickets = new TicketLedger(ctx.storage);
    this.parties = new Parties(ctx.storage);
    this.placements = new PlacementTable(ctx.storage);
    this.content = new StoredPack(ctx.storage);
  }

  /**
   * RPC from this node before the directory moves to another node of a cluster (docs/selfhost.md):
   * what it keeps is written as it changes, so nothing is left to commit.
   */
  prepareToMove(): Record<string, never> {
    return {};
  }

  /** RPC from this node once the directory has moved: drops this instance (see the zone's). */
  abandon(): void {
    this.ctx.abort("the directory moved to another node");
  }

  /** RPC from the node the directory moved to. */
  wake(): Record<string, never> {
    return {};
  }

  /** Redeems a play ticket id: true once, false for every replay (persisted, so restarts don't reopen it). */
  redeemTicket(jti: string, expiresAtMs: number): boolean {
    return this.tickets.redeem(jti, expiresAtMs, Date.now());
  }

  /** Whether a ticket id was redeemed already; spends nothing. */
  isTicketRedeemed(jti: string): boolean {
    return this.tickets.isRedeemed(jti);
  }

  /** Un-spends a ticket whose redemption failed on the server's side (see TicketLedger.restore). */
  restoreTicket(jti: string): void {
    this.tickets.restore(jti);
  }

  /**
   * Records that `characterId` now plays in `zoneId` (and so lives there: its placement too);
   * returns the zone that held its live session before, if another.
   */
  claimCharacter(characterId: string, zoneId: string): string | null {
    const previous = this.characterZones.get(characterId);
    this.characterZones.set(characterId, zoneId);
    this.placements.place(characterId, zoneId, Date.now());
    return previous && previous !== zoneId ? previous : null;
  }

  /** Forgets the character's session if `zoneId` still holds it. */
  releaseCharacter(characterId: string, zoneId: string): void {
    if (this.characterZones.get(characterId) === zoneId) this.characterZones.delete(characterId);
  }

  /**
   * Records that `characterId`'s record lives in `zoneId` from now on, ahead of Postgres: a zone
   * sending a character on places it in the destination before the client reconnects, so
   * `GET /play` lands it there while the row still names the zone it left. Persisted.
   */
  placeCharacter(characterId: string, zoneId: string): void {
    // The gateway forwards to whatever is placed here: never store what is not a zone id.
    if (!ZONE_ID_PATTERN.test(zoneId)) {
      throw new RangeError(`placeCharacter: ${JSON.stringify(zoneId)} is not a zone id (ZONE_ID_PATTERN)`);
    }
    this.placements.place(characterId, zoneId, Date.now());
  }

  /** The zone `characterId` was last placed in (or claimed by), or null when never heard of. */
  whereIs(characterId: string): string | null {
    return this.placements.whereIs(characterId);
  }

  /**
   * The zone holding `characterId`'s live session, or null when it has none (in memory only: an
   * evicted directory forgets sessions until their zones claim them again). For the admin API.
   */
  liveZoneOf(characterId: string): string | null {
    return this.characterZones.get(characterId) ?? null;
  }

  /** Reserves a session slot in `zoneId`, or refuses with a reason fit for the player. */
  admit(zoneId: string): Admission {
    const result = admit(this.load, zoneId, this.config.maxConnections);
    this.load = result.load;
    if (result.admission.ok) this.instances.arrived(zoneId);
    return result.admission;
  }

  /**
   * Where a traveller into `zoneId` goes: the zone, or once it holds ZONE_INSTANCE_CAP players,
   * the first instance of it with room (instances.ts).
   */
  route(zoneId: string, privateFor?: string): string {
    // A private instance (an instanced exit): one per party, or per character when it has none.
    if (privateFor !== undefined) {
      const key = this.parties.partyOf(privateFor)?.partyId ?? privateFor;
      return instanceOf(baseZoneOf(zoneId), `p-${key.replace(/[^a-z0-9]/g, "").slice(0, 12)}`);
    }
    const playersIn = (id: string) => this.load.playersByZone[id] ?? 0;
    // The zone's own capacity from its content (an arena, a boss room), else the realm's.
    const cap = zoneCapacity(zoneId) ?? this.config.zoneInstanceCap;
    return this.instances.route(zoneId, cap, playersIn, Date.now());
  }

  /** The character's party and its members, each with the zone its live session is in (or null). */
  partyOf(characterId: string) {
    const party = this.parties.partyOf(characterId);
    return party && { partyId: party.partyId, members: this.withZones(party.members) };
  }

  /** `from` invites `to` into its party (parties.ts). */
  partyInvite(from: PartyMember, to: PartyMember) {
    const answer = this.parties.invite(from, to, crypto.randomUUID(), Date.now());
    return answer.ok ? { ...answer, members: this.withZones(answer.members) } : answer;
  }

  /** `who` accepts its invitation (parties.ts). */
  partyAccept(who: PartyMember) {
    const answer = this.parties.accept(who, Date.now());
    return answer.ok ? { ...answer, members: this.withZones(answer.members) } : answer;
  }

  /** The character leaves its party (parties.ts); returns who remains. */
  partyLeave(characterId: string) {
    const answer = this.parties.leave(characterId);
    return answer.ok ? { ...answer, members: this.withZones(answer.members) } : answer;
  }

  private withZones(members: PartyMember[]) {
    return members.map((m) => ({ ...m, zoneId: this.characterZones.get(m.id) ?? null }));
  }

  /** Gives back the slot of a session that left `zoneId`. */
  release(zoneId: string): void {
    this.load = release(this.load, zoneId);
  }

  /**
   * A zone's periodic report; its player count replaces the running tally for that zone. The answer
   * names the published content version, so a zone that missed a publish asks for it (`contentSince`).
   */
  report(zoneReport: ZoneReport): { contentVersion: number } {
    this.reports.set(zoneReport.zoneId, zoneReport);
    this.load = report(this.load, zoneReport.zoneId, zoneReport.players);
    return { contentVersion: this.content.version() };
  }

  /**
   * RPC from the gateway: content version `version` was written to Postgres (docs/admin.md,
   * "Content"). Kept if newer than the one kept, then every zone the directory knows runs (by report
   * or admitted session) is told and reloads; a zone asleep takes it when it next loads. Answers
   * the version kept and each zone told with its answer.
   */
  async publishContent(version: number, files: PackFile[]) {
    this.content.save({ version, files }, Date.now());
    const kept = this.content.version();
    const zoneIds = [...new Set([...this.reports.keys(), ...Object.keys(this.load.playersByZone)])].sort();
    const zones = await Promise.all(
      zoneIds.map(async (zoneId) => {
        try {
          const stub = this.env.ZONES.getByName(zoneObjectName(this.config.realm, zoneId));
          const answer = await stub.reloadContent(kept, kept === version ? files : this.keptFiles());
          return answer.ok
            ? { zoneId, ok: true, version: answer.version }
            : { zoneId, ok: false, reason: answer.reason };
        } catch (cause) {
          // Not fatal: the zone asks for the version on its next report or load.
          return { zoneId, ok: false, reason: `did not answer (${String(cause)})` };
        }
      }),
    );
    return { version: kept, zones };
  }

  /** RPC from a zone: the published version, with its files when newer than `have` (the zone's own). */
  contentSince(have: number): PublishedPack | { version: number } {
    const kept = this.content.read();
    if (!kept || kept.version <= have) return { version: kept?.version ?? 0 };
    return { version: kept.version, files: JSON.parse(kept.text) as PackFile[] };
  }

  private keptFiles(): PackFile[] {
    const kept = this.content.read();
    return kept ? (JSON.parse(kept.text) as PackFile[]) : [];
  }

  /** Each zone the directory knows, with its load (durable/directory/zones.ts); for the admin API. */
  zones(): ZoneLoad[] {
    return zoneLoads(this.reports.values(), this.load);
  }

  metrics(): RealmMetrics {
    const zones = [...this.reports.values()].map((r) => ({ ...r, players: this.load.playersByZone[r.zoneId] ?? 0 }));
    return {
      realm: this.config.realm,
      connectionCap: this.config.maxConnections,
      connectionsRefusedTotal: this.load.refusedTotal,
      zones,
    };
  }
}
