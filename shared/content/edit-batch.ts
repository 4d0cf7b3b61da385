/**
 * A batch of pack edits applied in order and validated once (docs/admin.md, "Content"): a new room
 * must be reachable and its exits need a way back, so adding a room and the exit to it from a
 * neighbour is one change, not two. Each change is one of the single routes' edits (edit.ts).
 */
import { z } from "zod";
import {
  deleteRoom,
  deleteTemplate,
  type EditResult,
  type PackFile,
  putRoom,
  putSpawns,
  putTemplate,
  type TemplateList,
} from "./edit";

const ObjectBody = z.record(z.string(), z.unknown());

const Id = z.string().min(1).max(64);
/** One edit of a batch; the bodies are the single routes' bodies. */
const BatchChange = z.discriminatedUnion("op", [
  z.strictObject({ op: z.literal("room.create"), zoneId: Id, room: ObjectBody }),
  z.strictObject({ op: z.literal("room.update"), zoneId: Id, roomId: Id, room: ObjectBody }),
  z.strictObject({ op: z.literal("room.delete"), zoneId: Id, roomId: Id }),
  z.strictObject({ op: z.literal("spawns.update"), zoneId: Id, roomId: Id, spawns: z.array(z.unknown()).max(100) }),
  z.strictObject({ op: z.enum(["item.create", "npc.create"]), template: ObjectBody }),
  z.strictObject({ op: z.enum(["item.update", "npc.update"]), id: Id, template: ObjectBody }),
  z.strictObject({ op: z.enum(["item.delete", "npc.delete"]), id: Id }),
]);
export const BatchBody = z.strictObject({ changes: z.array(BatchChange).min(1).max(200) });
export type BatchChange = z.infer<typeof BatchChange>;

/** One change of a batch applied to `files` (the same edits as the single routes). */
function applyChange(files: PackFile[], change: BatchChange): EditResult {
  const list = (op: string): TemplateList => (op.startsWith("item.") ? "items" : "npcs");
  switch (change.op) {
    case "room.create":
      return putRoom(files, change.zoneId, change.room);
    case "room.update":
      return putRoom(files, change.zoneId, change.room, change.roomId);
    case "room.delete":
      return deleteRoom(files, change.zoneId, change.roomId);
    case "spawns.update":
      return putSpawns(files, change.zoneId, change.roomId, change.spawns);
    case "item.create":
    case "npc.create":
      return putTemplate(files, list(change.op), change.template);
    case "item.update":
    case "npc.update":
      return putTemplate(files, list(change.op), change.template, change.id);
    case "item.delete":
    case "npc.delete":
      return deleteTemplate(files, list(change.op), change.id);
  }
}

/** The batch's changes applied in order; the first that cannot apply names its index. */
export function applyBatch(files: PackFile[], changes: readonly BatchChange[]): EditResult {
  let next = files;
  for (const [index, change] of changes.entries()) {
    const result = applyChange(next, change);
    if (!result.ok) {
      const { error } = result;
      return {
        ok: false,
        error: { ...error, message: `changes.${index} (${change.op}): ${error.message}`, field: `changes.${index}` },
      };
    }
    next = result.value;
  }
  return { ok: true, value: next };
}

/** What a batch changed, for the audit row: each change's op and ids. */
export const batchDetail = (changes: readonly BatchChange[]) =>
  changes.map((change) => {
    const { op } = change;
    const id = "room" in change ? change.room.id : "template" in change ? change.template.id : undefined;
    return {
      op,
      ...("zoneId" in change ? { zoneId: change.zoneId } : {}),
      ...("roomId" in change ? { roomId: change.roomId } : {}),
      ...("id" in change ? { id: change.id } : id !== undefined ? { id } : {}),
    };
  });
