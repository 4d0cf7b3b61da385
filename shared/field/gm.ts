/**
 * The GM console of field zones (`~` in the client, `command` frames on the wire): spawn enemies,
 * clear them, reset the zone, change its settings. Pure: returns the new state and a reply.
 * `stats` is answered by the zone itself, which owns the measurements.
 */
import type { Rng } from "../sim/rng";
import { enemyTemplate, enemyTemplateIds } from "./content";
import { addEnemy, createField } from "./field";
import { circleHitsRect, clampToBounds } from "./geometry";
import { FIELD_SETTING_LIMITS } from "./settings";
import { ENEMY_RADIUS, type FieldSettings, type FieldState, PLAYER_RADIUS, type Vec } from "./types";
import type { FieldZoneDefinition } from "./zones";

export const MAX_SPAWN_PER_COMMAND = 100;
export const MAX_ENEMIES = 500;

/** Settings a GM may change, by the name `set` takes, with their bounds (shared/field/settings.ts). */
const SETTABLE: Record<string, { key: keyof FieldSettings; min: number; max: number; whole?: boolean }> = {
  width: { key: "width", ...FIELD_SETTING_LIMITS.width },
  height: { key: "height", ...FIELD_SETTING_LIMITS.height },
  tick: { key: "tickHz", ...FIELD_SETTING_LIMITS.tickHz },
  snapshot: { key: "snapshotHz", ...FIELD_SETTING_LIMITS.snapshotHz },
  view: { key: "viewRadius", ...FIELD_SETTING_LIMITS.viewRadius },
  speed: { key: "playerSpeed", ...FIELD_SETTING_LIMITS.playerSpeed },
  budget: { key: "snapshotBytes", ...FIELD_SETTING_LIMITS.snapshotBytes },
};

export const GM_HELP = [
  "spawn [n] [template] [x y] — add n enemies (1–100) at x y or at random open spots; templates: " +
    enemyTemplateIds().join(", "),
  "clear — remove every enemy",
  "scatter — move every player to a random open spot (spreads out a crowd, e.g. benchmark bots)",
  "reset — enemies back as the zone defines them, every player at the spawn point with full health",
  `set key=value… — ${Object.keys(SETTABLE).join(", ")} (e.g. set width=2000 height=2000 view=300)`,
  "stats [reset] — tick time, entities and bytes sent since the last reset",
].join("\n");

/**
 * Lines that only read the zone, open to everyone where the console is: `help` and `stats`
 * (the same figures /metrics publishes). `stats reset` restarts everyone's measurement window, so
 * it is a GM's, like every command that changes the zone (docs/protocol.md, GM console).
 */
export function isReadOnlyGmLine(line: string): boolean {
  const [verb = "", ...args] = line.trim().split(/\s+/);
  const word = verb.toLowerCase();
  return word === "help" || word === "?" || (word === "stats" && !args.includes("reset"));
}

export type GmResult =
  /** `remapped`: the map or its rates changed, so every client needs the `field` message again. */
  | { kind: "done"; state: FieldState; reply: string; remapped?: true }
  | { kind: "stats"; reset: boolean }
  | { kind: "error"; message: string };

export function runGmCommand(state: FieldState, definition: FieldZoneDefinition, line: string, rng: Rng): GmResult {
  const [verb = "", ...args] = line.trim().split(/\s+/);
  switch (verb.toLowerCase()) {
    case "help":
    case "?":
      return { kind: "done", state, reply: GM_HELP };
    case "spawn":
      return spawn(state, args, rng);
    case "scatter":
      return scatter(state, rng);
    case "clear":
      return { kind: "done", state: { ...state, enemies: {}, respawns: [] }, reply: "All enemies removed." };
    case "reset":
      return { kind: "done", state: reset(state, definition), reply: "Zone reset.", remapped: true };
    case "set":
      return set(state, args);
    case "stats":
      if (args.length > 1 || (args[0] !== undefined && args[0] !== "reset"))
        return { kind: "error", message: "usage: stats [reset]" };
      return { kind: "stats", reset: args[0] === "reset" };
    default:
      return { kind: "error", message: `unknown GM command "${verb}"; try help` };
  }
}

function spawn(state: FieldState, args: string[], rng: Rng): GmResult {
  const count = args[0] === undefined ? 1 : Number(args[0]);
  const template = args[1] ?? "golem";
  if (!Number.isInteger(count) || count < 1 || count > MAX_SPAWN_PER_COMMAND) {
    return { kind: "error", message: `spawn takes a count from 1 to ${MAX_SPAWN_PER_COMMAND}` };
  }
  if (!enemyTemplate(template)) {
    return {
      kind: "error",
      message: `no enemy template "${template}"; known: ${enemyTemplateIds().join(", ")}`,
    };
  }
  const { width, height } = state.settings;
  let place: Vec | null = null;
  if (args.length > 2) {
    const [x, y] = [Number(args[2]), Number(args[3])];
    if (args.length !== 4 || !Number.isFinite(x) || !Number.isFinite(y)) {
      return { kind: "error", message: "usage: spawn [n] [template] [x y]" };
    }
    place = clampToBounds({ x, y }, ENEMY_RADIUS, width, height);
  }
  const room = MAX_ENEMIES - Object.keys(state.enemies).length;
  if (count > room) {
    return {
      kind: "error",
      message: `a zone holds at most ${MAX_ENEMIES} enemies; room for ${Math.max(0, room)} more`,
    };
  }
  let next = state;
  for (let i = 0; i < count; i++) next = addEnemy(next, template, place ?? openSpot(state, rng)).state;
  return { kind: "done", state: next, reply: `Spawned ${count} ${template}${count === 1 ? "" : "s"}.` };
}

/** A random spot clear of walls; after a few tries the last one is used even if it touches one. */
function openSpot(state: FieldState, rng: Rng, radius = ENEMY_RADIUS): Vec {
  const { width, height } = state.settings;
  let at = { x: 0, y: 0 };
  for (let attempt = 0; attempt < 10; attempt++) {
    at = clampToBounds({ x: rng.next() * width, y: rng.next() * height }, radius, width, height);
    if (!state.obstacles.some((o) => circleHitsRect(at, radius, o))) break;
  }
  return at;
}

function scatter(state: FieldState, rng: Rng): GmResult {
  // Sorted ids: the same seed scatters the same players to the same spots.
  const ids = Object.keys(state.players).sort();
  const players = { ...state.players };
  for (const id of ids) {
    const p = players[id];
    if (p) players[id] = { ...p, pos: openSpot(state, rng, PLAYER_RADIUS) };
  }
  return { kind: "done", state: { ...state, players }, reply: `Scattered ${ids.length} players.` };
}

function reset(state: FieldState, definition: FieldZoneDefinition): FieldState {
  const fresh = createField(definition, state.settings);
  const players = Object.fromEntries(
    Object.values(state.players).map((p) => [
      p.id,
      {
        ...p,
        pos: { ...fresh.spawn },
        hp: p.maxHp,
        mp: p.maxMp,
        cast: null,
        respawnAt: null,
        invulnerableUntil: -1,
      },
    ]),
  );
  // Ids keep counting up, so a client never confuses a new entity with one it saw before the reset.
  const offset = state.nextId;
  const enemies = Object.fromEntries(
    Object.values(fresh.enemies).map((e, i) => [`e${offset + i}`, { ...e, id: `e${offset + i}` }]),
  );
  return { ...fresh, tick: state.tick, players, enemies, nextId: offset + Object.keys(enemies).length };
}

function set(state: FieldState, args: string[]): GmResult {
  if (!args.length)
    return { kind: "error", message: `usage: set key=value… with keys ${Object.keys(SETTABLE).join(", ")}` };
  const settings = { ...state.settings };
  for (const arg of args) {
    const [name = "", raw] = arg.split("=");
    // Own keys only: "__proto__" or "constructor" are not settings.
    const rule = Object.hasOwn(SETTABLE, name) ? SETTABLE[name] : undefined;
    if (!rule)
      return { kind: "error", message: `unknown setting "${name}"; known: ${Object.keys(SETTABLE).join(", ")}` };
    const value = Number(raw);
    const bad = raw === undefined || raw === "" || !Number.isFinite(value) || value < rule.min || value > rule.max;
    if (bad || (rule.whole && !Number.isInteger(value))) {
      const kind = rule.whole ? "whole number" : "number";
      return { kind: "error", message: `${name} must be a ${kind} from ${rule.min} to ${rule.max}` };
    }
    settings[rule.key] = value;
  }
  if (settings.snapshotHz > settings.tickHz) settings.snapshotHz = settings.tickHz;
  const { width, height } = settings;
  // A smaller map pulls everything inside it, enemies' homes and pending respawns too: otherwise an
  // enemy walking home, or coming back after its death, would end up outside the map.
  const within = (p: Vec, r: number) => clampToBounds(p, r, width, height);
  const next: FieldState = {
    ...state,
    settings,
    spawn: within(state.spawn, PLAYER_RADIUS),
    players: Object.fromEntries(
      Object.values(state.players).map((p) => [p.id, { ...p, pos: within(p.pos, PLAYER_RADIUS) }]),
    ),
    enemies: Object.fromEntries(
      Object.values(state.enemies).map((e) => [
        e.id,
        { ...e, pos: within(e.pos, ENEMY_RADIUS), home: within(e.home, ENEMY_RADIUS) },
      ]),
    ),
    respawns: state.respawns.map((r) => ({ ...r, at: within(r.at, ENEMY_RADIUS) })),
  };
  const shown = Object.entries(SETTABLE).map(([name, rule]) => `${name}=${settings[rule.key]}`);
  return { kind: "done", state: next, reply: `Settings: ${shown.join(" ")}`, remapped: true };
}
