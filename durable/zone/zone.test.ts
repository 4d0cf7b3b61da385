/**
 * In-runtime tests of the zone Durable Object (workerd via the vitest plugin, isolated storage):
 * sockets through the real gateway, SQLite contents, the alarm clock and catch-up after a gap.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { zoneObjectName } from "../../shared/config";
import { ADVANCE } from "./internal";
import { fieldOf, mudOf } from "./testing";

const stubFor = (zoneId: string) => env.ZONES.getByName(zoneObjectName("local", zoneId));

type Frame = { type: string; [key: string]: unknown };

/** Opens a WebSocket through the gateway's fetch handler and collects what it receives. */
async function connect(zoneId: string) {
  const response = await exports.default.fetch(`http://realm.test/ws?zone=${zoneId}`, {
    headers: { Upgrade: "websocket" },
  });
  expect(response.status).toBe(101);
  const ws = response.webSocket as WebSocket;
  ws.accept();
  const frames: Frame[] = [];
  ws.addEventListener("message", (event) => {
    frames.push(JSON.parse(event.data as string));
  });
  const next = async (type: string, text?: RegExp) => {
    for (let i = 0; i < 200; i++) {
      const index = frames.findIndex((f) => f.type === type && (!text || text.test(String(f.text))));
      if (index >= 0) return frames.splice(index, 1)[0] as Frame;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no ${type} frame; got ${JSON.stringify(frames)}`);
  };
  const send = (message: unknown) => ws.send(JSON.stringify(message));
  return { ws, next, send };
}

const rows = (state: DurableObjectState, query: string) => [...state.storage.sql.exec(query)];

describe("zone durable object", () => {
  it("knows its zone id from its name and starts at tick 0", async () => {
    await runInDurableObject(stubFor("alpha"), async (zone) => {
      expect(zone.host.snapshot.zoneId).toBe("alpha");
      expect(zone.host.snapshot.clock.tick).toBe(0);
    });
  });

  it("migrates its SQLite schema in the constructor", async () => {
    await runInDurableObject(stubFor("schema"), async (_zone, state) => {
      const tables = rows(state, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map(
        (r) => r.name,
      );
      expect(tables).toEqual(expect.arrayContaining(["said_log", "zone_state"]));
    });
  });

  it("commits a said line to SQLite and keeps the watchdog alarm armed while players are connected", async () => {
    const player = await connect("chat");
    player.send({ type: "hello", protocol: 1, name: "Scribe" });
    await player.next("welcome");
    player.send({ type: "say", text: "carved in stone" });
    const said = await player.next("said");
    await runInDurableObject(stubFor("chat"), async (_zone, state) => {
      const log = rows(state, "SELECT id, name, text FROM said_log");
      expect(log).toEqual([{ id: said.id, name: "Scribe", text: "carved in stone" }]);
      const alarm = await state.storage.getAlarm();
      expect(alarm).not.toBeNull();
      expect(alarm as number).toBeGreaterThan(Date.now());
    });
    player.ws.close(1000, "done");
  });

  it("flushes its state and holds no alarm once the last player leaves", async () => {
    const player = await connect("leaving");
    player.send({ type: "hello", protocol: 1 });
    await player.next("welcome");
    await new Promise((r) => setTimeout(r, 350)); // a few ticks
    player.ws.close(1000, "bye");
    let alarm: number | null = 0;
    for (let i = 0; i < 100 && alarm !== null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      alarm = await runInDurableObject(stubFor("leaving"), (_zone, state) => state.storage.getAlarm());
    }
    expect(alarm).toBeNull();
    await runInDurableObject(stubFor("leaving"), async (zone, state) => {
      const [row] = rows(state, "SELECT tick FROM zone_state");
      expect(row?.tick).toBe(zone.host.snapshot.clock.tick);
      expect(zone.host.snapshot.clock.tick).toBeGreaterThan(0);
    });
  });

  it("catches up the ticks due after a gap when its alarm fires, then sleeps", async () => {
    const stub = stubFor("gap");
    const before = await runInDurableObject(stub, async (zone, state) => {
      // As if the zone had last ticked five seconds ago and its watchdog alarm was left armed.
      zone.host.snapshot = { ...zone.host.snapshot, clock: { tick: 7, lastTargetAt: Date.now() - 5000 } };
      await state.storage.setAlarm(Date.now());
      return zone.host.snapshot.clock.tick;
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runInDurableObject(stub, async (zone, state) => {
      const ran = zone.host.snapshot.clock.tick - before;
      // 10 Hz × 5 s, give or take the instant the alarm ran.
      expect(ran).toBeGreaterThanOrEqual(50);
      expect(ran).toBeLessThanOrEqual(52);
      expect(zone.host.metrics.ticksSkippedTotal).toBe(0);
      const [row] = rows(state, "SELECT tick FROM zone_state");
      expect(row?.tick).toBe(zone.host.snapshot.clock.tick);
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });

  it("catches up a long gap whole when nobody is connected, in one pass that skips nothing", async () => {
    const stub = stubFor("long-gap");
    const idleSince = await runInDurableObject(stub, async (zone, state) => {
      const since = Date.now() - 2 * 3600_000;
      zone.host.snapshot = { ...zone.host.snapshot, clock: { tick: 0, lastTargetAt: since } };
      await state.storage.setAlarm(Date.now());
      return since;
    });
    const alarmAt = Date.now();
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const after = Date.now();
    await runInDurableObject(stub, async (zone) => {
      // Every tick of the two idle hours at 10 Hz ran (docs/architecture.md, "Idle zones").
      const { tick, lastTargetAt } = zone.host.snapshot.clock;
      expect(tick).toBeGreaterThanOrEqual(Math.floor((alarmAt - idleSince) / 100));
      expect(tick).toBeLessThanOrEqual(Math.floor((after - idleSince) / 100));
      expect(zone.host.metrics.ticksSkippedTotal).toBe(0);
      expect(zone.host.metrics.catchUpsTotal).toBe(1);
      expect(zone.host.snapshot.sim.tick).toBe(tick);
      // The clock lands on the moment the alarm ran, never in the future.
      expect(lastTargetAt).toBeGreaterThan(alarmAt - 100);
      expect(lastTargetAt).toBeLessThanOrEqual(after);
    });
  });

  it("answers no RPC for its clock or its commits: only what other objects call is exposed", async () => {
    const stub = stubFor("sealed") as unknown as Record<"advance" | "commit", (arg: unknown) => Promise<unknown>>;
    const refusal = (call: () => Promise<unknown>) =>
      call().then(
        () => "answered",
        (error: unknown) => String(error),
      );
    expect(await refusal(() => stub.advance(Date.now()))).toMatch(/does not implement "advance"/);
    expect(await refusal(() => stub.commit(null))).toMatch(/does not implement "commit"/);
    await runInDurableObject(stubFor("sealed"), async (zone) => {
      expect(zone.host.snapshot.clock.tick).toBe(0);
    });
  });

  it("runs nothing when the alarm fires twice for the same moment (idempotent by tick)", async () => {
    const stub = stubFor("twice");
    await runInDurableObject(stub, async (zone) => {
      const now = Date.now();
      zone.host.snapshot = { ...zone.host.snapshot, clock: { tick: 3, lastTargetAt: now - 1000 } };
      const first = zone[ADVANCE](now);
      const afterFirst = structuredClone(zone.host.snapshot);
      const second = zone[ADVANCE](now);
      expect(first.next.tick).toBe(13);
      expect(second.next).toEqual(first.next);
      expect(zone.host.snapshot).toEqual(afterFirst);
    });
  });

  it("resumes from SQLite with the same tick, weather and chat after eviction", async () => {
    const player = await connect("evicted");
    player.send({ type: "hello", protocol: 1, name: "Keeper" });
    await player.next("welcome");
    player.send({ type: "say", text: "remember me" });
    await player.next("said");
    player.ws.close(1000, "bye");
    const saved = await (async () => {
      for (let i = 0; i < 100; i++) {
        const alarm = await runInDurableObject(stubFor("evicted"), (_z, state) => state.storage.getAlarm());
        if (alarm === null) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      return runInDurableObject(stubFor("evicted"), (zone) => zone.host.snapshot);
    })();
    // A fresh instance of the class over the same storage, as after eviction.
    await runInDurableObject(stubFor("evicted"), async (zone, state) => {
      const { ZoneDurableObject } = await import("./zone");
      const revived = new ZoneDurableObject(state, env);
      await state.blockConcurrencyWhile(async () => {});
      expect(revived.host.snapshot).toEqual(saved);
      expect(zone.host.store.recentSaid(5).map((s) => s.text)).toEqual(["remember me"]);
    });
  });

  it("commits item moves before telling anyone, so a restart right after keeps every item exactly once", async () => {
    const alice = await connect("start");
    const bob = await connect("start");
    alice.send({ type: "hello", protocol: 1, name: "Alice" });
    bob.send({ type: "hello", protocol: 1, name: "Bob" });
    await alice.next("welcome");
    const bobWelcome = await bob.next("welcome");
    for (const p of [alice, bob]) p.send({ type: "command", line: "east" });
    await alice.next("room");
    await alice.next("room");
    alice.send({ type: "command", line: "get mug" });
    await alice.next("item");
    alice.send({ type: "command", line: "give mug Bob" });
    await bob.next("item", /gives you/);
    await runInDurableObject(stubFor("start"), async (zone, state) => {
      // What Bob was just told is already on disk: the stored world has the mug in his pack.
      const [row] = rows(state, "SELECT state FROM engine_state WHERE kind = 'mud'");
      const stored = JSON.parse(String(row?.state)) as {
        items: Record<string, { templateId: string; location: unknown }>;
      };
      const mugs = Object.values(stored.items).filter((i) => i.templateId === "cracked-mug");
      expect(mugs).toEqual([
        expect.objectContaining({ location: { kind: "inventory", ownerId: bobWelcome.sessionId } }),
      ]);
      // A fresh instance over the same storage (as after a restart) sees exactly the same items.
      const { ZoneDurableObject } = await import("./zone");
      const revived = new ZoneDurableObject(state, env);
      await state.blockConcurrencyWhile(async () => {});
      expect(mudOf(revived).world.items).toEqual(mudOf(zone).world.items);
    });
    alice.ws.close(1000, "bye");
    bob.ws.close(1000, "bye");
  });

  it("runs a field zone at its own rate, keeps GM changes and restores the field after a restart", async () => {
    const gm = await connect("test-area");
    gm.send({ type: "hello", protocol: 1, name: "Gm" });
    expect(await gm.next("welcome")).toMatchObject({ tickRate: 20 });
    const field = await gm.next("field");
    expect(field).toMatchObject({ you: expect.stringMatching(/^p\d+$/), tickRate: 20, gm: true });
    gm.send({ type: "command", line: "set tick=10 snapshot=5" });
    await gm.next("info", /tick=10 snapshot=5/);
    expect(await gm.next("field")).toMatchObject({ tickRate: 10, snapshotRate: 5 });
    gm.send({ type: "command", line: "spawn 2 wisp 300 300" });
    await gm.next("info", /Spawned 2 wisps/);
    await gm.next("snapshot");
    await runInDurableObject(stubFor("test-area"), async (zone, state) => {
      expect(zone.host.tickRateHz).toBe(10);
      zone.host.store.saveEngineState("field", fieldOf(zone).serialize(), Date.now());
      const saved = structuredClone(fieldOf(zone).state);
      // A fresh instance over the same storage, as after a restart with this socket still open.
      const { ZoneDurableObject } = await import("./zone");
      const revived = new ZoneDurableObject(state, env);
      await state.blockConcurrencyWhile(async () => {});
      expect(fieldOf(revived).state.enemies).toEqual(saved?.enemies);
      expect(fieldOf(revived).state.settings).toMatchObject({ tickHz: 10, snapshotHz: 5 });
      expect(Object.keys(fieldOf(revived).state.players ?? {})).toEqual([field.you]);
    });
    gm.ws.close(1000, "bye");
  });
});
