/**
 * The MUD realm's data model: plain, JSON-safe types shared by the content pack, the
 * pure rules in shared/mud and, later, the zone Durable Object that runs them. Nothing here does
 * I/O; time arrives as tick numbers and randomness as an Rng (shared/sim/rng.ts).
 */

export const DIRECTIONS = ["north", "south", "east", "west", "up", "down"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const ITEM_TYPES = ["weapon", "armour", "potion", "key", "container", "junk"] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export const SLOTS = ["weapon", "offhand", "head", "body", "hands", "legs", "feet", "neck", "ring"] as const;
export type Slot = (typeof SLOTS)[number];

/** What an item or effect can change on its holder. */
export const MODIFIABLE = ["str", "dex", "int", "vit", "maxHp", "maxMp", "attack", "defense"] as const;
export type ModifiableStat = (typeof MODIFIABLE)[number];

/** `flat` is added first, then `percent` (of the value after flat bonuses) is applied. */
export interface Modifier {
  stat: ModifiableStat;
  flat?: number;
  percent?: number;
}

export interface ItemTemplate {
  id: string;
  name: string;
  /** Words a player may type to mean this item ("sword", "rusty"); the name's words always count. */
  keywords: string[];
  type: ItemType;
  /** Where it is worn or wielded; weapons and armour must have one. */
  slot?: Slot;
  modifiers: Modifier[];
  description: string;
  /** Weapons: damage rolled per hit. */
  damage?: { min: number; max: number };
  /** Potions: what drinking one does. */
  use?: { effect: EffectTemplate };
  /** Containers: how many items fit inside. */
  capacity?: number;
  /** Keys: the door (room id + direction) they open. */
  opens?: { room: string; direction: Direction };
  /** At most one instance per owner (quest items). */
  unique?: boolean;
  /** Starting durability; absent means indestructible. */
  durability?: number;
}

/** Where one item instance is: exactly one place at a time, which is how nothing is duplicated. */
export type ItemLocation =
  | { kind: "room"; roomId: string }
  | { kind: "inventory"; ownerId: string }
  | { kind: "equipped"; ownerId: string; slot: Slot }
  | { kind: "container"; containerId: string };

export interface ItemInstance {
  id: string;
  templateId: string;
  location: ItemLocation;
  durability?: number;
}

export type EffectKind = "buff" | "debuff" | "dot" | "hot";

/** An effect as content defines it (a potion's heal-over-time, a spell's burn). */
export interface EffectTemplate {
  name: string;
  kind: EffectKind;
  duration_ticks: number;
  /** dot/hot: ticks between applications. */
  interval_ticks: number;
  /** dot/hot: hit points per application; buff/debuff: size of the modifier. */
  magnitude: number;
  /** buff/debuff: the stat it changes. */
  stat?: ModifiableStat;
}

/** An effect active on a character or NPC. */
export interface EffectState extends EffectTemplate {
  /** Who or what applied it (entity id or item template id). */
  source: string;
  /** Ticks left before it expires. */
  remaining_ticks: number;
}

export interface LootEntry {
  item: string;
  weight: number;
}

export interface LootTable {
  id: string;
  /** How many times to roll the table. */
  rolls: number;
  /** Weight of rolling nothing. */
  nothingWeight: number;
  entries: LootEntry[];
}

export interface NpcTemplate {
  id: string;
  name: string;
  keywords: string[];
  description: string;
  level: number;
  attributes: Attributes;
  /** Attacks players on sight. */
  aggressive: boolean;
  /** Moves between rooms of its zone when idle. */
  wanders: boolean;
  /** A registered NPC behaviour asked first on its turn (shared/mud/behaviours.ts, docs/plugins.md). */
  behaviour?: string;
  /** The verb in combat lines: "The orc swings at Alice." */
  attackVerb: string;
  damage: { min: number; max: number };
  armour: number;
  xp: number;
  lootTable: string;
  respawnTicks: number;
  /** The faction it belongs to (docs/content.md, "Factions and reputation"): its standing decides aggression and dialogue. */
  faction?: string;
  /** How killing one changes the killer's standing with factions. */
  reputationOnKill?: ReputationChange[];
  /** What `talk` hears, by the player's standing with its faction (neutral without a faction). */
  dialogue?: Dialogue;
}

/** Standing is clamped to ±this (docs/content.md, "Factions and reputation"). */
export const REPUTATION_LIMIT = 1000;

/** A change of a player's standing with one faction. */
export interface ReputationChange {
  faction: string;
  delta: number;
}

/** An NPC's lines for `talk`, by standing; a missing line falls back to `neutral`. */
export interface Dialogue {
  hostile?: string;
  neutral?: string;
  friendly?: string;
}

export interface RoomSpawn {
  npc: string;
  count: number;
}

export interface RoomDef {
  id: string;
  name: string;
  description: string;
  /** Compass exits and named exits ("portal", "gate") to room ids; `zone:room` leaves the zone. */
  exits: Record<string, string>;
  /** Exits that need a key (by direction or name). */
  locked?: string[];
  /**
   * Exits into another zone that lead into a private instance of that zone for the traveller's
   * party (each party gets its own copy of the dungeon) rather than into the shared zone.
   */
  instanced?: string[];
  /** Item templates placed here when the zone is first created. */
  items: string[];
  spawns: RoomSpawn[];
  /** What happens here when players act (docs/content.md, "Triggers"): run by shared/mud/triggers. */
  triggers?: TriggerDef[];
}

export interface ZoneDef {
  id: string;
  name: string;
  description: string;
  /** Where arriving players appear. */
  entryRoom: string;
  /** Where players who die in this zone respawn. */
  bindRoom: string;
  /** Players it holds before travellers go to a new instance of it (docs/architecture.md, "Parties and instances"). */
  capacity?: number;
  rooms: RoomDef[];
  /** Triggers of the whole zone (docs/content.md, "Triggers"); timers and events anywhere in it. */
  triggers?: TriggerDef[];
}

/** A character's four base attributes (a class's starting values plus the starting roll). */
export interface Attributes {
  str: number;
  dex: number;
  int: number;
  vit: number;
}

/** What a quest step asks for (docs/content.md, "Quests"). */
export type QuestObjective =
  | { kind: "kill"; npc: string; count: number }
  | { kind: "collect"; item: string; count: number }
  | { kind: "reach"; room: string }
  | { kind: "talk"; npc: string };

export interface QuestStep {
  id: string;
  /** What the journal shows while this step is current: "Kill the wolves at the edge of the woods." */
  text: string;
  objective: QuestObjective;
}

export interface QuestRewards {
  xp?: number;
  /** Item templates put into the player's pack. */
  items?: string[];
  reputation?: ReputationChange[];
}

export interface QuestDef {
  id: string;
  name: string;
  description: string;
  /** The NPC template whose `talk` starts it; without one, only rules (or a trigger) start it. */
  giver?: string;
  /** The minimum level to be given it. */
  level?: number;
  steps: QuestStep[];
  rewards: QuestRewards;
}

export interface FactionDef {
  id: string;
  name: string;
  description: string;
  /** A player's standing before it has any (default 0). */
  start?: number;
  /** Below this standing the faction's NPCs attack on sight. */
  hostileBelow: number;
  /** From this standing the faction's NPCs never attack on sight. */
  friendlyAt: number;
}

/** The events a trigger answers, in content's spelling (docs/content.md, "Triggers"). */
export const TRIGGER_EVENTS = ["enter", "exit", "command", "timer", "npc-death", "item-used"] as const;
export type TriggerEventName = (typeof TRIGGER_EVENTS)[number];

/**
 * When a trigger fires. `room` (zone triggers only) narrows an event that happens somewhere to one
 * room; a room's own triggers answer events in that room.
 */
export type TriggerOn =
  | { event: "enter"; room?: string }
  | { event: "exit"; room?: string; exit?: string }
  | { event: "command"; word: string; args?: string; room?: string }
  | { event: "timer"; everyTicks: number; offsetTicks?: number }
  | { event: "npc-death"; npc: string; room?: string }
  | { event: "item-used"; item: string; room?: string };

/** A condition or an action as content writes it: `type` names one registered in shared/mud/triggers. */
export interface TriggerStep {
  type: string;
  [field: string]: unknown;
}

/** A room's or zone's trigger: on an event, if every condition holds, run the actions in order. */
export interface TriggerDef {
  /** Unique among the triggers of its zone (its rooms' included): `once` and cooldowns are kept by it. */
  id: string;
  on: TriggerOn;
  if?: TriggerStep[];
  do: TriggerStep[];
  /** Fire at most once in the zone's life (`ever`), or once for each player (`per-player`). */
  once?: "ever" | "per-player";
  /** Ticks after firing before it may fire again. */
  cooldownTicks?: number;
}
