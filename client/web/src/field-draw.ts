/**
 * Pure pieces of the field view (field-view.ts): camera maths, held keys to a movement vector,
 * tick estimates and cooldowns, which entity a skill is cast at, and the canvas drawing of one
 * frame. Entity fields and skill rules are those of docs/protocol.md, "Field zone reference".
 */
import { ENEMY_RADIUS, MISSILE_RADIUS, PLAYER_RADIUS, type Rect, type Vec } from "../../../shared/field/types";
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

const alive = (e: DrawnEntity) => num(e.hp, 1) > 0 && e.s !== "dead";

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

/** A number or word floating up from where something happened, for about a second. */
export interface Float {
  text: string;
  x: number;
  y: number;
  color: string;
  born: number;
}

/** A ring flashed where a burst or a sweep went off (or is being cast), until `until`. */
export interface Flash {
  x: number;
  y: number;
  r: number;
  color: string;
  born: number;
  until: number;
}

export const FLOAT_MS = 1000;

/** What is drawn in one frame. Times are `performance.now()` milliseconds; `tick` may be fractional. */
export interface Scene {
  cam: Camera;
  width: number;
  height: number;
  obstacles: readonly Rect[];
  entities: readonly DrawnEntity[];
  you: string;
  tick: number | undefined;
  telegraphStart: ReadonlyMap<string, number>;
  floats: readonly Float[];
  flashes: readonly Flash[];
  now: number;
  /** The enemy the first attack would go to. */
  hover?: string;
  aim?: Vec;
  stick?: { origin: Vec; at: Vec };
}

export const telegraphKey = (id: string, hitsAt: number) => `${id}:${hitsAt}`;

const ENEMY_COLORS: Record<string, string> = { golem: "#b98a5e", wisp: "#b69cff" };

export function hpColor(ratio: number): string {
  return ratio > 0.5 ? "#5fd16b" : ratio > 0.25 ? "#f0c341" : "#e85b5b";
}

/** Draws one frame on a context whose transform maps CSS pixels (device pixel ratio applied by the caller). */
export function drawScene(ctx: CanvasRenderingContext2D, s: Scene): void {
  const { cam } = s;
  const px = 1 / cam.scale;
  ctx.fillStyle = "#07090d";
  ctx.fillRect(0, 0, cam.w, cam.h);
  ctx.save();
  ctx.translate(cam.w / 2, cam.h / 2);
  ctx.scale(cam.scale, cam.scale);
  ctx.translate(-cam.cx, -cam.cy);
  drawMap(ctx, s, px);
  for (const e of s.entities) if (e.k === "e" && e.tg && typeof e.tg === "object") drawTelegraph(ctx, s, e);
  for (const f of s.flashes) {
    const age = Math.min(1, (s.now - f.born) / Math.max(1, f.until - f.born));
    ctx.strokeStyle = f.color;
    ctx.globalAlpha = 0.9 - 0.6 * age;
    ctx.lineWidth = 3 * px;
    circle(ctx, f.x, f.y, f.r);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  for (const e of s.entities) if (e.k === "m") drawMissile(ctx, e);
  for (const e of s.entities) if (e.k === "e") drawBody(ctx, s, e, px);
  for (const e of s.entities) if (e.k === "p" && e.id !== s.you) drawBody(ctx, s, e, px);
  const me = s.entities.find((e) => e.id === s.you);
  if (me) drawBody(ctx, s, me, px);
  if (s.aim) drawAim(ctx, s.aim, px);
  drawFloats(ctx, s, px);
  ctx.restore();
  if (s.stick) drawStick(ctx, s.stick);
}

function circle(ctx: CanvasRenderingContext2D, x: number, y: number, r: number) {
  ctx.beginPath();
  ctx.arc(x, y, Math.max(0, r), 0, Math.PI * 2);
}

function drawMap(ctx: CanvasRenderingContext2D, s: Scene, px: number) {
  ctx.fillStyle = "#141a24";
  ctx.fillRect(0, 0, s.width, s.height);
  // A grid every 100 units, only where it is on screen, so walking shows even in open ground.
  const half = { x: s.cam.w / 2 / s.cam.scale, y: s.cam.h / 2 / s.cam.scale };
  const x0 = Math.max(0, Math.floor((s.cam.cx - half.x) / 100) * 100);
  const x1 = Math.min(s.width, s.cam.cx + half.x);
  const y0 = Math.max(0, Math.floor((s.cam.cy - half.y) / 100) * 100);
  const y1 = Math.min(s.height, s.cam.cy + half.y);
  ctx.strokeStyle = "#1f2734";
  ctx.lineWidth = px;
  ctx.beginPath();
  for (let x = x0; x <= x1; x += 100) {
    ctx.moveTo(x, Math.max(0, y0));
    ctx.lineTo(x, y1);
  }
  for (let y = y0; y <= y1; y += 100) {
    ctx.moveTo(Math.max(0, x0), y);
    ctx.lineTo(x1, y);
  }
  ctx.stroke();
  ctx.strokeStyle = "#5a6a85";
  ctx.lineWidth = 3 * px;
  ctx.strokeRect(0, 0, s.width, s.height);
  ctx.fillStyle = "#3b4250";
  ctx.strokeStyle = "#69738a";
  ctx.lineWidth = 2 * px;
  for (const o of s.obstacles) {
    ctx.fillRect(o.x, o.y, o.w, o.h);
    ctx.strokeRect(o.x, o.y, o.w, o.h);
  }
}

function drawTelegraph(ctx: CanvasRenderingContext2D, s: Scene, e: DrawnEntity) {
  const tg = e.tg as Record<string, unknown>;
  const x = num(tg.x);
  const y = num(tg.y);
  const r = num(tg.r);
  const hitsAt = num(tg.hitsAt);
  const start = s.telegraphStart.get(telegraphKey(e.id, hitsAt));
  const fill = s.tick === undefined || start === undefined ? 0 : telegraphFill(start, hitsAt, s.tick);
  ctx.fillStyle = "rgba(232, 70, 60, 0.14)";
  circle(ctx, x, y, r);
  ctx.fill();
  ctx.fillStyle = `rgba(232, 70, 60, ${0.25 + 0.3 * fill})`;
  circle(ctx, x, y, r * fill);
  ctx.fill();
  ctx.strokeStyle = "rgba(255, 110, 90, 0.9)";
  ctx.lineWidth = 2 / s.cam.scale;
  circle(ctx, x, y, r);
  ctx.stroke();
}

function drawMissile(ctx: CanvasRenderingContext2D, e: DrawnEntity) {
  ctx.fillStyle = "rgba(140, 200, 255, 0.35)";
  circle(ctx, e.x, e.y, MISSILE_RADIUS * 2.2);
  ctx.fill();
  ctx.fillStyle = "#d8f0ff";
  circle(ctx, e.x, e.y, MISSILE_RADIUS);
  ctx.fill();
}

function drawBody(ctx: CanvasRenderingContext2D, s: Scene, e: DrawnEntity, px: number) {
  const enemy = e.k === "e";
  const you = e.id === s.you;
  const r = enemy ? ENEMY_RADIUS : PLAYER_RADIUS;
  const dead = !alive(e);
  ctx.globalAlpha = dead ? 0.35 : 1;
  if (you) {
    ctx.fillStyle = "rgba(90, 200, 255, 0.22)";
    circle(ctx, e.x, e.y, r + 9 * px);
    ctx.fill();
  }
  ctx.fillStyle = enemy ? (ENEMY_COLORS[String(e.t)] ?? "#d9685f") : you ? "#58c4ff" : "#7fcf8a";
  circle(ctx, e.x, e.y, r);
  ctx.fill();
  ctx.lineWidth = 2 * px;
  ctx.strokeStyle = you ? "#ffffff" : enemy && (e.s === "windup" || e.s === "attack") ? "#ff5a4a" : "#0b0e14";
  ctx.stroke();
  if (s.hover === e.id) {
    ctx.setLineDash([5 * px, 4 * px]);
    ctx.strokeStyle = "#ffe066";
    circle(ctx, e.x, e.y, r + 6 * px);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (!enemy && s.tick !== undefined && num(e.inv, -1) >= s.tick) {
    ctx.strokeStyle = "rgba(255, 240, 160, 0.8)";
    circle(ctx, e.x, e.y, r + 4 * px + Math.sin(s.now / 90) * 2 * px);
    ctx.stroke();
  }
  if (typeof e.c === "string") {
    ctx.strokeStyle = "#c89bff";
    ctx.lineWidth = 3 * px;
    circle(ctx, e.x, e.y, r + 3 * px);
    ctx.stroke();
  }
  const mhp = num(e.mhp);
  const barW = 40 * px;
  const barY = e.y - r - 10 * px;
  if (mhp > 0) {
    const ratio = Math.max(0, Math.min(1, num(e.hp) / mhp));
    ctx.fillStyle = "rgba(0, 0, 0, 0.7)";
    ctx.fillRect(e.x - barW / 2, barY, barW, 5 * px);
    ctx.fillStyle = hpColor(ratio);
    ctx.fillRect(e.x - barW / 2, barY, barW * ratio, 5 * px);
  }
  ctx.font = `${12 * px}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillStyle = you ? "#bfe8ff" : enemy ? "#ffd2c8" : "#d6f5da";
  ctx.fillText(String(e.n ?? e.id), e.x, barY - 2 * px);
  ctx.globalAlpha = 1;
}

function drawAim(ctx: CanvasRenderingContext2D, aim: Vec, px: number) {
  ctx.strokeStyle = "rgba(255, 255, 255, 0.6)";
  ctx.lineWidth = 1.5 * px;
  ctx.beginPath();
  ctx.moveTo(aim.x - 8 * px, aim.y);
  ctx.lineTo(aim.x + 8 * px, aim.y);
  ctx.moveTo(aim.x, aim.y - 8 * px);
  ctx.lineTo(aim.x, aim.y + 8 * px);
  ctx.stroke();
}

function drawFloats(ctx: CanvasRenderingContext2D, s: Scene, px: number) {
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.font = `bold ${16 * px}px system-ui, sans-serif`;
  for (const f of s.floats) {
    const age = (s.now - f.born) / FLOAT_MS;
    if (age < 0 || age > 1) continue;
    ctx.globalAlpha = 1 - age * age;
    ctx.fillStyle = "#000";
    ctx.fillText(f.text, f.x + px, f.y - 24 * px - 40 * age * px + px);
    ctx.fillStyle = f.color;
    ctx.fillText(f.text, f.x, f.y - 24 * px - 40 * age * px);
  }
  ctx.globalAlpha = 1;
}

function drawStick(ctx: CanvasRenderingContext2D, stick: { origin: Vec; at: Vec }) {
  const { origin, at } = stick;
  ctx.fillStyle = "rgba(255, 255, 255, 0.12)";
  circle(ctx, origin.x, origin.y, 50);
  ctx.fill();
  const d = stickMove(origin, at);
  ctx.fillStyle = "rgba(255, 255, 255, 0.4)";
  circle(ctx, origin.x + d.x * 50, origin.y + d.y * 50, 20);
  ctx.fill();
}
