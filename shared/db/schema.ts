/**
 * The realm's Postgres schema (drizzle pg-core). Migrations in migrations/ are generated from it
 * with `npm run db:generate`. Usernames and character names are unique case-insensitively
 * through unique indexes on lower(...), and unique on their confusable skeleton (docs/accounts.md#names).
 */
import { type SQL, sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const accounts = pgTable(
  "accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: text("username").notNull(),
    /**
     * nameSkeleton(username) of shared/text/names.ts, computed by Postgres (name_skeleton_v1, created
     * by migration 0002) so every insert and rename keeps it, however the row is written.
     */
    usernameSkeleton: text("username_skeleton")
      .notNull()
      .generatedAlwaysAs((): SQL => sql`name_skeleton_v1(${accounts.username})`),
    passwordHash: text("password_hash").notNull(),
    roles: text("roles").array().notNull().default(sql`ARRAY['player']::text[]`),
    disabled: boolean("disabled").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("accounts_username_lower_idx").on(sql`lower(${t.username})`),
    uniqueIndex("accounts_username_skeleton_idx").on(t.usernameSkeleton),
  ],
);

export const characters = pgTable(
  "characters",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** nameSkeleton(name), computed by Postgres like accounts.username_skeleton. */
    nameSkeleton: text("name_skeleton")
      .notNull()
      .generatedAlwaysAs((): SQL => sql`name_skeleton_v1(${characters.name})`),
    class: text("class").notNull(),
    str: integer("str").notNull(),
    dex: integer("dex").notNull(),
    int: integer("int").notNull(),
    vit: integer("vit").notNull(),
    level: integer("level").notNull().default(1),
    xp: integer("xp").notNull().default(0),
    hp: integer("hp").notNull(),
    mp: integer("mp").notNull(),
    zoneId: text("zone_id").notNull(),
    /** Room within a world zone (null until the character first enters one). */
    roomId: text("room_id"),
    x: real("x").notNull().default(0),
    y: real("y").notNull().default(0),
    /** Total time spent in the world, advanced by the zone the character is in. */
    playSeconds: integer("play_seconds").notNull().default(0),
    /** Optimistic concurrency: every write names the version it read and bumps it. */
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("characters_name_lower_idx").on(sql`lower(${t.name})`),
    uniqueIndex("characters_name_skeleton_idx").on(t.nameSkeleton),
    index("characters_account_idx").on(t.accountId),
  ],
);

export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** SHA-256 of the token; the token itself is never stored. */
    tokenHash: text("token_hash").notNull(),
    /** All tokens rotated from one login share a family; reuse of a spent one revokes it whole. */
    familyId: uuid("family_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("refresh_tokens_hash_idx").on(t.tokenHash), index("refresh_tokens_family_idx").on(t.familyId)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "set null" }),
    event: text("event").notNull(),
    ip: text("ip"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_log_account_idx").on(t.accountId, t.createdAt),
    // "Has this account signed in from this address lately?" (login throttling, docs/accounts.md):
    // only successful logins, so a flood of failed guesses does not lengthen the lookup.
    index("audit_log_login_ip_idx").on(t.accountId, t.ip, t.createdAt).where(sql`${t.event} = 'login'`),
  ],
);

/**
 * The realm's content pack as builders edited it (docs/admin.md, "Content"): every change writes a
 * new version, whole, so history is kept and any version can be restored. `files` is the pack as
 * `validateContentPack` reads it (`{ path, data }[]`, paths relative to the pack's folder). A realm
 * without a row runs the pack bundled with the deployment, version 0. The primary key makes two
 * concurrent changes of the same version collide, so one of them is refused (409 version_conflict).
 */
export const contentVersions = pgTable(
  "content_versions",
  {
    realm: text("realm").notNull(),
    version: integer("version").notNull(),
    packId: text("pack_id").notNull(),
    // json, not jsonb: jsonb reorders object keys, and a room's exits are shown in the order written.
    files: json("files").$type<{ path: string; data: unknown }[]>().notNull(),
    /** What changed, for the history list (`room.update start/village-square`). */
    change: text("change").notNull(),
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.realm, t.version] })],
);

/**
 * Realm nodes of a self-hosted cluster (docs/selfhost.md, "Nodes and placement"): each workerd node
 * renews its row every few seconds; a node whose `lease_until` has passed is dead and loses its
 * objects. Times are Postgres' own (`now()`), so the nodes' clocks never have to agree.
 */
export const realmNodes = pgTable(
  "realm_nodes",
  {
    realm: text("realm").notNull(),
    nodeId: text("node_id").notNull(),
    /** Base URL other nodes reach this node's `/_node/` endpoints at. */
    url: text("url").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }).notNull(),
    /** Set by `admin drain`: the node keeps what it has but receives no new objects. */
    draining: boolean("draining").notNull().default(false),
  },
  (t) => [uniqueIndex("realm_nodes_pk").on(t.realm, t.nodeId)],
);

/**
 * Which node owns each Durable Object (a zone, the directory, the rate limiter) of a clustered
 * realm. `epoch` grows on every change of owner and fences stale callers; `restore_from` names the
 * node whose data directory still holds the object's files until the new owner has copied them;
 * `moving` is set while a planned move drains the old owner.
 */
export const objectPlacements = pgTable(
  "object_placements",
  {
    realm: text("realm").notNull(),
    namespace: text("namespace").notNull(),
    name: text("name").notNull(),
    /** workerd's object id (hex): the object's SQLite file is `<id>.sqlite` in its class folder. */
    objectId: text("object_id").notNull(),
    nodeId: text("node_id").notNull(),
    epoch: integer("epoch").notNull().default(1),
    restoreFrom: text("restore_from"),
    moving: boolean("moving").notNull().default(false),
    placedAt: timestamp("placed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("object_placements_pk").on(t.realm, t.namespace, t.name),
    index("object_placements_node_idx").on(t.realm, t.nodeId),
  ],
);
