/**
 * `/admin/content`: the builder API over the realm's content pack (docs/admin.md, "Content").
 * The pack lives in Postgres, one whole version per change (shared/db/content.ts); a change reads
 * the current version, applies one pure edit (shared/content/edit.ts), validates the whole pack,
 * writes the next version with its audit row in one transaction, and publishes it through the
 * realm directory to the running zones, which reload it live (docs/architecture.md, "Zones").
 * Admins only, with the revocation check of the routes that move players.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { AccessClaims } from "../../../shared/auth/jwt";
import { directoryObjectName } from "../../../shared/config";
import { ARCANE_REALMS_FILES, loadArcaneRealms } from "../../../shared/content/arcane-realms";
import {
  checkZoneSet,
  deleteRoom,
  deleteTemplate,
  type EditResult,
  getRoom,
  getTemplate,
  listRooms,
  listTemplates,
  type PackFile,
  packCounts,
  putRoom,
  putSpawns,
  putTemplate,
  relativeFiles,
  type TemplateList,
} from "../../../shared/content/edit";
import { applyBatch, BatchBody, batchDetail } from "../../../shared/content/edit-batch";
import type { ContentPack } from "../../../shared/content/pack";
import { type ContentError, validateContentPack } from "../../../shared/content/schema";
import { type Database, withDatabase } from "../../../shared/db/client";
import { contentHistory, contentVersion, currentContent, writeContent } from "../../../shared/db/content";
import { realmWith } from "../../../shared/plugins/installed";
import type { Result } from "../../../shared/result";
import { countHttpError, type GatewayVariables, realmConfig } from "../context";
import type { Env } from "../env";
import { requireAuth, requireLiveLogin } from "../middleware/auth";
import { clientAddress } from "../middleware/client-address";
import { requireDatabase } from "../settings";
import { fail, jsonBody } from "../validate";

/** A whole pack travels in an import: content bodies get their own limit, checked after the token. */
export const MAX_CONTENT_BODY_BYTES = 4 * 1024 * 1024;
/**
 * The largest pack a version may hold, as JSON: the directory and each zone keep the pack they run
 * in one SQLite value (durable/directory/content.ts), and a Durable Object's value is at most 2 MB.
 */
export const MAX_PACK_BYTES = 1536 * 1024;

/** The pack bundled with the deployment, paths relative to its folder: version 0. */
const BUNDLED_FILES = relativeFiles(ARCANE_REALMS_FILES, "shared/content/arcane-realms");

type Vars = GatewayVariables & { account: AccessClaims };
type C = Context<{ Bindings: Env; Variables: Vars }>;

/** The current version: the newest in Postgres, or the bundled pack as version 0. */
interface Current {
  version: number;
  files: PackFile[];
  change: string;
  createdAt: Date | null;
}

const ObjectBody = z.record(z.string(), z.unknown());
const FilesBody = z.strictObject({
  files: z
    .array(
      z.strictObject({
        path: z
          .string()
          .max(200)
          .regex(/^(?:[a-z0-9][a-z0-9_-]*\/)?[a-z0-9][a-z0-9_-]*\.json$/, {
            error: 'a file of the pack\'s folder, e.g. "items.json" or "zones/start.json"',
          }),
        data: z.unknown(),
      }),
    )
    .min(1)
    .max(1000),
});
const VersionBody = z.strictObject({ version: z.number().int().min(0) });
const idParam = (c: C, name: string) => {
  const id = c.req.param(name) ?? "";
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id) || id.length > 64) {
    throw fail(
      400,
      "invalid",
      `${name}: ${JSON.stringify(id)} is not a content id (lower-case words joined by -)`,
      name,
    );
  }
  return id;
};

/** Runs `work` on the database after checking the admin's login is still live (docs/accounts.md, "Revocation"). */
function withAdminDb<T>(c: C, work: (db: Database) => Promise<T>): Promise<T> {
  return withDatabase(requireDatabase(c.env), async (db) => {
    await requireLiveLogin(db, c.get("account"));
    return work(db);
  });
}

async function current(db: Database, realm: string): Promise<Current> {
  const stored = await currentContent(db, realm);
  return stored ?? { version: 0, files: BUNDLED_FILES, change: "bundled", createdAt: null };
}

/** `If-Match: 3` (or `"3"`, `W/"3"`): the version the change was made against, if the client says. */
function ifMatch(c: C): number | undefined {
  const header = c.req.header("if-match");
  if (header === undefined) return undefined;
  const match = header.trim().match(/^(?:W\/)?"?(\d{1,9})"?$/);
  if (!match) throw fail(400, "invalid", 'If-Match: send the content version, e.g. If-Match: "3"', "If-Match");
  return Number(match[1]);
}

const conflict = (mine: number, theirs: number) =>
  fail(
    409,
    "version_conflict",
    `the content changed since version ${mine} (it is at version ${theirs} now): read it again, reapply your change and send If-Match: "${theirs}"`,
  );

/**
 * The whole pack checked: the validator's problems (triggers may name what the realm's enabled
 * plugins register, docs/plugins.md), then whether it keeps the deployment's zones.
 */
function validate(files: PackFile[], plugins: readonly string[]): Result<ContentPack, ContentError[]> {
  const bytes = new TextEncoder().encode(JSON.stringify(files)).length;
  if (bytes > MAX_PACK_BYTES) {
    const message = `the pack is ${bytes} bytes as JSON; the directory and every zone keep it as one SQLite value, so it may be at most ${MAX_PACK_BYTES}: split long descriptions or move a zone's content out`;
    return { ok: false, error: [{ file: "", path: "", message }] };
  }
  const result = validateContentPack(files, { triggers: realmWith(plugins).triggers });
  if (!result.ok) return result;
  const zones = checkZoneSet(result.value, loadArcaneRealms()).map((p) => ({
    file: p.path,
    path: "",
    message: p.message,
  }));
  return zones.length ? { ok: false, error: zones } : result;
}

/** 400 `invalid_content` with every problem as the validator reports it (file, field path, fix). */
class InvalidContent extends Error {
  constructor(readonly problems: ContentError[]) {
    super("invalid content");
  }
}

function invalidContent(c: C, problems: ContentError[]) {
  countHttpError("invalid_content");
  c.set("errorCode", "invalid_content");
  const message = `the change would leave the pack with ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was written: fix them and send it again`;
  return c.json({ error: "invalid_content", message, problems, requestId: c.get("requestId") }, 400);
}

/** Publishes a written version to the directory, which tells the running zones; a failure is reported, not thrown. */
async function publish(c: C, version: number, files: PackFile[]) {
  try {
    const stub = c.env.DIRECTORY.getByName(directoryObjectName(realmConfig(c.env).realm));
    const answer = await stub.publishContent(version, files);
    return { version: answer.version, zones: answer.zones.map((z) => ({ ...z })) };
  } catch (cause) {
    return { version: null, error: `not published yet (${String(cause)}): POST /admin/content/publish to retry` };
  }
}

/**
 * One change: the current version read, `edit` applied, the pack validated whole, the next version
 * and its audit row written in one transaction (a concurrent change of the same version loses with
 * 409), then published. Answers what `answer` makes of the new files, with the version.
 */
async function change(
  c: C,
  what: { change: string; detail: Record<string, unknown> },
  edit: (files: PackFile[]) => EditResult,
  answer: (files: PackFile[]) => Record<string, unknown> = () => ({}),
  status: 200 | 201 = 200,
) {
  const { realm, plugins } = realmConfig(c.env);
  const expected = ifMatch(c);
  try {
    const written = await withAdminDb(c, async (db) => {
      const now = await current(db, realm);
      if (expected !== undefined && expected !== now.version) throw conflict(expected, now.version);
      const edited = edit(now.files);
      if (!edited.ok) throw fail(edited.error.status, edited.error.code, edited.error.message, edited.error.field);
      const pack = validate(edited.value, plugins);
      if (!pack.ok) throw new InvalidContent(pack.error);
      const version = now.version + 1;
      const account = c.get("account").sub;
      const ok = await writeContent(db, {
        realm,
        version,
        packId: pack.value.id,
        files: edited.value,
        change: what.change,
        accountId: account,
        ip: c.get("clientAddress") ?? null,
        detail: what.detail,
      });
      if (!ok) throw conflict(now.version, version);
      return { version, files: edited.value };
    });
    const published = await publish(c, written.version, written.files);
    c.header("ETag", `"${written.version}"`);
    return c.json({ version: written.version, ...answer(written.files), published }, status);
  } catch (error) {
    if (error instanceof InvalidContent) return invalidContent(c, error.problems);
    throw error;
  }
}

/** A read of the current version (ETag = the version), answered with what `read` makes of its files. */
async function read(c: C, view: (files: PackFile[], now: Current) => Record<string, unknown>) {
  const now = await withAdminDb(c, (db) => current(db, realmConfig(c.env).realm));
  c.header("ETag", `"${now.version}"`);
  return c.json({ version: now.version, ...view(now.files, now) });
}

const found = <T>(result: Result<T, { status: 400 | 404 | 409; code: string; message: string; field?: string }>) => {
  if (!result.ok) throw fail(result.error.status, result.error.code, result.error.message, result.error.field);
  return result.value;
};

/** Routes for one list of templates (`items`, `npcs`), under `/admin/content/<list>`. */
function templateRoutes(list: TemplateList, key: "item" | "npc") {
  return new Hono<{ Bindings: Env; Variables: Vars }>()
    .get("/", (c) => read(c, (files) => ({ [list]: listTemplates(files, list) })))
    .get("/:id", (c) => {
      const id = idParam(c, "id");
      return read(c, (files) => ({ [key]: found(getTemplate(files, list, id)) }));
    })
    .post("/", async (c) => {
      const body = await jsonBody(c, ObjectBody);
      const id = typeof body.id === "string" ? body.id : undefined;
      return change(
        c,
        { change: `${key}.create ${id}`, detail: { [`${key}Id`]: id } },
        (files) => putTemplate(files, list, body),
        (files) => ({ [key]: id && found(getTemplate(files, list, id)) }),
        201,
      );
    })
    .put("/:id", async (c) => {
      const id = idParam(c, "id");
      const body = await jsonBody(c, ObjectBody);
      return change(
        c,
        { change: `${key}.update ${id}`, detail: { [`${key}Id`]: id } },
        (files) => putTemplate(files, list, body, id),
        (files) => ({ [key]: found(getTemplate(files, list, id)) }),
      );
    })
    .delete("/:id", (c) => {
      const id = idParam(c, "id");
      return change(
        c,
        { change: `${key}.delete ${id}`, detail: { [`${key}Id`]: id } },
        (files) => deleteTemplate(files, list, id),
        () => ({ deleted: id }),
      );
    });
}

const roomRoutes = new Hono<{ Bindings: Env; Variables: Vars }>()
  .get("/", (c) => {
    const zoneId = idParam(c, "zoneId");
    return read(c, (files) => {
      const rooms = listRooms(files, zoneId);
      if (!rooms) throw fail(404, "not_found", `the pack has no MUD zone ${zoneId}`, "zoneId");
      return { zoneId, rooms };
    });
  })
  .get("/:roomId", (c) => {
    const [zoneId, roomId] = [idParam(c, "zoneId"), idParam(c, "roomId")];
    return read(c, (files) => ({ zoneId, room: found(getRoom(files, zoneId, roomId)) }));
  })
  .post("/", async (c) => {
    const zoneId = idParam(c, "zoneId");
    const body = await jsonBody(c, ObjectBody);
    const roomId = typeof body.id === "string" ? body.id : undefined;
    return change(
      c,
      { change: `room.create ${zoneId}/${roomId}`, detail: { zoneId, roomId } },
      (files) => putRoom(files, zoneId, body),
      (files) => ({ zoneId, room: roomId && found(getRoom(files, zoneId, roomId)) }),
      201,
    );
  })
  .put("/:roomId", async (c) => {
    const [zoneId, roomId] = [idParam(c, "zoneId"), idParam(c, "roomId")];
    const body = await jsonBody(c, ObjectBody);
    return change(
      c,
      { change: `room.update ${zoneId}/${roomId}`, detail: { zoneId, roomId } },
      (files) => putRoom(files, zoneId, body, roomId),
      (files) => ({ zoneId, room: found(getRoom(files, zoneId, roomId)) }),
    );
  })
  .delete("/:roomId", (c) => {
    const [zoneId, roomId] = [idParam(c, "zoneId"), idParam(c, "roomId")];
    return change(
      c,
      { change: `room.delete ${zoneId}/${roomId}`, detail: { zoneId, roomId } },
      (files) => deleteRoom(files, zoneId, roomId),
      () => ({ zoneId, deleted: roomId }),
    );
  })
  .get("/:roomId/spawns", (c) => {
    const [zoneId, roomId] = [idParam(c, "zoneId"), idParam(c, "roomId")];
    return read(c, (files) => {
      const room = found(getRoom(files, zoneId, roomId)) as { spawns?: unknown[] };
      return { zoneId, roomId, spawns: room.spawns ?? [] };
    });
  })
  .put("/:roomId/spawns", async (c) => {
    const [zoneId, roomId] = [idParam(c, "zoneId"), idParam(c, "roomId")];
    const spawns = await jsonBody(c, z.array(z.unknown()).max(100));
    return change(
      c,
      { change: `spawns.update ${zoneId}/${roomId}`, detail: { zoneId, roomId } },
      (files) => putSpawns(files, zoneId, roomId, spawns),
      (files) => ({ zoneId, roomId, spawns: (found(getRoom(files, zoneId, roomId)) as { spawns?: unknown[] }).spawns }),
    );
  });

export const adminContentRoutes = new Hono<{ Bindings: Env; Variables: Vars }>()
  .use("*", requireAuth({ roles: ["admin"] }))
  .use(
    "*",
    clientAddress(),
    bodyLimit({
      maxSize: MAX_CONTENT_BODY_BYTES,
      onError: () => {
        throw fail(413, "payload_too_large", `content request bodies are limited to ${MAX_CONTENT_BODY_BYTES} bytes`);
      },
    }),
  )
  .get("/", async (c) => {
    const { realm, plugins } = realmConfig(c.env);
    const now = await withAdminDb(c, (db) => current(db, realm));
    const pack = validate(now.files, plugins);
    const published = await c.env.DIRECTORY.getByName(directoryObjectName(realm))
      .contentSince(Number.MAX_SAFE_INTEGER)
      .then((answer) => answer.version)
      .catch(() => null);
    c.header("ETag", `"${now.version}"`);
    return c.json({
      realm,
      version: now.version,
      published,
      change: now.change,
      changedAt: now.createdAt,
      ...(pack.ok
        ? {
            packId: pack.value.id,
            counts: packCounts(pack.value),
            zones: [
              ...pack.value.zones.map((zone) => ({ id: zone.id, kind: "mud", rooms: zone.rooms.length })),
              ...pack.value.fieldZones.map((field) => ({ id: field.id, kind: "field" })),
            ],
          }
        : { problems: pack.error }),
    });
  })
  .get("/export", (c) => read(c, (files) => ({ files })))
  .post("/batch", async (c) => {
    const { changes } = await jsonBody(c, BatchBody);
    const detail = batchDetail(changes);
    return change(
      c,
      { change: `batch ${detail.map((d) => d.op).join(", ")}`, detail: { changes: detail } },
      (files) => applyBatch(files, changes),
      () => ({ changes: changes.length }),
    );
  })
  .post("/import", async (c) => {
    const { files } = await jsonBody(c, FilesBody);
    return change(
      c,
      { change: `import ${files.length} files`, detail: { files: files.map((f) => f.path) } },
      () => ({ ok: true, value: files }),
      (written) => ({ files: written.length }),
    );
  })
  .get("/versions", async (c) => {
    const versions = await withAdminDb(c, (db) => contentHistory(db, realmConfig(c.env).realm, 100));
    return c.json({
      versions: [...versions, { version: 0, packId: null, change: "bundled", accountId: null, createdAt: null }],
    });
  })
  .post("/rollback", async (c) => {
    const { version } = await jsonBody(c, VersionBody);
    const { realm } = realmConfig(c.env);
    const old =
      version === 0 ? BUNDLED_FILES : (await withAdminDb(c, (db) => contentVersion(db, realm, version)))?.files;
    if (!old)
      throw fail(404, "not_found", `there is no content version ${version} (GET /admin/content/versions)`, "version");
    return change(c, { change: `rollback to ${version}`, detail: { to: version } }, () => ({ ok: true, value: old }));
  })
  .post("/publish", async (c) => {
    const now = await withAdminDb(c, (db) => current(db, realmConfig(c.env).realm));
    return c.json({ version: now.version, published: await publish(c, now.version, now.files) });
  })
  .route("/items", templateRoutes("items", "item"))
  .route("/npcs", templateRoutes("npcs", "npc"))
  .route("/zones/:zoneId/rooms", roomRoutes);
