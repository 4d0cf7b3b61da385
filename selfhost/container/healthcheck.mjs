/**
 * The container's health check: the node's /healthz answers 200 within 2 s (exit 0), or not (1).
 * LISTEN says where the node listens (a wildcard host is asked on loopback).
 */
const listen = process.env.LISTEN || "127.0.0.1:8787";
const at = listen.lastIndexOf(":");
const host = listen
  .slice(0, at)
  .replace(/^0\.0\.0\.0$/, "127.0.0.1")
  .replace(/^\[::\]$/, "[::1]");
try {
  const response = await fetch(`http://${host}:${listen.slice(at + 1)}/healthz`, { signal: AbortSignal.timeout(2000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
