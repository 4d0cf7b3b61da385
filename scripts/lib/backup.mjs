/**
 * Backups of a self-hosted realm node (docs/operations.md, "Backups"): every Durable Object's
 * SQLite file under the node's data directory, copied consistently while the node runs (SQLite's
 * `VACUUM INTO`, a read transaction that never blocks workerd's writes in WAL mode), then Postgres
 * (`pg_dump`), with a manifest of checksums. Zones first, Postgres second: a character write that
 * lands in between is in the dump, and the zone's older queued copy of it is refused as stale on
 * restore; what a zone changed after its copy and Postgres never saw is the loss window (seconds).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { findPostgresBin } from "./postgres.mjs";

export const MANIFEST = "manifest.json";
const DUMP = "postgres.dump";

/** Durable Object class folders workerd keeps under a data directory (`leviathan-<Class>`). */
function objectFolders(dataDir) {
  return readdirSync(dataDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith("leviathan-"))
    .map((entry) => entry.name)
    .sort();
}

const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

function pgTool(name) {
  const bin = findPostgresBin();
  if (!bin) throw new Error(`${name} not found: install PostgreSQL's client programs (apt-get install -y postgresql)`);
  return join(bin, name);
}

/**
 * Writes a backup of `dataDir` and the database at `databaseUrl` into `outDir` (created; it must
 * not exist, or be empty). `log` gets a line per step. Returns the manifest.
 * @param {{ dataDir: string, databaseUrl: string, outDir: string, log?: (line: string) => void }} options
 */
export function backupRealm({ dataDir, databaseUrl, outDir, log = () => {} }) {
  if (!existsSync(dataDir)) throw new Error(`no data directory at ${dataDir}`);
  if (existsSync(outDir) && readdirSync(outDir).length)
    throw new Error(`${outDir} is not empty: back up into a new folder`);
  const folders = objectFolders(dataDir);
  if (!folders.length) throw new Error(`${dataDir} holds no Durable Object storage (leviathan-* folders)`);
  mkdirSync(outDir, { recursive: true });
  const files = [];
  for (const folder of folders) {
    mkdirSync(join(outDir, folder));
    const names = readdirSync(join(dataDir, folder))
      .filter((name) => name.endsWith(".sqlite"))
      .sort();
    for (const [i, name] of names.entries()) {
      const target = join(outDir, folder, name);
      const db = new DatabaseSync(join(dataDir, folder, name), { readOnly: true });
      try {
        // A consistent copy of the database as of one read transaction, WAL content included.
        db.exec(`VACUUM INTO '${target.replaceAll("'", "''")}'`);
      } finally {
        db.close();
      }
      files.push({ path: `${folder}/${name}`, bytes: statSync(target).size, sha256: sha256(target) });
      log(`${folder}: ${i + 1}/${names.length} objects`);
    }
  }
  log("postgres: pg_dump…");
  execFileSync(pgTool("pg_dump"), ["--format=custom", "--no-owner", "--file", join(outDir, DUMP), databaseUrl], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const manifest = {
    format: 1,
    createdAt: new Date().toISOString(),
    objects: files,
    postgres: { file: DUMP, bytes: statSync(join(outDir, DUMP)).size, sha256: sha256(join(outDir, DUMP)) },
  };
  writeFileSync(join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`done: ${files.length} objects and the database in ${outDir}`);
  return manifest;
}

/**
 * Restores a backup into a node that is not running: its Durable Object files into `dataDir`
 * (which must hold none yet) and its dump into the empty database at `databaseUrl`. Every file is
 * checked against the manifest first; nothing is written when one does not match.
 * @param {{ fromDir: string, dataDir: string, databaseUrl: string, log?: (line: string) => void }} options
 */
export function restoreRealm({ fromDir, dataDir, databaseUrl, log = () => {} }) {
  const manifestPath = join(fromDir, MANIFEST);
  if (!existsSync(manifestPath)) throw new Error(`${fromDir} is not a backup: no ${MANIFEST}`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  if (manifest.format !== 1) throw new Error(`backup format ${manifest.format} is not one this version reads (1)`);
  for (const entry of [...manifest.objects, { path: manifest.postgres.file, sha256: manifest.postgres.sha256 }]) {
    const file = join(fromDir, entry.path);
    if (!existsSync(file)) throw new Error(`the backup lacks ${entry.path}`);
    if (sha256(file) !== entry.sha256)
      throw new Error(`${entry.path} does not match its checksum: the backup is damaged`);
  }
  if (existsSync(dataDir) && objectFolders(dataDir).length) {
    throw new Error(`${dataDir} already holds Durable Object storage: restore into a fresh data directory`);
  }
  for (const [i, entry] of manifest.objects.entries()) {
    const [folder] = entry.path.split("/");
    mkdirSync(join(dataDir, folder), { recursive: true });
    copyFileSync(join(fromDir, entry.path), join(dataDir, entry.path));
    if ((i + 1) % 50 === 0 || i + 1 === manifest.objects.length) log(`objects: ${i + 1}/${manifest.objects.length}`);
  }
  log("postgres: pg_restore…");
  execFileSync(
    pgTool("pg_restore"),
    ["--no-owner", "--exit-on-error", "--dbname", databaseUrl, join(fromDir, manifest.postgres.file)],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  log(`done: restored the backup of ${manifest.createdAt}`);
  return manifest;
}
