/**
 * What each client sees of a field zone: the entities within its view radius (found through the
 * interest grid), as small JSON views with positions quantized to whole units, plus its own
 * private fields (mana, cooldowns, level and experience). Views of other entities are built once
 * per snapshot and shared between clients; the delta codec (delta.ts) then sends each client only
 * what changed.
 */
import { HANDLE } from "../protocol/binary";
import { fieldSkills } from "./character";
import type { EntityView } from "./delta";
import { SpatialGrid } from "./interest";
import type { FieldEvent, FieldPlayer, FieldState, Vec } from "./types";

/** Snapshots go out every this many ticks, so the real snapshot rate divides the tick rate. */
export const snapshotEvery = (tickHz: number, snapshotHz: number): number =>
  Math.max(1, Math.round(tickHz / Math.min(snapshotHz, tickHz)));

/**
 * The `field` message: the field as a session needs it to draw, naming its body `you`. The next
 * snapshot it gets is a full one numbered 1 (the client drops what it held; after a restart or a GM
 * change, old snapshot numbers mean nothing). `gm`: the whole GM console is open to it.
 */
export function fieldMessage(state: FieldState, you: string, gm: boolean) {
  const { settings, obstacles, spawn } = state;
  return {
    type: "field",
    you,
    width: settings.width,
    height: settings.height,
    tickRate: settings.tickHz,
    snapshotRate: settings.tickHz / snapshotEvery(settings.tickHz, settings.snapshotHz),
    viewRadius: settings.viewRadius,
    playerSpeed: settings.playerSpeed,
    obstacles,
    spawn,
    skills: fieldSkills(state.players[you]),
    gm,
  };
}

/** Position quantum: whole units (a player moves 5 units a tick at the default speed). */
export const quantize = (n: number): number => Math.round(n);

/**
 * Velocity in units per second, whole, for clients to extrapolate between snapshots; omitted
 * when still (a removed field costs a bit once, a zero would cost bytes every snapshot).
 */
function withVelocity(view: EntityView, vx: number, vy: number): EntityView {
  const x = Math.round(vx);
  const y = Math.round(vy);
  if (x !== 0) view.vx = x;
  if (y !== 0) view.vy = y;
  return view;
}

function playerView(p: FieldPlayer, tick: number, speed: number): EntityView {
  const view: EntityView = {
    id: p.id,
    k: "p",
    n: p.name,
    x: quantize(p.pos.x),
    y: quantize(p.pos.y),
    hp: p.hp,
    mhp: p.maxHp,
  };
  if (p.respawnAt !== null) view.s = "dead";
  // Damage is ignored up to and including `invulnerableUntil`, so the flag shows through that tick.
  if (p.invulnerableUntil >= tick) view.inv = p.invulnerableUntil;
  if (p.cast) view.c = p.cast.skill;
  if (p.respawnAt === null) withVelocity(view, p.move.x * speed, p.move.y * speed);
  return view;
}

/** Everything in the zone as views, once per snapshot, with a grid to find what is near whom. */
export interface SharedViews {
  views: Map<string, EntityView>;
  grid: SpatialGrid;
}

export function sharedViews(
  state: FieldState,
  grid = new SpatialGrid(Math.max(50, state.settings.viewRadius)),
): SharedViews {
  grid.clear();
  const views = new Map<string, EntityView>();
  for (const p of Object.values(state.players)) {
    views.set(p.id, playerView(p, state.tick, state.settings.playerSpeed));
    grid.insert(p.id, p.pos.x, p.pos.y);
  }
  for (const e of Object.values(state.enemies)) {
    const view: EntityView = {
      id: e.id,
      k: "e",
      t: e.template,
      n: e.name,
      x: quantize(e.pos.x),
      y: quantize(e.pos.y),
      hp: e.hp,
      mhp: e.maxHp,
      s: e.state,
    };
    if (e.telegraph) {
      const { x, y, r, hitsAt } = e.telegraph;
      view.tg = { x: quantize(x), y: quantize(y), r, hitsAt };
    }
    views.set(e.id, view);
    grid.insert(e.id, e.pos.x, e.pos.y);
  }
  for (const m of Object.values(state.missiles)) {
    const hz = state.settings.tickHz;
    const missile: EntityView = { id: m.id, k: "m", o: m.ownerId, x: quantize(m.pos.x), y: quantize(m.pos.y) };
    views.set(m.id, withVelocity(missile, m.vel.x * hz, m.vel.y * hz));
    grid.insert(m.id, m.pos.x, m.pos.y);
  }
  return { views, grid };
}

/** One client's view: what is within its radius, and itself with its private fields. */
export function clientView(
  state: FieldState,
  shared: SharedViews,
  playerId: string,
  scratch: string[] = [],
): Map<string, EntityView> {
  const view = new Map<string, EntityView>();
  const me = state.players[playerId];
  if (!me) return view;
  for (const id of shared.grid.query(me.pos.x, me.pos.y, state.settings.viewRadius, scratch)) {
    const entity = shared.views.get(id);
    if (entity) view.set(id, entity);
  }
  const base = shared.views.get(playerId) as (EntityView & { [HANDLE]?: number }) | undefined;
  if (base) {
    // Its own body, built afresh rather than copied: the client predicts and reconciles it, so it
    // gets the true position, never a reckoned line (shared/field/reckon.ts), and none of the
    // shared view's cached records. It keeps the entity's handle.
    const own: EntityView & { [HANDLE]?: number } = playerView(me, state.tick, state.settings.playerSpeed);
    own.mp = me.mp;
    own.mmp = me.maxMp;
    own.rd = { ...me.readyAt };
    own.lv = me.level;
    own.xp = me.xp;
    if (base[HANDLE] !== undefined) own[HANDLE] = base[HANDLE];
    view.set(playerId, own);
  }
  return view;
}

const within = (a: Vec, b: Vec, r: number) => (a.x - b.x) ** 2 + (a.y - b.y) ** 2 <= r * r;

/** The events a player hears of: those about it, and those that happened within its view radius. */
export function eventsFor(events: readonly FieldEvent[], state: FieldState, playerId: string): FieldEvent[] {
  const me = state.players[playerId];
  if (!me) return [];
  const r = state.settings.viewRadius;
  return events.filter((e) => {
    if (e.type === "refused" || e.type === "xp" || e.type === "loot") return e.to === playerId;
    if ("by" in e && e.by === playerId) return true;
    if ("target" in e && e.target === playerId) return true;
    return within(e.at, me.pos, r);
  });
}
