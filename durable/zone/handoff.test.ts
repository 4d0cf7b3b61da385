/**
 * Property-based test of the zone-to-zone hand-off (docs/architecture.md, "Travel and hand-off")
 * inside workerd, with a fault schedule drawn by fast-check for every call the source makes to the
 * target: the request lost before the target sees it, the answer lost after the target committed,
 * a slow answer, a source that gives up while its request still lands later, the source crashing
 * before a call, after the target committed, or while it sends its client on, and the target
 * restarting before or after it commits. A target may also refuse the traveller. Between steps the
 * source writes its engine state when it changed, as its flush does.
 *
 * A crash is a fresh ZoneDurableObject over the same storage (what was committed survives, memory
 * does not), replacing the instance the stub serves; the dead instance's pending work never runs
 * again. After each crash, and at the end, the zones' SQLite is checked:
 *  - the character is in exactly one place: the source's world, the source's transfer record, or
 *    the target's world (a record the target already took resolves there, and is not a second place);
 *  - item instances by template across both worlds and the records are conserved;
 *  - at the end the character holds exactly what it held before leaving, with the same pools, and
 *    exactly one zone owes its Postgres write, at the version it had.
 * Two more properties throw from one transaction of the source (a SQLite error, not a crash) and
 * check the same invariants.
 */
import { env, runInDurableObject } from "cloudflare:test";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { zoneObjectName } from "../../shared/config";
import type { EffectState } from "../../shared/mud/types";
import { MemoryPort } from "../../shared/net/memory-port";
import type { CarriedItem } from "../../shared/world/traveller";
import { type AcceptResult, type HandOffLinks, HandOffs } from "./handoff";
import { currentState } from "./players";
import type { SessionAttachment } from "./sessions";
import { mudOf } from "./testing";
import { character } from "./testing.node";
import type { ZoneDurableObject } from "./zone";

/**
 * The properties run with fixed seeds, so a run in CI is reproducible; change a seed (or drop it
 * for a random one, which fast-check prints on failure) to explore further.
 */
const SEED = 20_261_129;
const SOURCE = "start";
const TARGET = "whispering-woods";
const PLACE = "woods-edge";

/** What happens to one call of the source to the target. */
type Fault =
  | { kind: "pass" }
  /** The request is lost (the target is down, or crashed before its transaction committed). */
  | { kind: "lostBefore" }
  /** The target commits; its answer is lost. */
  | { kind: "lostAfter" }
  /** The target answers late, but the source waits for it. */
  | { kind: "delay"; ms: number }
  /** The source gives up at once (a timeout); its request still reaches the target `ms` later. */
  | { kind: "late"; ms: number }
  /** The source crashes before the call leaves. */
  | { kind: "sourceCrashBefore"; keepsSocket: boolean }
  /** The target commits; the source crashes before it reads the answer. */
  | { kind: "sourceCrashAfter"; keepsSocket: boolean }
  /** The target restarts before it sees the call. */
  | { kind: "targetCrashBefore" }
  /** The target commits, then restarts before answering. */
  | { kind: "targetCrashAfter" };

interface Plan {
  faults: Fault[];
  /** The target refuses the traveller (it is not a zone that takes it). */
  refuses: boolean;
  /** The source crashes once while it sends its client on (after its record is gone). */
  crashInFinish: false | { keepsSocket: boolean };
  gear: { cap: boolean; sword: number | false; satchel: boolean; mugs: number; mugsInSatchel: boolean };
  /** Ticks left of a regeneration the character carries, if any. */
  regenerating: number | false;
}

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  { arbitrary: fc.constant({ kind: "pass" as const }), weight: 2 },
  fc.constant({ kind: "lostBefore" as const }),
  fc.constant({ kind: "lostAfter" as const }),
  fc.record({ kind: fc.constant("delay" as const), ms: fc.integer({ min: 1, max: 15 }) }),
  fc.record({ kind: fc.constant("late" as const), ms: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ kind: fc.constant("sourceCrashBefore" as const), keepsSocket: fc.boolean() }),
  fc.record({ kind: fc.constant("sourceCrashAfter" as const), keepsSocket: fc.boolean() }),
  fc.constant({ kind: "targetCrashBefore" as const }),
  fc.constant({ kind: "targetCrashAfter" as const }),
);

const planArb: fc.Arbitrary<Plan> = fc.record({
  faults: fc.array(faultArb, { maxLength: 12 }),
  refuses: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
  crashInFinish: fc.option(fc.record({ keepsSocket: fc.boolean() }), { nil: false as const }),
  gear: fc.record({
    cap: fc.boolean(),
    sword: fc.option(fc.integer({ min: 1, max: 150 }), { nil: false as const }),
    satchel: fc.boolean(),
    mugs: fc.integer({ min: 0, max: 3 }),
    mugsInSatchel: fc.boolean(),
  }),
  regenerating: fc.option(fc.integer({ min: 1, max: 100 }), { nil: false as const }),
});

/** The real timer: the hand-off's backoff is run at once (see beforeEach), a fault's delay is not. */
const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const sleep = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));
const never = () => new Promise<never>(() => {});

/** One run: its zones (fresh objects, named by a realm of their own) and where its faults stand. */
class Run {
  readonly characterId = crypto.randomUUID();
  readonly source: string;
  readonly target: string;
  readonly trace: string[] = [];
  /** The source instance now alive; links of an older one hang forever (it is dead). */
  sourceGen = 0;
  crashed: { keepsSocket: boolean } | undefined;
  port: MemoryPort<SessionAttachment> | undefined;
  /** The source's transaction giving the character back throws, once. */
  failGiveBack = false;
  private next = 0;
  private finishCrashed = false;
  private readonly late: Promise<unknown>[] = [];
  private crashSignal!: () => void;
  crashPromise!: Promise<void>;

  constructor(
    readonly plan: Plan,
    realm: string,
  ) {
    this.source = zoneObjectName(realm, SOURCE);
    this.target = zoneObjectName(realm, TARGET);
    this.armCrash();
  }

  armCrash() {
    this.crashPromise = new Promise((resolve) => {
      this.crashSignal = resolve;
    });
  }

  crash(keepsSocket: boolean) {
    this.trace.push(`crash(source${keepsSocket ? ", socket kept" : ""})`);
    this.crashed = { keepsSocket };
    this.sourceGen++;
    this.crashSignal();
  }

  lateCalls() {
    return Promise.allSettled(this.late);
  }

  /** The links of source instance `gen`: every call to the target goes through the fault schedule. */
  links(gen: number): HandOffLinks {
    const alive = () => this.sourceGen === gen;
    const quiet = async () => {
      if (!alive()) await never();
    };
    return {
      route: async (zoneId) => zoneId,
      zone: (zoneId) => ({
        acceptTraveller: async (payload: unknown): Promise<AcceptResult> => {
          if (!alive()) return never();
          const fault = this.plan.faults[this.next++] ?? { kind: "pass" };
          this.trace.push(fault.kind);
          const call = async (): Promise<AcceptResult> => {
            const sent = this.plan.refuses ? { ...(payload as object), to: { zoneId: "nowhere" } } : payload;
            const answer = await env.ZONES.getByName(zoneObjectName(realmOf(this.target), zoneId)).acceptTraveller(
              sent,
            );
            return answer.ok ? { ok: true } : { ok: false, reason: answer.reason };
          };
          switch (fault.kind) {
            case "pass":
              return call();
            case "lostBefore":
              throw new Error("injected: request lost");
            case "lostAfter":
              await call();
              throw new Error("injected: answer lost");
            case "delay":
              await sleep(fault.ms);
              return call();
            case "late":
              this.late.push(sleep(fault.ms).then(() => call()));
              throw new Error("injected: timed out");
            case "sourceCrashBefore":
              this.crash(fault.keepsSocket);
              return never();
            case "sourceCrashAfter":
              await call();
              this.crash(fault.keepsSocket);
              return never();
            case "targetCrashBefore":
              await restartTarget(this);
              throw new Error("injected: target restarted");
            case "targetCrashAfter":
              await call();
              await restartTarget(this);
              throw new Error("injected: target restarted after committing");
          }
        },
      }),
      ticket: async () => {
        await quiet();
        if (this.plan.crashInFinish && !this.finishCrashed) {
          this.finishCrashed = true;
          this.crash(this.plan.crashInFinish.keepsSocket);
          return never();
        }
        return undefined;
      },
      place: quiet,
      releaseCharacter: quiet,
      releaseSlot: quiet,
      // The zone's own sleep would arm an alarm; what is owed is retried by the test instead.
      sleep: quiet,
    };
  }
}

const realmOf = (objectName: string) => objectName.slice(0, objectName.indexOf(":"));

/** A hand-off desk that knows when all it started has settled. */
class TrackedHandOffs extends HandOffs {
  private readonly running = new Set<Promise<unknown>>();

  override deliver(transferId: string) {
    const p = super.deliver(transferId);
    this.running.add(p);
    const done = () => this.running.delete(p);
    p.then(done, done);
    return p;
  }

  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}

/** A fresh instance over `state`, as after a restart, that replaces `live` (the one the stub serves). */
async function restart(
  live: ZoneDurableObject,
  state: DurableObjectState,
  before?: (fresh: ZoneDurableObject) => void,
) {
  const { ZoneDurableObject } = await import("./zone");
  const fresh = new ZoneDurableObject(state, env);
  // Runs before the reload settles (its first await): a hibernated socket is there from the start.
  before?.(fresh);
  await state.blockConcurrencyWhile(async () => {});
  Object.assign(live, fresh);
  return live;
}

async function restartTarget(run: Run) {
  run.trace.push("crash(target)");
  await runInDurableObject(env.ZONES.getByName(run.target), (live, state) => restart(live, state).then(() => {}));
}

/** Installs the desk of the source's current instance, with that instance's faulty links. */
function desk(run: Run, zone: ZoneDurableObject): TrackedHandOffs {
  // Installed once per roster: spying again on a spy would make `admit` call itself.
  if (run.failGiveBack && !vi.isMockFunction(zone.host.roster.admit)) {
    // The transaction that gives the character back throws once (roster.admit runs only there).
    const admit = zone.host.roster.admit.bind(zone.host.roster);
    vi.spyOn(zone.host.roster, "admit").mockImplementation((...args) => {
      if (!run.failGiveBack) return admit(...args);
      run.failGiveBack = false;
      run.trace.push("giveBack transaction throws");
      throw new Error("injected: SQLITE_FULL");
    });
  }
  const handoffs = new TrackedHandOffs(zone.host, run.links(run.sourceGen), zone.host.log);
  zone.host.handoffs = handoffs;
  Object.assign(zone, { handoffs });
  return handoffs;
}

/** Runs `act` on the source until its hand-offs settle or the source crashes. */
async function onSource(run: Run, act: (zone: ZoneDurableObject, state: DurableObjectState) => Promise<void> | void) {
  await runInDurableObject(env.ZONES.getByName(run.source), async (live, state) => {
    let zone = live;
    if (run.crashed) {
      const { keepsSocket } = run.crashed;
      run.crashed = undefined;
      run.armCrash();
      const port = run.port;
      zone = await restart(live, state, (fresh) => {
        const kept = port?.attachment();
        if (keepsSocket && port && kept && !port.closed) fresh.host.sessions.set(port, kept);
      });
    }
    const handoffs = desk(run, zone);
    const gen = run.sourceGen;
    const settled = (async () => {
      await act(zone, state);
      await handoffs.idle();
      // The zone's next flush writes its engine state when it changed (host.flush), unless it died.
      if (run.sourceGen === gen && zone.host.engine.dirty) zone.host.saveEngineNow(Date.now());
    })();
    await Promise.race([settled, run.crashPromise]);
  });
}

interface StoredWorld {
  players: Record<
    string,
    { hp: number; mp: number; level: number; xp: number; roomId: string; effects: EffectState[]; online: boolean }
  >;
  items: Record<
    string,
    {
      id: string;
      templateId: string;
      durability?: number;
      location: { kind: string; ownerId?: string; containerId?: string; slot?: string };
    }
  >;
}

interface Stored {
  world: StoredWorld;
  transfers: { transferId: string; traveller: { character: { id: string }; carried: { items: CarriedItem[] } } }[];
  arrivals: string[];
  writes: { characterId: string; version: number }[];
}

async function stored(objectName: string): Promise<Stored> {
  return runInDurableObject(env.ZONES.getByName(objectName), (_zone, state) => {
    const sql = (query: string) => [...state.storage.sql.exec(query)];
    const [row] = sql("SELECT state FROM engine_state WHERE kind = 'mud'");
    return {
      world: JSON.parse(String(row?.state)) as StoredWorld,
      transfers: sql("SELECT transfer_id, traveller FROM transfers").map((r) => ({
        transferId: String(r.transfer_id),
        traveller: JSON.parse(String(r.traveller)),
      })),
      arrivals: sql("SELECT transfer_id FROM arrivals").map((r) => String(r.transfer_id)),
      writes: sql("SELECT character_id, version FROM character_writes").map((r) => ({
        characterId: String(r.character_id),
        version: Number(r.version),
      })),
    };
  });
}

/**
 * Templates of the item instances in `world`, or, with `ownerId`, what it holds (nested ones
 * included) as `template@durability` with where it is worn.
 */
function templates(world: StoredWorld, ownerId?: string): string[] {
  const items = Object.values(world.items);
  const holder = (id: string | undefined, depth = 0): string | undefined => {
    const item = id === undefined ? undefined : world.items[id];
    if (!item || depth > 20) return undefined;
    const at = item.location;
    if (at.kind === "inventory" || at.kind === "equipped") return at.ownerId;
    if (at.kind === "container") return holder(at.containerId, depth + 1);
    return undefined;
  };
  return items
    .filter((i) => ownerId === undefined || holder(i.id) === ownerId)
    .map((i) =>
      ownerId === undefined
        ? i.templateId
        : `${i.templateId}@${i.durability ?? "-"}${i.location.slot ? ` on ${i.location.slot}` : ""}`,
    )
    .sort();
}

/** What the character holds, as `templates(world, ownerId)` lists it, before it leaves. */
const heldFor = (gear: Plan["gear"]) =>
  carriedFor(gear)
    .map((i) => `${i.templateId}@${i.durability ?? "-"}${i.slot ? ` on ${i.slot}` : ""}`)
    .sort();

const tally = (names: string[]) => {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
};

/** Where the character is, and every item instance, as both zones have committed them. */
async function durable(run: Run) {
  const source = await stored(run.source);
  const target = await stored(run.target);
  const id = run.characterId;
  // A record the target has already taken resolves there: it is not a second place.
  const owed = source.transfers.filter(
    (t) => t.traveller.character.id === id && !target.arrivals.includes(t.transferId),
  );
  const places = [
    ...(source.world.players[id] ? ["source world"] : []),
    ...owed.map(() => "source transfer record"),
    ...(target.world.players[id] ? ["target world"] : []),
  ];
  const items = tally([
    ...templates(source.world),
    ...owed.flatMap((t) => t.traveller.carried.items.map((i) => i.templateId)),
    ...templates(target.world),
  ]);
  return { source, target, places, items };
}

function carriedFor(gear: Plan["gear"]): CarriedItem[] {
  const items: CarriedItem[] = [];
  if (gear.cap) items.push({ templateId: "iron-cap", slot: "head" });
  if (gear.sword !== false) items.push({ templateId: "ironbound-longsword", slot: "weapon", durability: gear.sword });
  const satchel = gear.satchel ? items.push({ templateId: "travellers-satchel" }) - 1 : undefined;
  for (let i = 0; i < gear.mugs; i++)
    items.push({
      templateId: "cracked-mug",
      ...(gear.mugsInSatchel && satchel !== undefined ? { inside: satchel } : {}),
    });
  return items;
}

function effectsFor(plan: Plan): EffectState[] {
  if (plan.regenerating === false) return [];
  const regeneration = { name: "Regeneration", kind: "hot" as const, duration_ticks: 100, interval_ticks: 10 };
  return [{ ...regeneration, magnitude: 2, source: "potion", remaining_ticks: plan.regenerating }];
}

let runs = 0;

/**
 * One hand-off under `plan`. With `fails`, one transaction of the source throws (a SQLite error, not
 * a crash: the object goes on): the one that records the transfer (the character should stay where
 * it stood), or the one that gives a refused character back.
 */
async function handOff(plan: Plan, fails?: "begin" | "giveBack"): Promise<void> {
  const run = new Run(plan, `handoff${++runs}`);
  const id = run.characterId;
  const version = 3;
  // The traveller, in the source's world, holding its gear, playing, its write to Postgres queued: all committed.
  await onSource(run, (zone) => {
    const { host } = zone;
    const now = Date.now();
    const c = character(id, { name: "Wanderer", version, hp: 61, mp: 17, level: 2, xp: 150 });
    mudOf(zone).arrive({
      transferId: `setup-${id}`,
      from: "setup",
      to: { zoneId: SOURCE, place: "village-square" },
      departedAt: now,
      character: c,
      carried: { effects: effectsFor(plan), items: carriedFor(plan.gear) },
      write: null,
    });
    const session: SessionAttachment = {
      v: 1,
      sessionId: `session-${id}`,
      name: c.name,
      helloed: true,
      connectedAt: now,
      requestId: "handoff-test",
      character: c,
    };
    run.port = new MemoryPort<SessionAttachment>(session);
    host.sessions.set(run.port, session);
    host.apply(host.engine.admit(host.engineSession(session)));
    host.roster.admit(c, now);
    const state = currentState(session, now);
    if (state) host.writer.enqueue({ characterId: id, version, state }, now);
    host.store.transaction(() => host.saveEngineNow(now));
  });
  const before = await durable(run);
  expect(before.places).toEqual(["source world"]);
  const held = templates(before.source.world, id);
  expect(held).toEqual(heldFor(plan.gear));
  const pools = before.source.world.players[id];

  run.failGiveBack = fails === "giveBack";
  await onSource(run, (zone) => {
    const { host } = zone;
    if (fails === "begin") {
      vi.spyOn(host.transfers, "record").mockImplementationOnce(() => {
        throw new Error("injected: SQLITE_FULL");
      });
    }
    host.handoffs.begin([{ playerId: id, to: { zoneId: TARGET, place: PLACE } }]);
  });
  for (let round = 0; ; round++) {
    // Whatever crashed, what is committed has the character in exactly one place, and every item once.
    const now = await durable(run);
    expect(now.places, run.trace.join(" ")).toHaveLength(1);
    expect(now.items, run.trace.join(" ")).toEqual(before.items);
    const owed = now.source.transfers.length > 0;
    if (!owed && !run.crashed) break;
    expect(round, `unresolved after ${round} rounds: ${run.trace.join(" ")}`).toBeLessThan(40);
    // A crashed source restarts; one that is still owed is sent again (as its alarm or flush would).
    await onSource(run, (zone) => {
      zone.host.handoffs.retryDue(Number.MAX_SAFE_INTEGER);
    });
  }
  await run.lateCalls();
  // Both zones restart once more: what they committed is what they hold.
  await restartTarget(run);
  run.crashed ??= { keepsSocket: false };
  await onSource(run, () => {});

  const after = await durable(run);
  const trace = run.trace.join(" ");
  const stays = plan.refuses || fails === "begin";
  const home = stays ? after.source.world : after.target.world;
  expect(after.places, trace).toEqual([stays ? "source world" : "target world"]);
  expect(after.source.transfers, trace).toEqual([]);
  expect(after.items, trace).toEqual(before.items);
  expect(templates(home, id), trace).toEqual(held);
  expect(home.players[id], trace).toMatchObject({
    hp: pools?.hp,
    mp: pools?.mp,
    level: pools?.level,
    xp: pools?.xp,
    effects: effectsFor(plan),
    ...(stays ? {} : { roomId: PLACE }),
  });
  // The write Postgres is owed follows the character, once, at the version it expects.
  const writes = [...after.source.writes, ...after.target.writes].filter((w) => w.characterId === id);
  expect(writes, trace).toEqual([{ characterId: id, version }]);
  expect(
    (stays ? after.source : after.target).writes.some((w) => w.characterId === id),
    trace,
  ).toBe(true);
  // The target took this character at most once, however often it was sent.
  expect(after.target.arrivals.length, trace).toBe(stays ? 0 : 1);
}

/** Plans that reach the paths a few random runs may miss. */
const NO_GEAR: Plan["gear"] = { cap: false, sword: false, satchel: false, mugs: 0, mugsInSatchel: false };
const GEARED: Plan["gear"] = { cap: true, sword: 40, satchel: true, mugs: 2, mugsInSatchel: true };
const EXAMPLES: [Plan][] = [
  // The target commits at once, every answer is lost past the quick attempts: the transfer waits, then resolves.
  [
    {
      faults: Array(6).fill({ kind: "lostAfter" }),
      refuses: false,
      crashInFinish: false,
      gear: GEARED,
      regenerating: 40,
    },
  ],
  // The source dies after the target committed, restarts without its socket, and dies again sending its client on.
  [
    {
      faults: [{ kind: "sourceCrashAfter", keepsSocket: false }],
      refuses: false,
      crashInFinish: { keepsSocket: true },
      gear: GEARED,
      regenerating: false,
    },
  ],
  // A refusing target whose answers are lost and that restarts: the character comes back once, with everything.
  [
    {
      faults: [{ kind: "lostAfter" }, { kind: "targetCrashAfter" }, { kind: "late", ms: 5 }],
      refuses: true,
      crashInFinish: false,
      gear: GEARED,
      regenerating: 7,
    },
  ],
  [{ faults: [], refuses: false, crashInFinish: false, gear: NO_GEAR, regenerating: false }],
];

describe("a hand-off between two zones, with failures injected at every step", () => {
  beforeEach(() => {
    // The hand-off's backoff (100 ms up to seconds) is run at once; short waits stay real.
    vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) =>
      realSetTimeout(fn, ms !== undefined && ms >= 50 ? 0 : ms)) as typeof setTimeout);
    // The zones' info and warning lines (one per injected failure); errors still show.
    vi.spyOn(console, "log").mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("keeps every character in exactly one place, every item once, and what it held", async () => {
    await fc.assert(
      fc.asyncProperty(planArb, (plan) => handOff(plan)),
      { numRuns: 25, examples: EXAMPLES, seed: SEED },
    );
  }, 60_000);

  /*
   * A transaction of the source that throws (a SQLite error, not a crash) used to lose the
   * character (beginOne took it out of the world in memory first) or double it (giveBack put it
   * back in memory first); both now undo the change in memory when their transaction fails.
   * Shrunk counterexamples that failed before:
   *   begin:    {"faults":[],"refuses":false,...} -> places [] instead of ["source world"]
   *   giveBack: {"faults":[],"refuses":true,...}  -> ["source world", "source transfer record"]
   */
  it("keeps the character in the source when the source cannot record its transfer", async () => {
    await fc.assert(
      fc.asyncProperty(planArb, (plan) => handOff(plan, "begin")),
      { numRuns: 10, seed: SEED },
    );
  }, 60_000);

  it("keeps every item once when the source's transaction giving a refused character back throws", async () => {
    await fc.assert(
      fc.asyncProperty(
        planArb.map((plan) => ({ ...plan, refuses: true })),
        (plan) => handOff(plan, "giveBack"),
      ),
      // This seed once found the harness spying on its own spy (a stack overflow, not a defect of the zone).
      { numRuns: 10, seed: -1132742798 },
    );
  }, 60_000);
});
