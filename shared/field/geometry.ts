/** Vector and collision helpers for field zones: circles against rectangles, segments, bounds. */
import type { Rect, Vec } from "./types";

export const vec = (x: number, y: number): Vec => ({ x, y });
export const sub = (a: Vec, b: Vec): Vec => ({ x: a.x - b.x, y: a.y - b.y });
export const add = (a: Vec, b: Vec): Vec => ({ x: a.x + b.x, y: a.y + b.y });
export const scale = (a: Vec, k: number): Vec => ({ x: a.x * k, y: a.y * k });
export const length = (a: Vec): number => Math.hypot(a.x, a.y);
export const distance = (a: Vec, b: Vec): number => Math.hypot(a.x - b.x, a.y - b.y);

/** A finite number, or 0: the wire never hands NaN or Infinity to the simulation. */
export const finite = (n: number): number => (Number.isFinite(n) ? n : 0);

/** Direction of `a` with length at most 1 (NaN-safe; the zero vector stays zero). */
export function clampUnit(a: Vec): Vec {
  const x = finite(a.x);
  const y = finite(a.y);
  const len = Math.hypot(x, y);
  return len > 1 ? { x: x / len, y: y / len } : { x, y };
}

/** Unit vector from `from` towards `to`, or null when they coincide. */
export function direction(from: Vec, to: Vec): Vec | null {
  const d = sub(to, from);
  const len = length(d);
  return len < 1e-9 ? null : scale(d, 1 / len);
}

export function clampToBounds(p: Vec, radius: number, width: number, height: number): Vec {
  return {
    x: Math.min(Math.max(finite(p.x), radius), Math.max(radius, width - radius)),
    y: Math.min(Math.max(finite(p.y), radius), Math.max(radius, height - radius)),
  };
}

/** Whether `p` lies in `rect`, edges included. */
export function pointInRect(p: Vec, rect: Rect): boolean {
  return p.x >= rect.x && p.x <= rect.x + rect.w && p.y >= rect.y && p.y <= rect.y + rect.h;
}

export function circleHitsRect(c: Vec, r: number, rect: Rect): boolean {
  const nx = Math.min(Math.max(c.x, rect.x), rect.x + rect.w);
  const ny = Math.min(Math.max(c.y, rect.y), rect.y + rect.h);
  return (c.x - nx) ** 2 + (c.y - ny) ** 2 < r * r;
}

export function circlesOverlap(a: Vec, ra: number, b: Vec, rb: number): boolean {
  return (a.x - b.x) ** 2 + (a.y - b.y) ** 2 <= (ra + rb) ** 2;
}

/** Where along a→b (0–1) the segment first enters the rectangle, or null if it misses (slab test). */
export function segmentEntersRect(a: Vec, b: Vec, rect: Rect): number | null {
  let t0 = 0;
  let t1 = 1;
  const axes: [number, number, number, number][] = [
    [b.x - a.x, a.x, rect.x, rect.x + rect.w],
    [b.y - a.y, a.y, rect.y, rect.y + rect.h],
  ];
  for (const [dir, origin, min, max] of axes) {
    if (Math.abs(dir) < 1e-12) {
      if (origin < min || origin > max) return null;
      continue;
    }
    let near = (min - origin) / dir;
    let far = (max - origin) / dir;
    if (near > far) [near, far] = [far, near];
    t0 = Math.max(t0, near);
    t1 = Math.min(t1, far);
    if (t0 > t1) return null;
  }
  return t0;
}

export const segmentHitsRect = (a: Vec, b: Vec, rect: Rect): boolean => segmentEntersRect(a, b, rect) !== null;

/** Where along a→b (0–1) the segment first comes within `r` of `c`, or null if it never does. */
export function segmentEntersCircle(a: Vec, b: Vec, c: Vec, r: number): number | null {
  const d = sub(b, a);
  const f = sub(a, c);
  const qa = d.x * d.x + d.y * d.y;
  const qc = f.x * f.x + f.y * f.y - r * r;
  if (qc <= 0) return 0; // Starts inside.
  if (qa < 1e-12) return null;
  const qb = 2 * (f.x * d.x + f.y * d.y);
  const disc = qb * qb - 4 * qa * qc;
  if (disc < 0) return null;
  const t = (-qb - Math.sqrt(disc)) / (2 * qa);
  return t >= 0 && t <= 1 ? t : null;
}

/** Line of fire: nothing solid between the two points. */
export function clearLine(a: Vec, b: Vec, obstacles: readonly Rect[]): boolean {
  return !obstacles.some((rect) => segmentHitsRect(a, b, rect));
}

/**
 * Moves a circle by `delta`, one axis at a time so it slides along walls instead of sticking;
 * an axis step that would enter an obstacle is dropped. Stays inside the map. A move longer than
 * the radius is taken in sub-steps no longer than the radius: checking only where one long step
 * lands would let a fast mover (a GM may set 1000 units/s at 1 Hz) jump clean over a wall.
 */
export function moveCircle(
  from: Vec,
  delta: Vec,
  radius: number,
  obstacles: readonly Rect[],
  width: number,
  height: number,
): Vec {
  // Farther than the map is wide only presses against its edge, so this also bounds the sub-steps.
  const dx = Math.min(Math.max(finite(delta.x), -width), width);
  const dy = Math.min(Math.max(finite(delta.y), -height), height);
  const steps = radius > 0 ? Math.max(1, Math.ceil(Math.hypot(dx, dy) / radius)) : 1;
  let p = from;
  // A body already inside a wall (the map shrank around it) may move freely until it is out.
  const blocked = (at: Vec) =>
    obstacles.some((o) => circleHitsRect(at, radius, o)) && !obstacles.some((o) => circleHitsRect(p, radius, o));
  for (let i = 0; i < steps; i++) {
    const tryX = clampToBounds({ x: p.x + dx / steps, y: p.y }, radius, width, height);
    if (!blocked(tryX)) p = tryX;
    const tryY = clampToBounds({ x: p.x, y: p.y + dy / steps }, radius, width, height);
    if (!blocked(tryY)) p = tryY;
  }
  return p;
}
