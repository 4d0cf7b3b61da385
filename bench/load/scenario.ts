/**
 * Load scenarios (bench/load/README.md): JSON files naming the realm to load, the stages that set
 * how many players play over time, and the mix of behaviours they play with. Checked with zod, so
 * a mistake is reported with the field that holds it.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

export const BEHAVIOURS = ["idle", "wander", "chat", "fight", "travel", "reconnect"] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

const Stage = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ramp"), players: z.number().int().min(1).max(100_000), seconds: z.number().positive() }),
  z.object({ kind: z.literal("hold"), seconds: z.number().positive() }),
  z.object({
    kind: z.literal("ramp-down"),
    players: z.number().int().min(0).default(0),
    seconds: z.number().positive(),
  }),
]);

export const Scenario = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, "lower-case letters, digits and dashes"),
    description: z.string().optional(),
    /** The realm's gateway; `--target` overrides it. */
    target: z.string().url().default("http://127.0.0.1:8787"),
    stages: z.array(Stage).min(1),
    /** Relative weights: a player's behaviour is drawn from them when it joins. */
    behaviours: z
      .partialRecord(z.enum(BEHAVIOURS), z.number().min(0))
      .refine(
        (weights) => Object.values(weights).some((w) => (w ?? 0) > 0),
        "give at least one behaviour a weight above 0",
      ),
    /** Seconds between a player's commands (each player starts at a random point of it). */
    commandEverySeconds: z.number().min(0.05).default(1),
    /** A `reconnect` player drops its socket this often, seconds. */
    reconnectEverySeconds: z.number().min(1).default(20),
    /** Exits wanderers never take (the portal and the downs lead into field zones, where MUD commands do nothing). */
    avoidExits: z.array(z.string()).default(["portal", "downs"]),
    /**
     * Players as guests (the realm must run with ALLOW_GUESTS=true): no accounts, so joins cost no
     * password hashes, spread over `instances` copies of `zone` (`start~1` … `start~N`; 1 = the
     * zone itself). Without it every player has an account and a character.
     */
    guests: z
      .object({
        zone: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
          .default("start"),
        instances: z.number().int().min(1).max(10_000).default(1),
      })
      .strict()
      .optional(),
    /** Account names start with this, then the run's id and the player's number. */
    accountPrefix: z
      .string()
      .regex(/^[a-z]{1,8}$/)
      .default("load"),
    /** Players joining at once at most (each join costs the server two password hashes). */
    maxConcurrentJoins: z.number().int().min(1).default(16),
    /** Process-metrics endpoints of remote nodes (PROCESS_METRICS_LISTEN), for CPU and memory. */
    processMetrics: z.array(z.string().url()).default([]),
    /**
     * A soak: over the hold stages, memory, descriptors and queued work must not grow faster than
     * this, or the run fails (exit code 3; bench/load/soak.ts).
     */
    soak: z
      .object({
        rssMbPerHour: z.number().positive().default(64),
        fdsPerHour: z.number().positive().default(100),
        queuedPerHour: z.number().positive().default(20),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Scenario = z.infer<typeof Scenario>;

/** Reads and checks a scenario file; the error names the file and the field at fault. */
export function loadScenario(path: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new Error(`${path}: not a readable JSON file (${(cause as Error).message})`);
  }
  const parsed = Scenario.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue?.path.join(".") || "scenario"}: ${issue?.message}`);
  }
  return parsed.data;
}

/** How many players the stages ask for `t` seconds into the run (linear within a ramp). */
export function targetAt(stages: Scenario["stages"], t: number): number {
  let players = 0;
  let start = 0;
  for (const stage of stages) {
    const end = start + stage.seconds;
    const to = stage.kind === "hold" ? players : stage.players;
    if (t < end) return Math.round(players + ((to - players) * (t - start)) / stage.seconds);
    players = to;
    start = end;
  }
  return players;
}

export const totalSeconds = (stages: Scenario["stages"]) => stages.reduce((sum, stage) => sum + stage.seconds, 0);
export const peakPlayers = (stages: Scenario["stages"]) =>
  stages.reduce((peak, stage) => (stage.kind === "hold" ? peak : Math.max(peak, stage.players)), 0);

/** A behaviour drawn from the weights by `roll` in [0, 1). */
export function pickBehaviour(weights: Scenario["behaviours"], roll: number): Behaviour {
  const entries = BEHAVIOURS.map((b) => [b, weights[b] ?? 0] as const).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let left = roll * total;
  for (const [behaviour, weight] of entries) {
    if (left < weight) return behaviour;
    left -= weight;
  }
  return (entries.at(-1) as readonly [Behaviour, number])[0];
}

/** Seconds from the start of the first hold stage to the end of the last one (the steady part). */
export function steadySpan(stages: Scenario["stages"]): { from: number; to: number } | undefined {
  let start = 0;
  let from: number | undefined;
  let to: number | undefined;
  for (const stage of stages) {
    if (stage.kind === "hold") {
      from ??= start;
      to = start + stage.seconds;
    }
    start += stage.seconds;
  }
  return from === undefined || to === undefined ? undefined : { from, to };
}
