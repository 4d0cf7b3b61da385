/**
 * The character payloads a zone keeps in its SQLite, as versioned JSON validated with zod when
 * read (docs/architecture.md, "Versioned state"): a queued write's state and the states of its
 * unanswered attempts (`character_writes.state`, `sent_states`, docs/decisions.md D11), and the
 * snapshot of each character the zone holds (`zone_characters.character`). Version 0 is the
 * unversioned payload written before rows carried a version; version 1 adds `v: 1`.
 */
import { z } from "zod";
import { readVersioned, type VersionedSpec, writeVersioned } from "../persist/versioned";
import { CharacterSnapshot } from "../protocol/character";
import { err, ok, type Result } from "../result";
import type { CharacterState } from "./characters";

/** The zone-owned part of a character, as a write to Postgres carries it. */
export const CharacterStateSchema: z.ZodType<CharacterState> = z.object({
  level: z.number().int(),
  xp: z.number().int(),
  hp: z.number().int(),
  mp: z.number().int(),
  zoneId: z.string(),
  roomId: z.string().nullable(),
  x: z.number().finite(),
  y: z.number().finite(),
  playSeconds: z.number().int(),
});

/** How a queued write's state (and each unanswered attempt's) is read. */
export const CHARACTER_WRITE_STATE: VersionedSpec<CharacterState> = {
  name: "character_writes.state",
  current: 1,
  upgrades: [(row) => row],
  schema: CharacterStateSchema,
};

/** How a roster row's character (`zone_characters.character`) is read. */
export const ROSTER_CHARACTER: VersionedSpec<CharacterSnapshot> = {
  name: "zone_characters.character",
  current: 1,
  upgrades: [(row) => row],
  schema: CharacterSnapshot,
};

/** Reads a queued write's stored state, or says why it was refused. */
export function readCharacterWriteState(raw: unknown): Result<CharacterState, string> {
  return readVersioned(CHARACTER_WRITE_STATE, raw);
}

/** The payload stored for a queued write's state. */
export function writeCharacterWriteState(state: CharacterState): { v: number } & CharacterState {
  return writeVersioned(CHARACTER_WRITE_STATE, state);
}

/**
 * Reads a write's stored unanswered attempts (`sent_states`, an array of versioned states, or
 * null when none is outstanding). One that does not read refuses the whole list.
 */
export function readSentStates(raw: unknown): Result<CharacterState[], string> {
  if (raw === null || raw === undefined) return ok([]);
  if (!Array.isArray(raw)) return err("character_writes.sent_states: not an array");
  const states: CharacterState[] = [];
  for (const [i, item] of raw.entries()) {
    const read = readVersioned({ ...CHARACTER_WRITE_STATE, name: `character_writes.sent_states[${i}]` }, item);
    if (!read.ok) return read;
    states.push(read.value);
  }
  return ok(states);
}

/** The payload stored for a write's unanswered attempts. */
export function writeSentStates(states: readonly CharacterState[]): ({ v: number } & CharacterState)[] {
  return states.map(writeCharacterWriteState);
}

/** Reads a roster row's stored character, or says why it was refused. */
export function readRosterCharacter(raw: unknown): Result<CharacterSnapshot, string> {
  return readVersioned(ROSTER_CHARACTER, raw);
}

/** The payload stored for a roster row's character. */
export function writeRosterCharacter(character: CharacterSnapshot): { v: number } & CharacterSnapshot {
  return writeVersioned(ROSTER_CHARACTER, character);
}
