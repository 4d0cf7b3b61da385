import { describe, expect, it } from "vitest";
import type { CharacterSnapshot } from "../protocol/character";
import type { CharacterState } from "./characters";
import {
  readCharacterWriteState,
  readRosterCharacter,
  readSentStates,
  writeCharacterWriteState,
  writeRosterCharacter,
  writeSentStates,
} from "./persisted";

const state: CharacterState = {
  level: 3,
  xp: 250,
  hp: 61,
  mp: 20,
  zoneId: "start",
  roomId: "lantern-inn",
  x: 12.5,
  y: -7,
  playSeconds: 90,
};

const character: CharacterSnapshot = {
  id: "0b9c7c1e-5d8e-4a37-9c55-4b1f0e1a2b3c",
  accountId: "5f2d7e60-1c1b-4c3e-8f7a-2a9b8c7d6e5f",
  name: "Rover",
  class: "warrior",
  ...state,
  str: 12,
  dex: 10,
  int: 8,
  vit: 11,
  version: 4,
};

const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("a queued character write's stored state", () => {
  it("reads back what it wrote, at version 1, and upgrades a version-0 (unversioned) state", () => {
    const row = roundTrip(writeCharacterWriteState(state));
    expect(row.v).toBe(1);
    expect(readCharacterWriteState(row)).toEqual({ ok: true, value: state });
    expect(readCharacterWriteState(roundTrip(state))).toEqual({ ok: true, value: state });
  });

  it("keeps only the state's own fields from a version-0 row that carried a whole character", () => {
    expect(readCharacterWriteState(roundTrip(character))).toEqual({ ok: true, value: state });
  });

  it("refuses a corrupt state with the field that is wrong", () => {
    expect(readCharacterWriteState({ ...state, hp: "full" })).toEqual({
      ok: false,
      error: expect.stringMatching(/^character_writes\.state: hp: /),
    });
  });

  it("reads the unanswered attempts: none, version-0 and version-1 states, and refuses a corrupt one", () => {
    expect(readSentStates(null)).toEqual({ ok: true, value: [] });
    const mixed = [state, ...writeSentStates([{ ...state, playSeconds: 95 }])];
    expect(readSentStates(roundTrip(mixed))).toEqual({ ok: true, value: [state, { ...state, playSeconds: 95 }] });
    expect(readSentStates([state, { v: 1 }])).toEqual({
      ok: false,
      error: expect.stringMatching(/^character_writes\.sent_states\[1\]: level: /),
    });
    expect(readSentStates({ v: 1 })).toEqual({ ok: false, error: "character_writes.sent_states: not an array" });
  });
});

describe("a roster row's stored character", () => {
  it("reads back what it wrote, at version 1, and upgrades a version-0 (unversioned) snapshot", () => {
    const row = roundTrip(writeRosterCharacter(character));
    expect(row.v).toBe(1);
    expect(readRosterCharacter(row)).toEqual({ ok: true, value: character });
    expect(readRosterCharacter(roundTrip(character))).toEqual({ ok: true, value: character });
  });

  it("refuses a corrupt snapshot with the field that is wrong", () => {
    expect(readRosterCharacter({ ...character, id: "not-a-uuid" })).toEqual({
      ok: false,
      error: expect.stringMatching(/^zone_characters\.character: id: /),
    });
  });
});
