/**
 * One tick of a field zone: inputs and cast requests in arrival order, respawns, movement,
 * casts completing, missiles flying, enemies thinking, deaths (the killer's experience, and its
 * loot rolled with `ctx.rng`). Pure: the tick number and the RNG come in through `ctx`, so the same
 * seed and inputs always give the same state.
 */
import { rollLoot } from "../mud/loot";
import type { Rng } from "../sim/rng";
import { awardXp, withSheet } from "./character";
import { enemyTemplate, lootTable } from "./content";
import { tickFieldEffects } from "./effects";
import { stepEnemy } from "./enemy";
import { addEnemy } from "./field";
import { add, clampToBounds, clampUnit, moveCircle, segmentEntersCircle, segmentEntersRect } from "./geometry";
import { type CastRequest, completeCasts, requestCast, type SkillDamage } from "./skills";
import {
  ENEMY_RADIUS,
  type FieldEvent,
  type FieldPlayer,
  type FieldState,
  isAlive,
  MISSILE_RADIUS,
  PLAYER_RADIUS,
  ticksFor,
  type Vec,
} from "./types";

/** What players sent since the last tick, in arrival order. */
export type FieldCommand =
  | { kind: "input"; playerId: string; seq: number; move: Vec; aim?: Vec }
  | ({ kind: "cast"; playerId: string } & CastRequest);

export interface FieldTickContext {
  tick: number;
  rng: Rng;
}

export const PLAYER_RESPAWN_MS = 3000;
/** Invulnerability after a respawn: enemies' hits land as `immune`. */
export const RESPAWN_INVULNERABLE_MS = 2000;
export const ENEMY_RESPAWN_MS = 15000;
/** Mana regained per second by every living player. */
export const MANA_REGEN_PER_SECOND = 3;

type Damage = SkillDamage;

export function stepField(
  state: FieldState,
  commands: readonly FieldCommand[],
  ctx: FieldTickContext,
): { state: FieldState; events: FieldEvent[] } {
  const { tick } = ctx;
  const events: FieldEvent[] = [];
  let s: FieldState = { ...state, tick };

  // Instant melee skills strike during the commands; their damage lands with the rest below.
  const struck: Damage[] = [];
  s = applyCommands(s, commands, tick, events, struck);
  s = respawnPlayers(s, tick, events);
  s = movePlayers(s);
  const casts = completeCasts(s, tick);
  s = casts.state;
  events.push(...casts.events);
  const flown = flyMissiles(s, tick);
  s = flown.state;
  s = damageEnemies(s, [...struck, ...casts.damage, ...flown.damage], ctx, events);
  s = thinkEnemies(s, tick, events);
  s = tickEffectsOfPlayers(s, tick, events);
  s = regenerateMana(s, tick);
  s = respawnEnemies(s, tick);
  return { state: s, events };
}

function applyCommands(
  s: FieldState,
  commands: readonly FieldCommand[],
  tick: number,
  events: FieldEvent[],
  struck: Damage[],
): FieldState {
  // Inputs arrive from every player every tick: one working copy of the players, not one per input.
  let players = { ...s.players };
  for (const command of commands) {
    const player = players[command.playerId];
    if (!player) continue;
    if (command.kind === "input") {
      // Sockets are ordered, so an older seq is a client bug or a replay: ignored, never rewinds.
      if (command.seq <= player.lastInputSeq) continue;
      const aim = command.aim ? clampAim(command.aim, s) : player.aim;
      // The dead hold nothing: a player comes back standing still, whatever it sent meanwhile.
      const move = isAlive(player) ? clampUnit(command.move) : { x: 0, y: 0 };
      players[player.id] = { ...player, move, aim, lastInputSeq: command.seq };
    } else {
      const { kind: _kind, playerId, ...request } = command;
      // A cast's own aim comes from the wire as much as an input's: clamped the same way.
      const aimed = request.aim
        ? clampAim(request.aim, s)
        : request.target === undefined
          ? (player.aim ?? undefined)
          : undefined;
      const result = requestCast({ ...s, players }, playerId, { ...request, ...(aimed ? { aim: aimed } : {}) }, tick);
      s = result.state;
      players = { ...s.players };
      events.push(...result.events);
      struck.push(...result.damage);
    }
  }
  return { ...s, players };
}

/** An aim point inside the map: NaN or infinite coordinates from the wire never reach the simulation. */
const clampAim = (aim: Vec, s: FieldState): Vec => clampToBounds(aim, 0, s.settings.width, s.settings.height);

function respawnPlayers(s: FieldState, tick: number, events: FieldEvent[]): FieldState {
  for (const p of Object.values(s.players)) {
    if (p.respawnAt === null || p.respawnAt > tick) continue;
    // Death ends every effect (as in a MUD room): the sheet is derived again without them.
    const restored = p.effects?.length ? withSheet({ ...p, effects: [] }) : p;
    s = replacePlayer(s, {
      ...restored,
      pos: { ...s.spawn },
      hp: restored.maxHp,
      mp: restored.maxMp,
      respawnAt: null,
      invulnerableUntil: tick + ticksFor(RESPAWN_INVULNERABLE_MS, s.settings.tickHz),
    });
    events.push({ type: "respawn", target: p.id, at: s.spawn });
  }
  return s;
}

function movePlayers(s: FieldState): FieldState {
  const { width, height, playerSpeed, tickHz } = s.settings;
  const step = playerSpeed / tickHz;
  const players: Record<string, FieldPlayer> = {};
  for (const p of Object.values(s.players)) {
    if (!isAlive(p) || (p.move.x === 0 && p.move.y === 0)) {
      players[p.id] = p;
      continue;
    }
    const delta = { x: p.move.x * step, y: p.move.y * step };
    players[p.id] = { ...p, pos: moveCircle(p.pos, delta, PLAYER_RADIUS, s.obstacles, width, height) };
  }
  return { ...s, players };
}

/** Swept collision: a fast missile cannot pass through a body or a wall between two ticks. */
function flyMissiles(s: FieldState, tick: number): { state: FieldState; damage: Damage[] } {
  const damage: Damage[] = [];
  const missiles: FieldState["missiles"] = {};
  const { width, height } = s.settings;
  for (const m of Object.values(s.missiles)) {
    const to = add(m.pos, m.vel);
    let firstT = Number.POSITIVE_INFINITY;
    let victim: string | null = null;
    for (const e of Object.values(s.enemies)) {
      const t = segmentEntersCircle(m.pos, to, e.pos, ENEMY_RADIUS + MISSILE_RADIUS);
      if (t !== null && t < firstT) [firstT, victim] = [t, e.id];
    }
    const wallT = Math.min(...s.obstacles.map((o) => segmentEntersRect(m.pos, to, o) ?? Number.POSITIVE_INFINITY));
    if (victim && firstT <= wallT) {
      damage.push({ by: m.ownerId, target: victim, amount: m.damage, source: m.source ?? "magic-missile" });
      continue;
    }
    const gone = wallT <= 1 || tick >= m.expiresAt || to.x < 0 || to.y < 0 || to.x > width || to.y > height;
    if (!gone) missiles[m.id] = { ...m, pos: to };
  }
  return { state: { ...s, missiles }, damage };
}

function damageEnemies(
  s: FieldState,
  damage: readonly Damage[],
  { tick, rng }: FieldTickContext,
  events: FieldEvent[],
): FieldState {
  if (!damage.length) return s;
  const enemies = { ...s.enemies };
  const respawns = [...s.respawns];
  let players = s.players;
  for (const d of damage) {
    const e = enemies[d.target];
    if (!e || e.hp <= 0) continue;
    const hp = Math.max(0, e.hp - d.amount);
    events.push({ type: "hit", by: d.by, target: e.id, amount: e.hp - hp, source: d.source, at: e.pos });
    // Being hurt by someone the enemy was not chasing draws its attention while it is idle.
    const noticed = e.state === "idle" && s.players[d.by] ? { state: "pursue" as const, targetId: d.by } : {};
    enemies[e.id] = { ...e, hp, ...noticed };
    if (hp > 0) continue;
    delete enemies[e.id];
    events.push({ type: "death", target: e.id, by: d.by, at: e.pos });
    // The killer earns the template's experience through the rulebook (shared/field/character.ts)
    // and, if it is still here, what the template's loot table rolls (the engine adds it to its holdings).
    const template = enemyTemplate(e.template);
    players = awardXp(players, d.by, template?.xp ?? 0, e.id, events);
    const table = template?.loot ? lootTable(template.loot) : undefined;
    if (table && Object.hasOwn(players, d.by)) {
      const items = rollLoot(table, rng);
      if (items.length) events.push({ type: "loot", to: d.by, items, from: e.id });
    }
    if (e.resident)
      respawns.push({ template: e.template, at: e.home, dueAt: tick + ticksFor(ENEMY_RESPAWN_MS, s.settings.tickHz) });
  }
  return { ...s, players, enemies, respawns };
}

function thinkEnemies(s: FieldState, tick: number, events: FieldEvent[]): FieldState {
  const ctx = {
    tick,
    tickHz: s.settings.tickHz,
    players: s.players,
    obstacles: s.obstacles,
    width: s.settings.width,
    height: s.settings.height,
  };
  const enemies: FieldState["enemies"] = {};
  let players = s.players;
  for (const e of Object.values(s.enemies)) {
    const template = enemyTemplate(e.template);
    if (!template) {
      enemies[e.id] = e;
      continue;
    }
    const result = stepEnemy(e, template, { ...ctx, players });
    enemies[e.id] = result.enemy;
    events.push(...result.events);
    for (const hit of result.hits) {
      const p = players[hit.playerId];
      if (!p || !isAlive(p)) continue;
      const hp = Math.max(0, p.hp - hit.damage);
      const dead = hp === 0;
      players = {
        ...players,
        [p.id]: dead ? fallen({ ...p, hp }, tick, s.settings.tickHz) : { ...p, hp },
      };
      if (dead) events.push({ type: "death", target: p.id, by: e.id, at: p.pos });
    }
  }
  return { ...s, enemies, players };
}

/** A player whose hp reached 0: its cast and held movement end, and it respawns a while later. */
function fallen(p: FieldPlayer, tick: number, tickHz: number): FieldPlayer {
  return { ...p, cast: null, move: { x: 0, y: 0 }, respawnAt: tick + ticksFor(PLAYER_RESPAWN_MS, tickHz) };
}

/** Effects on players run one tick (shared/field/effects.ts); a dot that takes the last hp kills. */
function tickEffectsOfPlayers(s: FieldState, tick: number, events: FieldEvent[]): FieldState {
  let players = s.players;
  for (const p of Object.values(s.players)) {
    if (!p.effects?.length) continue;
    const next = tickFieldEffects(p, tick);
    const dead = isAlive(p) && next.hp <= 0;
    players = { ...players, [p.id]: dead ? fallen({ ...next, hp: 0 }, tick, s.settings.tickHz) : next };
    if (dead) events.push({ type: "death", target: p.id, at: p.pos });
  }
  return players === s.players ? s : { ...s, players };
}

function regenerateMana(s: FieldState, tick: number): FieldState {
  if (tick % s.settings.tickHz !== 0) return s;
  const players: Record<string, FieldPlayer> = {};
  for (const p of Object.values(s.players)) {
    players[p.id] = isAlive(p) && p.mp < p.maxMp ? { ...p, mp: Math.min(p.maxMp, p.mp + MANA_REGEN_PER_SECOND) } : p;
  }
  return { ...s, players };
}

function respawnEnemies(s: FieldState, tick: number): FieldState {
  if (!s.respawns.some((r) => r.dueAt <= tick)) return s;
  let next: FieldState = { ...s, respawns: s.respawns.filter((r) => r.dueAt > tick) };
  for (const r of s.respawns) if (r.dueAt <= tick) next = addEnemy(next, r.template, r.at, true).state;
  return next;
}

function replacePlayer(s: FieldState, p: FieldPlayer): FieldState {
  return { ...s, players: { ...s.players, [p.id]: p } };
}
