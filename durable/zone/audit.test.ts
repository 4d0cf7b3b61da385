/**
 * In-runtime tests of the GM audit queue (audit.ts): a GM command typed in a MUD zone is queued in
 * the zone's SQLite with its zone, tick and detail; an unreachable Postgres leaves it queued for a
 * retry with backoff; a row that no longer reads is set aside, never sent and never silently lost.
 * The happy path into Postgres is test/e2e/gm-mud.test.ts.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { zoneObjectName } from "../../shared/config";
import { AuditWriter } from "./audit";
import { KeptLog } from "./testing.node";

const stubFor = (zoneId: string) => env.ZONES.getByName(zoneObjectName("local", zoneId));
const rows = (state: DurableObjectState, query: string) => [...state.storage.sql.exec(query)];
/** Nothing listens on port 1: connecting is refused at once. */
const unreachable = { url: "postgres://nobody@127.0.0.1:1/realm", driver: "pg" as const, connectTimeoutMs: 2000 };

type Frame = { type: string; [key: string]: unknown };

/** A guest in `zoneId` through the gateway (the runtime tests open the GM console to guests). */
async function guest(zoneId: string) {
  const response = await exports.default.fetch(`http://realm.test/ws?zone=${zoneId}`, {
    headers: { Upgrade: "websocket" },
  });
  const ws = response.webSocket as WebSocket;
  ws.accept();
  const frames: Frame[] = [];
  ws.addEventListener("message", (event) => {
    frames.push(JSON.parse(event.data as string));
  });
  const next = async (type: string, text?: RegExp) => {
    for (let i = 0; i < 300; i++) {
      const index = frames.findIndex((f) => f.type === type && (!text || text.test(String(f.text))));
      if (index >= 0) return frames.splice(index, 1)[0] as Frame;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no ${type} frame; got ${JSON.stringify(frames)}`);
  };
  return { ws, next, send: (message: unknown) => ws.send(JSON.stringify(message)) };
}

describe("the GM audit queue", () => {
  it("queues a GM command typed in a MUD zone with its zone, tick and detail", async () => {
    const gm = await guest("start");
    gm.send({ type: "hello", protocol: 1, name: "Warden" });
    await gm.next("welcome");
    await gm.next("room");
    gm.send({ type: "command", line: "goto smithy" });
    expect((await gm.next("room")).payload).toMatchObject({ id: "smithy" });
    await runInDurableObject(stubFor("start"), async (zone, state) => {
      const queued = rows(state, "SELECT account_id, event, detail, attempts FROM audit_writes");
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatchObject({ account_id: null, event: "gm_command", attempts: 0 });
      const detail = JSON.parse(String(queued[0]?.detail));
      expect(detail).toMatchObject({
        zone: "start",
        gmName: "Warden",
        command: "goto",
        target: "smithy",
        detail: { from: "village-square", to: "smithy" },
      });
      expect(detail.tick).toBeGreaterThan(0);
      // No database configured here: nothing is due, and the row waits.
      expect(zone.host.audits.nextAttemptAt()).toBeNull();
      expect(zone.host.audits.queued()).toBe(1);
    });
    gm.ws.close(1000, "done");
  });

  it("keeps an entry Postgres could not take, for a retry with backoff, and says so", async () => {
    await runInDurableObject(stubFor("audit-outage"), async (zone, state) => {
      const log = new KeptLog();
      const writer = new AuditWriter(zone.host.store.db, unreachable, log, zone.host.quarantine);
      const now = Date.now();
      writer.enqueue({ accountId: null, event: "gm_command", detail: { command: "goto" }, createdAt: now }, now);
      await writer.drain(now);
      expect(rows(state, "SELECT attempts, next_attempt_at FROM audit_writes")).toEqual([
        { attempts: 1, next_attempt_at: now + 1000 },
      ]);
      expect(log.lines).toContainEqual(expect.objectContaining({ event: "gm.audit_deferred", pending: 1 }));
      expect(writer.nextAttemptAt()).toBe(now + 1000);
      // Not due yet: a pass before then sends nothing and changes nothing.
      await writer.drain(now + 500);
      expect(rows(state, "SELECT attempts FROM audit_writes")).toEqual([{ attempts: 1 }]);
      await writer.drain(now + 1000);
      expect(rows(state, "SELECT attempts, next_attempt_at FROM audit_writes")).toEqual([
        { attempts: 2, next_attempt_at: now + 1000 + 2000 },
      ]);
    });
  });

  it("sets aside a row whose detail no longer reads, and still keeps the others", async () => {
    await runInDurableObject(stubFor("audit-corrupt"), async (zone, state) => {
      const log = new KeptLog();
      const writer = new AuditWriter(zone.host.store.db, unreachable, log, zone.host.quarantine);
      const now = Date.now();
      state.storage.sql.exec(
        "INSERT INTO audit_writes (account_id, event, detail, created_at, attempts, next_attempt_at) VALUES (NULL, 'gm_command', '[1,2', ?, 0, ?)",
        now,
        now,
      );
      writer.enqueue({ accountId: null, event: "gm_command", detail: { command: "spawn" }, createdAt: now }, now);
      await writer.drain(now);
      expect(zone.host.quarantine.entries()).toContainEqual(
        expect.objectContaining({ source: "audit_writes", reason: "audit_writes.detail: not JSON" }),
      );
      const left = rows(state, "SELECT detail, attempts FROM audit_writes");
      expect(left).toEqual([{ detail: JSON.stringify({ command: "spawn" }), attempts: 1 }]);
    });
  });
});
