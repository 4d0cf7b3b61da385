/**
 * The canvas drawing of one frame of the field view (field-view.ts): the map, telegraphs, flashes,
 * missiles, bodies with their health bars and names, the aim cross, floating numbers and the touch
 * stick. Entity fields are those of docs/protocol.md, "Field zone reference".
 */
import { ENEMY_RADIUS, MISSILE_RADIUS, PLAYER_RADIUS, type Rect, type Vec } from "../../../shared/field/types";
import type { DrawnEntity } from "../../sdk";
import { alive, type Camera, num, stickMove, telegraphFill, telegraphKey } from "./field-logic";

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
