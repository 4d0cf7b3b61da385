/**
 * Character snapshots for tests: the defaults a fresh warrior has in Lanternmere's village square,
 * as the gateway hands it to a zone (shared/protocol/character.ts). Shared by the engine tests in
 * shared/ and the zone tests in durable/ (durable/zone/testing.node.ts re-exports it).
 */
import { CharacterSnapshot } from "./character";

/** A character snapshot as the gateway hands it over, with `over` on top (not validated). */
export function character(id: string, over: Partial<CharacterSnapshot> = {}): CharacterSnapshot {
  return {
    id,
    accountId: "5f2d7e60-1c1b-4c3e-8f7a-2a9b8c7d6e5f",
    name: "Hero",
    class: "warrior",
    level: 1,
    xp: 0,
    hp: 70,
    mp: 30,
    str: 10,
    dex: 10,
    int: 10,
    vit: 10,
    zoneId: "start",
    roomId: "village-square",
    x: 0,
    y: 0,
    playSeconds: 0,
    version: 1,
    ...over,
  };
}

/** {@link character}, validated like the zone validates what the gateway hands over. */
export const parsedCharacter = (id: string, over: Partial<CharacterSnapshot> = {}): CharacterSnapshot =>
  CharacterSnapshot.parse(character(id, over));
