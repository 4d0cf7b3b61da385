/**
 * `npx tsx bench/idle-catchup.ts`: what waking a zone nobody watched costs. Builds the MUD zone
 * `start` and the field `test-area` from the content pack, kills some of their NPCs and enemies so
 * respawns are pending (and gives MUD NPCs effects, the field missiles in flight and an enemy away
 * from home), then times `fastForward` over one hour of ticks (36,000 at the MUD's 10 Hz, 72,000 at
 * the field's 20 Hz; the MUD also through the host's recipe with the chat layer's weather,
 * shared/sim/clock.ts `catchUpStops`) against stepping tick by tick over a shorter span, and checks
 * both end in the same state over that span. Prints a markdown table and one JSON line.
 */
import { cpus } from "node:os";
import { FIELD_KIND, type FieldEngine } from "../shared/field/engine";
import { MUD_KIND, type MudEngine } from "../shared/mud/engine";
import { catchUpStops } from "../shared/sim/clock";
import { createRng } from "../shared/sim/rng";
import { chat } from "../shared/zone/chat";
import type { ZoneEngine } from "../shared/zone/engine";

const HOUR_S = 3_600;
/** Timed runs after the first (cold: the JIT has not seen the code yet), which is reported apart. */
const RUNS = 25;
const STEP_SPAN_S = 360; // stepping: six minutes, extrapolated to the hour

function mudZone(): MudEngine {
  const engine = MUD_KIND.create("start", createRng(1)) as MudEngine;
  const world = engine.world;
  world.tick = 1_000;
  Object.values(world.npcs).forEach((npc, i) => {
    if (i % 2 === 0) Object.assign(npc, { hp: 0, respawnAtTick: world.tick + 200 + i * 900 });
    else
      npc.effects = [
        {
          name: "burn",
          kind: "dot",
          duration_ticks: 300,
          interval_ticks: 10,
          magnitude: 1,
          source: "x",
          remaining_ticks: 250,
        },
        {
          name: "ward",
          kind: "buff",
          stat: "vit",
          duration_ticks: 600,
          interval_ticks: 1,
          magnitude: 3,
          source: "x",
          remaining_ticks: 600,
        },
      ];
  });
  return engine;
}

function fieldZone(): FieldEngine {
  const engine = FIELD_KIND.create("test-area", createRng(1)) as FieldEngine;
  const s = engine.state;
  s.tick = 2_000;
  const [first, second, third] = Object.values(s.enemies);
  for (const e of [first, second]) {
    if (!e) continue;
    delete s.enemies[e.id];
    s.respawns.push({ template: e.template, at: e.home, dueAt: s.tick + (e === first ? 300 : 9_000) });
  }
  if (third) Object.assign(third, { state: "return", pos: { x: third.pos.x + 150, y: third.pos.y + 90 }, hp: 1 });
  s.missiles.m900 = {
    id: "m900",
    ownerId: "gone",
    source: "magic-missile",
    pos: { x: 600, y: 400 },
    vel: { x: 12, y: 3 },
    damage: 20,
    expiresAt: s.tick + 40,
  };
  return engine;
}

const ms = (f: () => void) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};
const tickOf = (e: ZoneEngine) => JSON.parse(JSON.stringify(e.serialize())).tick ?? (e as FieldEngine).state?.tick;

interface Summary {
  cold: number;
  median: number;
  p90: number;
  max: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The first run apart, then the median, 90th percentile and maximum of the warm ones. */
function summary([cold, ...warm]: number[]): Summary {
  const sorted = [...warm].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
  return { cold: round(cold as number), median: at(0.5), p90: at(0.9), max: round(Math.max(...warm)) };
}

interface Row {
  zone: string;
  hz: number;
  ticks: number;
  fastForwardMs: Summary;
  hostRecipeMs: Summary;
  stepTicks: number;
  stepMs: number;
  stepHourMsExtrapolated: number;
  equalOverStepSpan: boolean;
}

/** The host's catch-up: stops at the chat layer's weather ticks, the engine's events run between. */
function hostRecipe(engine: ZoneEngine, from: number, to: number, rng: ReturnType<typeof createRng>) {
  let sim = { ...chat.initial(), tick: from };
  for (const stop of catchUpStops(from, to, [chat.nextEventTick])) {
    const ctx = { rng, now: 0 };
    engine.fastForward(stop - 1, ctx);
    sim = chat.fastForward(sim, stop, ctx).state;
    engine.fastForward(stop, ctx);
  }
  return sim;
}

function measure(name: string, make: () => ZoneEngine, hz: number): Row {
  const ticks = HOUR_S * hz;
  const ff: number[] = [];
  const host: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const engine = make();
    const to = tickOf(engine) + ticks;
    ff.push(ms(() => engine.fastForward(to, { rng: createRng(run), now: 0 })));
    const hosted = make();
    const from = tickOf(hosted);
    host.push(ms(() => hostRecipe(hosted, from, from + ticks, createRng(run))));
  }
  const stepTicks = STEP_SPAN_S * hz;
  const stepped = make();
  const skipped = make();
  const from = tickOf(stepped);
  const [a, b] = [createRng(9), createRng(9)];
  const stepMs = ms(() => {
    for (let tick = from + 1; tick <= from + stepTicks; tick++) stepped.step({ tick, now: 0, rng: a });
  });
  skipped.fastForward(from + stepTicks, { rng: b, now: 0 });
  const equal = JSON.stringify(stepped.serialize()) === JSON.stringify(skipped.serialize()) && a.state() === b.state();
  // The host's two ways over the same span: chat layer and engine stepped every tick, or the recipe.
  const [hostStepped, hostSkipped] = [make(), make()];
  const [c, d] = [createRng(5), createRng(5)];
  let sim = { ...chat.initial(), tick: from };
  for (let tick = from + 1; tick <= from + stepTicks; tick++) {
    sim = chat.step(sim, { tick, now: 0, rng: c }).state;
    hostStepped.step({ tick, now: 0, rng: c });
  }
  const recipeSim = hostRecipe(hostSkipped, from, from + stepTicks, d);
  const hostEqual =
    JSON.stringify(hostStepped.serialize()) === JSON.stringify(hostSkipped.serialize()) &&
    JSON.stringify(sim) === JSON.stringify(recipeSim) &&
    c.state() === d.state();
  return {
    zone: name,
    hz,
    ticks,
    fastForwardMs: summary(ff),
    hostRecipeMs: summary(host),
    stepTicks,
    stepMs: round(stepMs),
    stepHourMsExtrapolated: Math.round((stepMs * ticks) / stepTicks),
    equalOverStepSpan: equal && hostEqual,
  };
}

const rows = [measure("mud:start", mudZone, 10), measure("field:test-area", fieldZone, 20)];
const ms4 = (x: Summary) => `${x.cold} / ${x.median} / ${x.p90} / ${x.max}`;
console.log(
  "| zone | ticks (1 h) | fastForward ms (cold / median / p90 / max) | host recipe ms (same) | step ms (ticks) | step, 1 h extrapolated ms | same state |",
);
console.log("|---|---|---|---|---|---|---|");
for (const r of rows)
  console.log(
    `| ${r.zone} | ${r.ticks} | ${ms4(r.fastForwardMs)} | ${ms4(r.hostRecipeMs)} | ${r.stepMs} (${r.stepTicks}) | ${r.stepHourMsExtrapolated} | ${r.equalOverStepSpan} |`,
  );
console.log(JSON.stringify({ bench: "idle-catchup", node: process.version, cpu: cpus()[0]?.model, runs: RUNS, rows }));
