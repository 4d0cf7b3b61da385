#!/usr/bin/env node
/**
 * `npm run lock:complete` — run after `npm install` changes the lockfile.
 *
 * The registry these machines reach lacks some platform builds (e.g. workerd for macOS and
 * Windows), so `npm install` leaves those optional dependencies out of package-lock.json, and then
 * `npm ci` refuses the lockfile as out of sync. This adds an entry for each missing one, marked
 * optional and restricted to its own OS/CPU, so `npm ci` skips it here and fetches it by version
 * on the platform that needs it.
 */
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;

function platformOf(name) {
  const os = /darwin/.test(name)
    ? "darwin"
    : /win32|windows/.test(name)
      ? "win32"
      : /android/.test(name)
        ? "android"
        : /freebsd/.test(name)
          ? "freebsd"
          : "linux";
  const cpu = /arm64|aarch64/.test(name)
    ? "arm64"
    : /ia32|x86(?!_64)/.test(name)
      ? "ia32"
      : /arm(?!64)/.test(name)
        ? "arm"
        : "x64";
  return { os, cpu, libc: /musl/.test(name) ? "musl" : undefined };
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ""}node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const { os, cpu, libc } = platformOf(name);
    packages[nested] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
      cpu: [cpu],
      ...(libc ? { libc: [libc] } : {}),
    };
    added++;
    console.log(`added ${nested}@${version} (${os}/${cpu}${libc ? `/${libc}` : ""})`);
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added ? `package-lock.json: ${added} platform entries added` : "package-lock.json already complete");
