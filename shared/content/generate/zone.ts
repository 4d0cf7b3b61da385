/**
 * Seeded territory generation: turns a zone profile (word tables, creatures, items, hand-written
 * landmark rooms) and a seed into a zone file, ready to check in under
 * `shared/content/arcane-realms/zones/` (docs/content.md, "Generated zones"). Pure: no clock and no
 * `Math.random`, only the seeded generator of shared/sim/rng.ts, so a recorded seed and generator
 * version regenerate the checked-in file exactly.
 */
import { createRng, type Rng } from "../../sim/rng";
import type { AuthoredRoom, AuthoredZone } from "../references";
import { type Cell, type CompassDirection, distances, growLayout, STEPS } from "./layout";

/**
 * Bumped whenever a change here or in layout.ts would give a different zone for the same seed and
 * profile: the recorded version then no longer matches and the regeneration test says so.
 */
export const GENERATOR_VERSION = 1;

/** A kind of ground: the words its rooms are named and described with. */
export interface Terrain {
  /** Slug used in room ids (`hills-heath-3`). */
  key: string;
  /** How likely a room grown from a room of another terrain is this one. */
  weight: number;
  /** Nouns for room names: "Heath" becomes "Windy Heath". */
  names: readonly string[];
  /** Opening sentences: what the place is. */
  scenes: readonly string[];
  /** Second sentences: one thing to notice. */
  details: readonly string[];
}

/** Where a hand-written landmark room goes in the layout. */
export type LandmarkRole = "entry" | "farthest" | "leaf";

/** A room written by hand and placed by the generator; its compass exits are still generated. */
export interface Landmark {
  role: LandmarkRole;
  id: string;
  name: string;
  /** Written by hand; the generator appends a sentence naming the compass exits it gave the room. */
  description: string;
  /** Named exits out of the zone, e.g. `{ "stones": "whispering-woods:stone-circle" }`. */
  exits?: Record<string, string>;
  instanced?: string[];
  oneWay?: string[];
  items?: string[];
  spawns?: { npc: string; count: number }[];
}

/** Everything a generated zone is made from, apart from its seed. */
export interface ZoneProfile {
  id: string;
  name: string;
  description: string;
  /** Prefix of generated room ids, unique to this zone so ids stay unique across the pack. */
  roomPrefix: string;
  rooms: number;
  /** Extra links that close loops in the layout. */
  loops: number;
  /** Chance (0–1) that a room keeps the terrain of the room it grew from: higher gives larger regions. */
  cohesion: number;
  adjectives: readonly string[];
  terrains: readonly Terrain[];
  /** Closing sentences: weather, sounds, light. */
  moods: readonly string[];
  /** Sentences naming the compass exits; `{exits}` becomes "north, east and west". */
  exitLines: readonly string[];
  /** Each creature lives in at least one generated room; `max` is the most in one room. */
  spawns: readonly { npc: string; weight: number; max: number }[];
  /** Chance (0–1) that a generated room has creatures beyond the one-of-each pass. */
  spawnChance: number;
  /** Each item lies in at least one generated room. */
  items: readonly { item: string; weight: number }[];
  itemChance: number;
  landmarks: readonly Landmark[];
}

const pick = <T>(rng: Rng, list: readonly T[]): T => {
  if (list.length === 0) throw new RangeError("cannot pick from an empty word table");
  return list[rng.int(0, list.length - 1)] as T;
};

function pickWeighted<T extends { weight: number }>(rng: Rng, list: readonly T[]): T {
  const total = list.reduce((sum, entry) => sum + entry.weight, 0);
  let roll = rng.next() * total;
  for (const entry of list) {
    roll -= entry.weight;
    if (roll < 0) return entry;
  }
  return list[list.length - 1] as T;
}

/** "north", "north and east", "north, east and west". */
function joinDirections(directions: readonly string[]): string {
  if (directions.length <= 1) return directions[0] ?? "";
  return `${directions.slice(0, -1).join(", ")} and ${directions.at(-1)}`;
}

/** Which cell each landmark takes: the entry, the one farthest from it, or a dead end. */
function placeLandmarks(rng: Rng, cells: readonly Cell[], landmarks: readonly Landmark[]): Map<number, Landmark> {
  const placed = new Map<number, Landmark>();
  const dist = distances(cells);
  const free = (i: number) => !placed.has(i) && i !== 0;
  for (const landmark of landmarks) {
    let cell: number | undefined;
    if (landmark.role === "entry") cell = placed.has(0) ? undefined : 0;
    else if (landmark.role === "farthest") {
      for (let i = 0; i < cells.length; i++) {
        if (free(i) && (cell === undefined || (dist[i] as number) > (dist[cell] as number))) cell = i;
      }
    } else {
      const leaves = cells
        .map((_, i) => i)
        .filter((i) => free(i) && Object.keys((cells[i] as Cell).exits).length === 1);
      const pool = leaves.length ? leaves : cells.map((_, i) => i).filter(free);
      cell = pool.length ? pick(rng, pool) : undefined;
    }
    if (cell === undefined) {
      throw new RangeError(`no room left for landmark "${landmark.id}": raise the profile's room count`);
    }
    placed.set(cell, landmark);
  }
  return placed;
}

/**
 * Generates the zone `profile` describes from `seed`. The entry room is always the `entry`
 * landmark (or the first generated room), and it is also the bind room.
 */
export function generateZone(profile: ZoneProfile, seed: number): AuthoredZone {
  const rng = createRng(seed);
  const cells = growLayout(rng, profile.rooms, profile.loops);
  const landmarks = placeLandmarks(rng, cells, profile.landmarks);

  // Terrain: a room mostly keeps its parent's ground, so the hills have regions, not confetti.
  const terrains: Terrain[] = [];
  cells.forEach((cell, i) => {
    const parent = terrains[cell.parent];
    terrains[i] = parent && rng.next() < profile.cohesion ? parent : pickWeighted(rng, profile.terrains);
  });

  const counts = new Map<string, number>();
  const usedNames = new Set(profile.landmarks.map((l) => l.name));
  const ids = cells.map((_, i) => {
    const landmark = landmarks.get(i);
    if (landmark) return landmark.id;
    const terrain = terrains[i] as Terrain;
    const n = (counts.get(terrain.key) ?? 0) + 1;
    counts.set(terrain.key, n);
    return `${profile.roomPrefix}-${terrain.key}-${n}`;
  });

  const rooms: AuthoredRoom[] = cells.map((cell, i) => {
    const compass = STEPS.map((s) => s.direction).filter((d) => cell.exits[d] !== undefined);
    const exitLine = pick(rng, profile.exitLines).replace("{exits}", joinDirections(compass));
    const exits: Record<string, string> = {};
    for (const direction of compass)
      exits[direction] = ids[cell.exits[direction as CompassDirection] as number] as string;
    const landmark = landmarks.get(i);
    if (landmark) {
      return {
        id: landmark.id,
        name: landmark.name,
        description: `${landmark.description} ${exitLine}`,
        exits: { ...exits, ...landmark.exits },
        ...(landmark.instanced ? { instanced: [...landmark.instanced] } : {}),
        ...(landmark.oneWay ? { oneWay: [...landmark.oneWay] } : {}),
        items: [...(landmark.items ?? [])],
        spawns: (landmark.spawns ?? []).map((s) => ({ ...s })),
      };
    }
    const terrain = terrains[i] as Terrain;
    const roll = () => {
      const adjective = pick(rng, profile.adjectives);
      const noun = pick(rng, terrain.names);
      // "Hollow Hollow" reads as a typo: an adjective already in the noun is no name at all.
      return noun.toLowerCase().includes(adjective.toLowerCase()) ? "" : `${adjective} ${noun}`;
    };
    let name = roll();
    // A few tries for a fresh name; a repeat is harmless, so it gives up rather than loop.
    for (let tries = 0; tries < 8 && (name === "" || usedNames.has(name)); tries++) name = roll();
    if (name === "") name = `${pick(rng, profile.adjectives)} ${terrain.names[0]}`;
    usedNames.add(name);
    const description = [pick(rng, terrain.scenes), pick(rng, terrain.details), pick(rng, profile.moods), exitLine];
    return { id: ids[i] as string, name, description: description.join(" "), exits, items: [], spawns: [] };
  });

  populate(
    rng,
    profile,
    rooms,
    cells.map((_, i) => !landmarks.has(i)),
  );
  return {
    id: profile.id,
    name: profile.name,
    description: profile.description,
    entryRoom: rooms[0]?.id as string,
    bindRoom: rooms[0]?.id as string,
    rooms,
  };
}

/** Places the profile's creatures and items in generated rooms: one of each first, then by chance. */
function populate(rng: Rng, profile: ZoneProfile, rooms: AuthoredRoom[], generated: boolean[]): void {
  const open = rooms.filter((_, i) => generated[i]);
  if (open.length === 0) return;
  const addSpawn = (room: AuthoredRoom, npc: string, count: number) => {
    const existing = room.spawns.find((s) => s.npc === npc);
    if (existing) existing.count += count;
    else room.spawns.push({ npc, count });
  };
  for (const spawn of profile.spawns) addSpawn(pick(rng, open), spawn.npc, 1);
  for (const item of profile.items) pick(rng, open).items.push(item.item);
  for (const room of open) {
    if (profile.spawns.length && rng.next() < profile.spawnChance) {
      const spawn = pickWeighted(rng, profile.spawns);
      const already = room.spawns.find((s) => s.npc === spawn.npc)?.count ?? 0;
      if (already < spawn.max) addSpawn(room, spawn.npc, 1);
    }
    if (profile.items.length && rng.next() < profile.itemChance) room.items.push(pickWeighted(rng, profile.items).item);
  }
}
