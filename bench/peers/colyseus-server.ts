/**
 * The zone benchmark's peer: the same field scenario as a Leviathan field zone, written the way a
 * Colyseus 0.18 game would be (a Room, a @colyseus/schema state, per-client StateViews), run as
 * its own process so bots and server do not share an event loop.
 *
 *   node --import tsx bench/peers/colyseus-server.ts <port>   (0 = any free port)
 *
 * Prints `ready <port>` on stdout once listening on 127.0.0.1, and exits when stdin closes (the
 * benchmark died) or on SIGTERM/SIGINT. The room, "field", takes the scenario as its create
 * options (see `FieldOptions`); a client joining with `{ gm: true }` has no body and may send
 * "scatter" and "stats". Players send "input" `{seq, x, y}` and "cast" `{x, y}` (an aim point),
 * and ask "whoami" once for the id of their own entity.
 *
 * Rules mirrored from shared/field (imported, not copied, so they cannot drift): players are
 * circles of PLAYER_RADIUS moving at `speed` units/s along their latest held direction (clamped to
 * length 1), kept inside the map; Magic Missile with its mana cost, cooldown, speed and range
 * (the rulebook's, shared/rules/skills.ts); mana regeneration once a second; the guest mage's
 * pools; inputs applied at the next tick, the newest seq acknowledged. There are no walls and no enemies, so a missile only
 * flies until its range is spent or it leaves the map.
 *
 * Interest: a uniform grid (shared/field/interest.ts SpatialGrid, cell = view radius) rebuilt once
 * per patch in `onBeforePatch`; each client's StateView gets `add()` for entities that came within
 * `viewRadius` of its player and `remove()` for those that left. That is the cadence of Leviathan's
 * own interest pass (once per snapshot, not per tick). Private fields (mana, cooldown, ack) carry a
 * view tag only the owner's view is given.
 *
 * Patches: Colyseus would send them from its own `patchRate` timer, independent of the simulation
 * timer. Then the input→ack latency depends on the phase between the two timers, which is set by
 * chance when the room starts: back-to-back runs of the same scenario measured p50 14 ms and 45 ms.
 * So `patchRate` is null (Colyseus then runs no patch timer) and the step calls `broadcastPatch()`
 * itself every round(tickHz / snapshotHz) ticks, as a Leviathan zone sends a snapshot on its
 * snapshot ticks. What a patch does is unchanged: Colyseus' own `broadcastPatch`.
 *
 * Tick time: one sample per step, covering the simulation (inputs, casts, movement, missiles,
 * mana, writing the schema) and, on patch ticks, the whole `broadcastPatch`: the interest update
 * (`onBeforePatch`), Colyseus' schema encoding per view and the socket sends. That is what a
 * Leviathan tick covers. The "stats" reply also gives the parts on their own (sim*, patch*, and
 * interest* within patch*) and the whole process's CPU use.
 */
import { createServer } from "node:http";
import { type Client, Room, Server } from "@colyseus/core";
import { type SchemaType, StateView, schema, t } from "@colyseus/schema";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { clampToBounds, clampUnit, finite, moveCircle } from "../../shared/field/geometry";
import { SpatialGrid } from "../../shared/field/interest";
import { snapshotEvery } from "../../shared/field/snapshot";
import { MANA_REGEN_PER_SECOND } from "../../shared/field/step";
import { PLAYER_RADIUS, ticksFor, type Vec } from "../../shared/field/types";
import { MeasureWindow } from "../../shared/metrics/window";
import { admitCharacter } from "../../shared/rules/admission";
import { GUEST_CLASS } from "../../shared/rules/classes";
import { skillRule } from "../../shared/rules/skills";
import { createRng } from "../../shared/sim/rng";

/** View tag of the fields only a player's own client receives. */
const OWNER = 1;

/** One synchronised entity: a player (`k` = "p") or a missile (`k` = "m", `o` = its caster). */
const Entity = schema(
  {
    k: t.string(),
    n: t.string(),
    /** Positions in whole units, as Leviathan quantizes them. */
    x: t.number(),
    y: t.number(),
    hp: t.number(),
    mhp: t.number(),
    o: t.string(),
    mp: t.number().view(OWNER),
    mmp: t.number().view(OWNER),
    /** Tick from which Magic Missile may be cast again. */
    rd: t.number().view(OWNER),
    /** Highest input seq the simulation applied. */
    ack: t.number().view(OWNER),
  },
  "Entity",
);
type Entity = SchemaType<typeof Entity>;

/** The whole entity map is view-filtered: a client receives only what its StateView holds. */
const FieldState = schema({ entities: t.map(Entity).view() }, "FieldState");
type FieldState = SchemaType<typeof FieldState>;

export interface FieldOptions {
  width: number;
  height: number;
  viewRadius: number;
  speed: number;
  tickHz: number;
  snapshotHz: number;
  seed: number;
}

interface Player {
  id: string;
  client: Client;
  pos: Vec;
  move: Vec;
  mp: number;
  maxMp: number;
  missileReadyAt: number;
  ack: number;
  /** Newest input received since the last tick (applied at the next one). */
  pending: { seq: number; move: Vec } | null;
  entity: Entity;
  view: StateView;
  /** Entity id → interest pass that last found it in range. */
  visible: Map<string, number>;
}

interface Missile {
  id: string;
  pos: Vec;
  /** Units per tick. */
  vel: Vec;
  expiresAt: number;
  entity: Entity;
}

const MISSILE = skillRule("magic-missile");
const MISSILE_SPEED = MISSILE.speed ?? 600;
/** A guest plays a fresh level-1 mage in Leviathan's field zones; so do these bots. */
const GUEST = admitCharacter({ id: "guest", name: "guest" }, GUEST_CLASS.field);
const GUEST_POOLS = { maxHp: GUEST.hp, maxMp: GUEST.mp };

const num = (v: unknown, fallback: number): number => (typeof v === "number" && Number.isFinite(v) ? v : fallback);

function optionsFrom(raw: Record<string, unknown>): FieldOptions {
  const tickHz = Math.max(1, num(raw.tickHz, 20));
  return {
    width: Math.max(1, num(raw.width, 2000)),
    height: Math.max(1, num(raw.height, 2000)),
    viewRadius: Math.max(1, num(raw.viewRadius, 400)),
    speed: Math.max(0, num(raw.speed, 100)),
    tickHz,
    snapshotHz: Math.min(tickHz, Math.max(1, num(raw.snapshotHz, tickHz))),
    seed: num(raw.seed, 1) >>> 0,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

export class FieldRoom extends Room<{ state: FieldState }> {
  private settings = optionsFrom({});
  private tick = 0;
  private nextId = 1;
  private readonly players = new Map<string, Player>();
  private readonly missiles = new Map<string, Missile>();
  private readonly gms = new Set<string>();
  /** Casts received since the last tick, in arrival order. */
  private casts: { sessionId: string; aim: Vec }[] = [];
  private grid = new SpatialGrid(1);
  private readonly scratch: string[] = [];
  private interestPass = 0;
  /** A patch goes out every this many ticks. */
  private patchEvery = 1;
  private readonly ticks = new MeasureWindow(performance.now());
  private readonly sims = new MeasureWindow(performance.now());
  private readonly patches = new MeasureWindow(performance.now());
  /** The interest part of each patch (StateView add/remove), also inside `patches`. */
  private readonly interest = new MeasureWindow(performance.now());
  /** This process's CPU time at the last stats reset, for `cpuPercent`. */
  private cpuAtReset = { usage: process.cpuUsage(), at: performance.now() };

  override onCreate(options: Record<string, unknown>): void {
    this.settings = optionsFrom(isRecord(options) ? options : {});
    this.grid = new SpatialGrid(Math.max(50, this.settings.viewRadius));
    this.state = new FieldState();
    this.autoDispose = false;

    this.onMessage("input", (client, message: unknown) => {
      const player = this.players.get(client.sessionId);
      if (!player || !isRecord(message) || typeof message.seq !== "number" || !Number.isFinite(message.seq)) return;
      // An older seq than one already queued or applied never rewinds (sockets are ordered anyway).
      if (message.seq <= player.ack || (player.pending && message.seq <= player.pending.seq)) return;
      player.pending = { seq: message.seq, move: { x: num(message.x, 0), y: num(message.y, 0) } };
    });
    this.onMessage("cast", (client, message: unknown) => {
      if (!this.players.has(client.sessionId) || !isRecord(message)) return;
      this.casts.push({ sessionId: client.sessionId, aim: { x: num(message.x, 0), y: num(message.y, 0) } });
    });
    // A bot asks which entity is its own (its `ack` is what it watches).
    this.onMessage("whoami", (client) => ({ id: this.players.get(client.sessionId)?.id ?? null }));
    this.onMessage("scatter", (client) => {
      if (!this.gms.has(client.sessionId)) return { error: "gm only" };
      return { players: this.scatter() };
    });
    this.onMessage("stats", (client, message: unknown) => {
      if (!this.gms.has(client.sessionId)) return { error: "gm only" };
      const now = performance.now();
      const all = this.ticks.summary(now);
      const sim = this.sims.summary(now);
      const patch = this.patches.summary(now);
      const interest = this.interest.summary(now);
      const cpu = process.cpuUsage(this.cpuAtReset.usage);
      const cpuPercent = Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, now - this.cpuAtReset.at)) * 100);
      if (isRecord(message) && message.reset === true) {
        this.ticks.reset(now);
        this.sims.reset(now);
        this.patches.reset(now);
        this.interest.reset(now);
        this.cpuAtReset = { usage: process.cpuUsage(), at: now };
      }
      return {
        ticks: all.ticks,
        tickP50Ms: all.tickP50Ms,
        tickP99Ms: all.tickP99Ms,
        tickMaxMs: all.tickMaxMs,
        entities: this.players.size + this.missiles.size,
        /** The whole server process (sockets, decoding, timers too), in % of one core. */
        cpuPercent,
        simP50Ms: sim.tickP50Ms,
        simP99Ms: sim.tickP99Ms,
        patches: patch.ticks,
        patchP50Ms: patch.tickP50Ms,
        patchP99Ms: patch.tickP99Ms,
        patchMaxMs: patch.tickMaxMs,
        interestP50Ms: interest.tickP50Ms,
        interestP99Ms: interest.tickP99Ms,
      };
    });

    this.patchEvery = snapshotEvery(this.settings.tickHz, this.settings.snapshotHz);
    this.setFixedTimestep(() => this.step(), this.settings.tickHz);
    // After the timestep: with no simulation timer yet, Colyseus would start a clock timer instead.
    this.patchRate = null;
  }

  override onJoin(client: Client, options?: unknown): void {
    client.view = new StateView();
    if (isRecord(options) && options.gm === true) {
      this.gms.add(client.sessionId);
      return;
    }
    const id = `p${this.nextId++}`;
    const { width, height } = this.settings;
    const pos = clampToBounds({ x: width / 2, y: height / 2 }, PLAYER_RADIUS, width, height);
    const entity = new Entity();
    entity.k = "p";
    entity.n = isRecord(options) && typeof options.name === "string" ? options.name.slice(0, 32) : id;
    entity.x = Math.round(pos.x);
    entity.y = Math.round(pos.y);
    entity.hp = GUEST_POOLS.maxHp;
    entity.mhp = GUEST_POOLS.maxHp;
    entity.mp = GUEST_POOLS.maxMp;
    entity.mmp = GUEST_POOLS.maxMp;
    entity.rd = 0;
    entity.ack = 0;
    this.state.entities.set(id, entity);
    client.view.add(entity);
    client.view.add(entity, OWNER);
    const player: Player = {
      id,
      client,
      pos,
      move: { x: 0, y: 0 },
      mp: GUEST_POOLS.maxMp,
      maxMp: GUEST_POOLS.maxMp,
      missileReadyAt: 0,
      ack: 0,
      pending: null,
      entity,
      view: client.view,
      visible: new Map([[id, this.interestPass]]),
    };
    this.players.set(client.sessionId, player);
  }

  override onLeave(client: Client): void {
    this.gms.delete(client.sessionId);
    const player = this.players.get(client.sessionId);
    if (!player) return;
    this.players.delete(client.sessionId);
    this.state.entities.delete(player.id);
  }

  /** Every player to a seeded random spot; sorted ids, so the same seed gives the same layout. */
  private scatter(): number {
    const rng = createRng(this.settings.seed);
    const { width, height } = this.settings;
    const players = [...this.players.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const p of players) {
      p.pos = clampToBounds({ x: rng.next() * width, y: rng.next() * height }, PLAYER_RADIUS, width, height);
      p.entity.x = Math.round(p.pos.x);
      p.entity.y = Math.round(p.pos.y);
    }
    return players.length;
  }

  /** One simulation tick, in Leviathan's order: commands, movement, missiles, mana. */
  private step(): void {
    const started = performance.now();
    const tick = ++this.tick;
    const { width, height, speed, tickHz } = this.settings;

    for (const p of this.players.values()) {
      if (!p.pending) continue;
      p.move = clampUnit(p.pending.move);
      p.ack = p.pending.seq;
      p.pending = null;
    }
    for (const cast of this.casts) {
      const p = this.players.get(cast.sessionId);
      if (p) this.castMissile(p, cast.aim, tick);
    }
    this.casts = [];

    const stride = speed / tickHz;
    for (const p of this.players.values()) {
      if (p.move.x !== 0 || p.move.y !== 0) {
        p.pos = moveCircle(p.pos, { x: p.move.x * stride, y: p.move.y * stride }, PLAYER_RADIUS, [], width, height);
      }
    }

    for (const m of this.missiles.values()) {
      const x = m.pos.x + m.vel.x;
      const y = m.pos.y + m.vel.y;
      if (tick >= m.expiresAt || x < 0 || y < 0 || x > width || y > height) {
        this.missiles.delete(m.id);
        this.state.entities.delete(m.id);
        continue;
      }
      m.pos = { x, y };
      setRounded(m.entity, m.pos);
    }

    const regen = tick % tickHz === 0;
    for (const p of this.players.values()) {
      if (regen && p.mp < p.maxMp) p.mp = Math.min(p.maxMp, p.mp + MANA_REGEN_PER_SECOND);
      const e = p.entity;
      setRounded(e, p.pos);
      if (e.mp !== p.mp) e.mp = p.mp;
      if (e.rd !== p.missileReadyAt) e.rd = p.missileReadyAt;
      if (e.ack !== p.ack) e.ack = p.ack;
    }

    const simulated = performance.now();
    this.sims.recordTick(simulated - started);
    if (tick % this.patchEvery === 0) {
      this.broadcastPatch();
      this.patches.recordTick(performance.now() - simulated);
    }
    this.ticks.recordTick(performance.now() - started);
  }

  /** Magic Missile towards an aim point: cooldown and mana as in shared/field/skills.ts. */
  private castMissile(p: Player, rawAim: Vec, tick: number): void {
    const { width, height, tickHz } = this.settings;
    if (tick < p.missileReadyAt || p.mp < MISSILE.manaCost) return;
    const aim = {
      x: Math.min(Math.max(finite(rawAim.x), 0), width),
      y: Math.min(Math.max(finite(rawAim.y), 0), height),
    };
    const dx = aim.x - p.pos.x;
    const dy = aim.y - p.pos.y;
    const len = Math.hypot(dx, dy);
    if (len < 1e-9) return;
    const dir = { x: dx / len, y: dy / len };
    const perTick = MISSILE_SPEED / tickHz;
    // It moves on this tick already: after `flight` moves its range is spent.
    const flight = ticksFor((MISSILE.range / MISSILE_SPEED) * 1000, tickHz);
    p.mp -= MISSILE.manaCost;
    p.missileReadyAt = tick + ticksFor(MISSILE.cooldownMs, tickHz);
    const id = `m${this.nextId++}`;
    const pos = { x: p.pos.x + dir.x * PLAYER_RADIUS, y: p.pos.y + dir.y * PLAYER_RADIUS };
    const entity = new Entity();
    entity.k = "m";
    entity.o = p.id;
    setRounded(entity, pos);
    this.state.entities.set(id, entity);
    this.missiles.set(id, {
      id,
      pos,
      vel: { x: dir.x * perTick, y: dir.y * perTick },
      expiresAt: tick + flight - 1,
      entity,
    });
  }

  /** Colyseus calls this at the start of every patch: each client's view follows its player. */
  override onBeforePatch(): void {
    const started = performance.now();
    const grid = this.grid;
    grid.clear();
    for (const p of this.players.values()) grid.insert(p.id, p.pos.x, p.pos.y);
    for (const m of this.missiles.values()) grid.insert(m.id, m.pos.x, m.pos.y);
    const pass = ++this.interestPass;
    const entities = this.state.entities;
    for (const p of this.players.values()) {
      for (const id of grid.query(p.pos.x, p.pos.y, this.settings.viewRadius, this.scratch)) {
        if (!p.visible.has(id)) {
          const e = entities.get(id);
          if (e) p.view.add(e);
        }
        p.visible.set(id, pass);
      }
      for (const [id, seen] of p.visible) {
        if (seen === pass) continue;
        p.visible.delete(id);
        // An entity deleted from the map has already left every view with it.
        const e = entities.get(id);
        if (e) p.view.remove(e);
      }
    }
    this.interest.recordTick(performance.now() - started);
  }
}

function setRounded(e: Entity, pos: Vec): void {
  const x = Math.round(pos.x);
  const y = Math.round(pos.y);
  if (e.x !== x) e.x = x;
  if (e.y !== y) e.y = y;
}

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`usage: colyseus-server.ts <port> (got ${process.argv[2]})\n`);
    process.exit(2);
  }
  const http = createServer();
  const server = new Server({
    transport: new WebSocketTransport({ server: http }),
    greet: false,
    gracefullyShutdown: false,
  });
  server.define("field", FieldRoom);
  await server.listen(port, "127.0.0.1");
  const address = http.address();
  const bound = typeof address === "object" && address ? address.port : port;
  process.stdout.write(`ready ${bound}\n`);

  const exit = () => process.exit(0);
  process.on("SIGTERM", exit);
  process.on("SIGINT", exit);
  // The benchmark holds our stdin: when it goes away (even killed), so do we.
  process.stdin.on("end", exit);
  process.stdin.on("close", exit);
  process.stdin.resume();
}

await main();
