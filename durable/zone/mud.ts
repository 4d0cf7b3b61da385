/**
 * The MUD side of a zone whose id names a zone of the content pack: loads and saves the world,
 * queues commands, runs `stepWorld` on each tick and routes its events to sockets. Rules live in
 * shared/mud; this only moves data.
 */
import { eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { loadArcaneRealms } from "../../shared/content/arcane-realms";
import { npcStats } from "../../shared/mud/actors";
import { defaultCommands } from "../../shared/mud/commands";
import type { CommandRegistry } from "../../shared/mud/commands/registry";
import type { Outgoing } from "../../shared/mud/events";
import { readMudWorld, writeMudWorld } from "../../shared/mud/persisted";
import { type CommandInput, joinPlayer, leavePlayer, stepWorld } from "../../shared/mud/step";
import { createWorld, type MudWorld, type ZoneContent, zoneContent } from "../../shared/mud/world";
import { admitCharacter } from "../../shared/rules/admission";
import { GUEST_CLASS } from "../../shared/rules/classes";
import type { Rng } from "../../shared/sim/rng";
import { rawJson, readStored, type ZoneQuarantine } from "./quarantine";
import { mudWorld } from "./schema";
import type { SessionAttachment, SessionTable, ZonePort } from "./sessions";

/** Commands a player may have waiting for the next tick; more are refused as a flood. */
const MAX_QUEUED_PER_PLAYER = 5;

export const mudPlayerId = (session: SessionAttachment) => session.character?.id ?? session.sessionId;

export class MudRuntime {
  world: MudWorld;
  private queue: CommandInput[] = [];
  private dirty = false;
  private readonly commands: CommandRegistry = defaultCommands();

  private constructor(
    private readonly db: DrizzleSqliteDODatabase,
    readonly content: ZoneContent,
    rng: Rng,
    quarantine: ZoneQuarantine,
  ) {
    const row = db
      .select({ state: rawJson(mudWorld.state) })
      .from(mudWorld)
      .where(eq(mudWorld.id, 1))
      .get();
    const read = row && readStored(row.state, readMudWorld, "mud_world");
    if (read?.ok) this.world = read.value;
    else {
      // A world that does not read is set aside whole, and the zone starts from content: never half a world.
      if (read) quarantine.refuse("mud_world", "1", row.state, read.error, Date.now());
      this.world = createWorld(content, (t) => npcStats(t).maxHp, rng);
      this.save(0);
    }
  }

  /** A runtime for `zoneId` when the content pack has such a zone, else undefined (a plain zone). */
  static open(
    db: DrizzleSqliteDODatabase,
    zoneId: string,
    rng: Rng,
    quarantine: ZoneQuarantine,
  ): MudRuntime | undefined {
    const content = zoneContent(loadArcaneRealms(), zoneId);
    return content ? new MudRuntime(db, content, rng, quarantine) : undefined;
  }

  save(now: number): void {
    const values = { id: 1, state: writeMudWorld(this.world), updatedAt: now };
    this.db.insert(mudWorld).values(values).onConflictDoUpdate({ target: mudWorld.id, set: values }).run();
    this.dirty = false;
  }

  saveIfDirty(now: number): void {
    if (this.dirty) this.save(now);
  }

  /** A session said hello: its character (or guest) enters the world. */
  join(session: SessionAttachment): Outgoing[] {
    const c = session.character;
    // The rulebook admits the character (a guest: a fresh Warrior with full pools; shared/rules/admission.ts).
    const joined = joinPlayer(this.world, this.content, {
      ...admitCharacter({ id: mudPlayerId(session), name: session.name, character: c }, GUEST_CLASS.mud),
      // A guest leaves nothing behind in the world when it goes (leavePlayer).
      ...(c ? {} : { guest: true as const }),
    });
    this.world = joined.world;
    this.dirty = true;
    return joined.out;
  }

  /** The session's last socket closed: a character goes offline, a guest is gone (leavePlayer). */
  leave(session: SessionAttachment): Outgoing[] {
    return this.leavePlayer(mudPlayerId(session));
  }

  /**
   * Players the world shows online without a greeted socket in `playing` (their sockets died with
   * the process) leave it, as if they had logged out: nobody sees, targets or fights a ghost.
   */
  leaveAbsent(playing: ReadonlySet<string>): Outgoing[] {
    const out: Outgoing[] = [];
    for (const player of Object.values(this.world.players)) {
      if (!player.online || playing.has(player.id)) continue;
      out.push(...this.leavePlayer(player.id));
    }
    return out;
  }

  private leavePlayer(playerId: string): Outgoing[] {
    const left = leavePlayer(this.world, this.content, playerId);
    this.world = left.world;
    this.dirty = true;
    // A guest's things fell to the floor: committed before anyone hears of it (docs/decisions.md D15).
    if (left.critical) this.save(Date.now());
    return left.out;
  }

  /** Queues a command for the next tick; false when the player already has too many waiting. */
  enqueue(session: SessionAttachment, line: string): boolean {
    const playerId = mudPlayerId(session);
    if (this.queue.filter((c) => c.playerId === playerId).length >= MAX_QUEUED_PER_PLAYER) return false;
    this.queue.push({ playerId, line });
    return true;
  }

  /** Runs one tick. `critical` means items moved or someone died or levelled: save before sending. */
  step(tick: number, rng: Rng) {
    const commands = this.queue;
    this.queue = [];
    const result = stepWorld(this.world, commands, { tick, rng, content: this.content, commands: this.commands });
    this.world = result.world;
    this.dirty = true;
    return result;
  }

  /** Sends each event to its audience among the connected sessions. */
  deliver(sessions: SessionTable, out: readonly Outgoing[]): void {
    if (!out.length) return;
    const socketsByPlayer = new Map<string, ZonePort[]>();
    for (const [port, session] of sessions.entries()) {
      if (!session.helloed) continue;
      const id = mudPlayerId(session);
      socketsByPlayer.set(id, [...(socketsByPlayer.get(id) ?? []), port]);
    }
    for (const { audience, event } of out) {
      let ids: string[];
      if ("to" in audience) ids = [audience.to];
      else if ("room" in audience) {
        ids = Object.values(this.world.players)
          .filter((p) => p.online && p.roomId === audience.room && !audience.except?.includes(p.id))
          .map((p) => p.id);
      } else ids = [...socketsByPlayer.keys()];
      const frame = JSON.stringify(event);
      for (const id of ids) {
        for (const port of socketsByPlayer.get(id) ?? []) {
          port.sendText(frame);
        }
      }
    }
  }

  /** The session's character with what the world knows of it now (level, xp, pools, room). */
  withWorldState(session: SessionAttachment): SessionAttachment {
    const player = this.world.players[mudPlayerId(session)];
    if (!player || !session.character) return session;
    const { level, xp, hp, mp, roomId } = player;
    return { ...session, character: { ...session.character, level, xp, hp, mp, roomId } };
  }

  /** Copies a player's persistent state into its live sessions, for the write-back to Postgres. */
  syncSession(sessions: SessionTable, playerId: string): void {
    for (const port of sessions.socketsOf(playerId)) {
      const session = sessions.get(port);
      if (session?.character) sessions.set(port, this.withWorldState(session));
    }
  }
}
