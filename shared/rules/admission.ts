/**
 * A character (or a guest) entering a zone: the one place that turns the gateway's character
 * snapshot into what an engine admits, so a MUD room and a field admit the same character
 * (docs/decisions.md, D23). A guest plays its zone kind's guest class (`GUEST_CLASS`) with the
 * class's base attributes at level 1 and full pools from the rulebook.
 */
import type { CharacterSnapshot } from "../protocol/character";
import { classDefinition } from "./classes";
import { characterSheet, type Gear } from "./sheet";
import type { Attributes } from "./stats";

/** Who enters: the engine's id for it, its shown name, and its character unless it is a guest. */
export interface Arrival {
  id: string;
  name: string;
  character?: CharacterSnapshot | undefined;
}

/** What every engine admits: the character's persistent state (its pools as it last had them). */
export interface AdmittedCharacter {
  id: string;
  name: string;
  classId: string;
  attributes: Attributes;
  level: number;
  xp: number;
  hp: number;
  mp: number;
  /** The MUD room it was last in, if any. */
  roomId?: string;
}

/**
 * The character as an engine admits it. A character keeps its stored attributes, level, xp and
 * pools; one whose class is no longer registered plays `guestClass`'s skills with its own
 * attributes. A guest starts full, with `gear` counted (a guest normally has none).
 */
export function admitCharacter(arrival: Arrival, guestClass: string, gear: Gear = {}): AdmittedCharacter {
  const c = arrival.character;
  if (c) {
    return {
      id: arrival.id,
      name: arrival.name,
      classId: classDefinition(c.class) ? c.class : guestClass,
      attributes: { str: c.str, dex: c.dex, int: c.int, vit: c.vit },
      level: c.level,
      xp: c.xp,
      hp: c.hp,
      mp: c.mp,
      ...(c.roomId ? { roomId: c.roomId } : {}),
    };
  }
  const definition = classDefinition(guestClass);
  if (!definition) throw new Error(`guest class "${guestClass}" is not registered`);
  const attributes = { ...definition.base };
  const { stats } = characterSheet({ classId: definition.id, attributes, level: 1 }, gear);
  return {
    id: arrival.id,
    name: arrival.name,
    classId: definition.id,
    attributes,
    level: 1,
    xp: 0,
    hp: stats.maxHp,
    mp: stats.maxMp,
  };
}
