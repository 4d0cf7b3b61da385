/**
 * Pure pieces of the field view (field-view.ts): camera maths, held keys to a movement vector,
 * tick estimates and cooldowns, which entity a skill is cast at, the log line an event is worth
 * and the order of the nearby list. Entity fields and skill rules are those of docs/protocol.md,
 * "Field zone reference".
 */
import { ENEMY_RADIUS, type Vec } from "../../../shared/field/types";
import { resolveSkill } from "../../../shared/rules/skills";
import type { DrawnEntity } from "../../sdk";

/** What the view looks at: `cx`,`cy` the map point at the canvas centre; `w`,`h` in CSS pixels. */
export interface Camera {
  cx: number;
  cy: number;
  scale: number;
  w: number;
  h: number;
}

/** Zoom: about 700 map units across the shorter side, never magnified, never below 0.45. */
export const cameraScale = (w: number, h: number): number => Math.min(1, Math.max(0.45, Math.min(w, h) / 700));

export const toScreen = (cam: Camera, p: Vec): Vec => ({
  x: (p.x - cam.cx) * cam.scale + cam.w / 2,
  y: (p.y - cam.cy) * cam.scale + cam.h / 2,
});

export const toWorld = (cam: Camera, sx: number, sy: number): Vec => ({
  x: (sx - cam.w / 2) / cam.scale + cam.cx,
  y: (sy - cam.h / 2) / cam.scale + cam.cy,
});

export type Direction = "up" | "down" | "left" | "right";

/** WASD and the arrow keys, by `KeyboardEvent.code` (the key's place, whatever the layout). */
export const KEY_DIRECTIONS: Readonly<Record<string, Direction>> = {
  KeyW: "up",
  ArrowUp: "up",
  KeyS: "down",
  ArrowDown: "down",
  KeyA: "left",
  ArrowLeft: "left",
  KeyD: "right",
  ArrowRight: "right",
};

/** The held directions as a movement of length 1 (or 0 when nothing, or opposites, are held). */
export function moveFromKeys(held: ReadonlySet<Direction>): Vec {
  const x = (held.has("right") ? 1 : 0) - (held.has("left") ? 1 : 0);
  const y = (held.has("down") ? 1 : 0) - (held.has("up") ? 1 : 0);
  const len = Math.hypot(x, y);
  return len === 0 ? { x: 0, y: 0 } : { x: x / len, y: y / len };
}

/** A drag from `origin` to `at` as a stick: full speed from `radius` pixels out, nothing inside a dead zone. */
export function stickMove(origin: Vec, at: Vec, radius = 50): Vec {
  const dx = at.x - origin.x;
  const dy = at.y - origin.y;
  const len = Math.hypot(dx, dy);
  if (len < radius * 0.15) return { x: 0, y: 0 };
  const k = Math.min(1, len / radius) / len;
  return { x: dx * k, y: dy * k };
}

/** The zone's tick now, from the newest snapshot's tick and when it arrived (fractional). */
export function estimateTick(latest: { tick: number; at: number } | undefined, now: number, tickRate: number) {
  if (!latest) return undefined;
  return latest.tick + (Math.max(0, now - latest.at) * tickRate) / 1000;
}

/** Seconds left before a skill whose `rd` is `readyAt` may be cast, and that as a share of its cooldown. */
export function cooldownLeft(readyAt: number, tick: number, cooldownMs: number, tickRate: number) {
  const seconds = Math.max(0, (readyAt - tick) / tickRate);
  const fraction = cooldownMs > 0 ? Math.min(1, (seconds * 1000) / cooldownMs) : 0;
  return { seconds, fraction };
}

/** How full a telegraph is: 0 when first seen (`start`), 1 on the tick its hit lands. */
export function telegraphFill(start: number, hitsAt: number, tick: number): number {
  if (hitsAt <= start) return 1;
  return Math.min(1, Math.max(0, (tick - start) / (hitsAt - start)));
}

export type Shape = "bolt" | "burst" | "mend" | "cleave";

/** A skill's shape from the shared rulebook; a skill it does not know is aimed like a bolt. */
export const skillShape = (id: string): Shape => resolveSkill(id)?.shape ?? "bolt";

/** A skill that is cast at one entity (the nearby list's "target it"). */
export const targetsEnemies = (shape: Shape) => shape === "bolt" || shape === "cleave";

export const num = (v: unknown, fallback = 0): number => (typeof v === "number" && Number.isFinite(v) ? v : fallback);

/** Not dead (an entity without `hp` counts as alive). */
export const alive = (e: DrawnEntity) => num(e.hp, 1) > 0 && e.s !== "dead";

/** How close to the cursor an ally must be for Heal to go to it rather than to the caster. */
export const ALLY_PICK_RADIUS = 60;

/**
 * What a cast asks for (docs/protocol.md, `cast`): a bolt or cleave at the living enemy within
 * reach nearest the cursor (the caster's own spot without a cursor), else towards the cursor or
 * `facing`; a mend at the ally nearest the cursor within `ALLY_PICK_RADIUS` of it and in range, else
 * the caster; a burst needs nothing.
 */
export function planCast(
  shape: Shape,
  me: Vec & { id: string },
  entities: readonly DrawnEntity[],
  cursor: Vec | undefined,
  range: number,
  facing?: Vec,
): { aim?: Vec; target?: string } {
  if (shape === "burst") return {};
  const from = cursor ?? me;
  let best: DrawnEntity | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const e of entities) {
    if (e.id === me.id || !alive(e)) continue;
    const reach = Math.hypot(e.x - me.x, e.y - me.y);
    const d = Math.hypot(e.x - from.x, e.y - from.y);
    if (shape === "mend") {
      if (e.k !== "p" || reach > range || d > ALLY_PICK_RADIUS) continue;
    } else if (e.k !== "e" || reach > range + ENEMY_RADIUS) continue;
    if (d < bestD) {
      best = e;
      bestD = d;
    }
  }
  if (best) return { target: best.id };
  if (shape === "mend") return {};
  if (cursor) return { aim: cursor };
  return facing ? { aim: { x: me.x + facing.x * range, y: me.y + facing.y * range } } : {};
}

export type SkillState = "ready" | "cooldown" | "mana" | "casting" | "dead";
type SkillCost = { id: string; manaCost: number; cooldownMs: number };

/** Whether `me` may cast `skill` at `tick` (the first reason it may not, as the server checks them) and its cooldown. */
export function skillState(skill: SkillCost, me: DrawnEntity | undefined, tick: number | undefined, tickRate: number) {
  const rd = (me?.rd && typeof me.rd === "object" ? me.rd : {}) as Record<string, unknown>;
  const cd =
    tick === undefined
      ? { seconds: 0, fraction: 0 }
      : cooldownLeft(num(rd[skill.id]), tick, skill.cooldownMs, tickRate);
  let state: SkillState = "ready";
  if (!me || !alive(me)) state = "dead";
  else if (typeof me.c === "string") state = "casting";
  else if (cd.seconds > 0) state = "cooldown";
  else if (num(me.mp) < skill.manaCost) state = "mana";
  return { state, ...cd };
}

const REFUSALS: Record<string, string> = {
  mana: "Not enough mana",
  casting: "Already casting",
  dead: "You are dead",
  no_target: "No target",
  out_of_range: "Out of range",
  no_line_of_fire: "No line of fire",
  unknown_skill: "Unknown skill",
};

/** The log line (text and kind) a field event is worth to `you`, if any; `name` names an entity by id. */
export function eventLine(
  e: { type: string; [key: string]: unknown },
  you: string | undefined,
  name: (id: unknown) => string,
  tickRate: number,
): [string, string] | undefined {
  switch (e.type) {
    case "refused": {
      const reason = String(e.reason);
      if (reason !== "cooldown") return [REFUSALS[reason] ?? `${name(e.skill)}: ${reason}`, "warn"];
      const left = e.readyInTicks ? ` (${(num(e.readyInTicks) / tickRate).toFixed(1)} s)` : "";
      return [`${name(e.skill)} is not ready yet${left}`, "warn"];
    }
    case "death":
      if (e.target === you) return [e.by ? `You were slain by ${name(e.by)}` : "You died", "warn"];
      return e.by === you ? [`You defeated ${name(e.target)}`, "info"] : undefined;
    case "respawn":
      return e.target === you ? ["You are back on your feet", "info"] : undefined;
    case "xp":
      return [`+${num(e.amount)} XP (${num(e.xp)} total)`, "xp"];
    case "loot": {
      const items = (Array.isArray(e.items) ? e.items : []).map((i) => String(i).replaceAll("-", " "));
      return items.length ? [`You found: ${items.join(", ")}`, "loot"] : undefined;
    }
    case "level_up":
      if (e.target === you) return [`You reached level ${num(e.level)}!`, "level"];
      return [`${name(e.target)} reached level ${num(e.level)}`, "info"];
    default:
      return undefined;
  }
}

/** Enemies before players, each by name then id: a stable order for the nearby list. */
export const byKindAndName = (a: DrawnEntity, b: DrawnEntity): number =>
  String(a.k).localeCompare(String(b.k)) || String(a.n).localeCompare(String(b.n)) || (a.id < b.id ? -1 : 1);

/** Where a telegraph's first sighting is kept: the enemy and the tick its hit lands. */
export const telegraphKey = (id: string, hitsAt: number) => `${id}:${hitsAt}`;
