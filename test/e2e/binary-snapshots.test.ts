/**
 * Protocol 2's binary snapshots through the real gateway and zone (docs/protocol.md, "Binary
 * snapshots"): a client that takes them and one that asked for JSON see the same field, entity
 * for entity, tick for tick, walkers moving along their reckoned lines included, and protocol 1
 * clients still get JSON.
 */
import { afterAll, describe, expect, it } from "vitest";
import { RealmSession } from "../../client/sdk/session";
import type { View } from "../../shared/field/delta";
import { RECKON_TOLERANCE } from "../../shared/field/reckon";
import { useRealm } from "../support/realm";
import { TestClient } from "../support/ws-client";

const realm = useRealm();
const sessions: RealmSession[] = [];

afterAll(() => {
  for (const s of sessions) s.close();
});

/** A guest in a fresh copy of the Test Area, its views recorded by tick. */
async function guest(zone: string, name: string, snapshots: "binary" | "json") {
  const session = new RealmSession({ api: realm.api.realm(), guest: { zone, name }, snapshots });
  sessions.push(session);
  const byTick = new Map<number, View>();
  let binaryFrames = 0;
  session.on("frame", () => undefined);
  const welcome = await session.connect();
  const deadline = Date.now() + 10_000;
  while (!session.field?.info && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const world = session.field;
  if (!world) throw new Error("no field frame");
  world.on("snapshot", ({ frame, view }) => {
    byTick.set(frame.tick, view);
    if (snapshots === "binary") binaryFrames++;
  });
  return { session, world, welcome, byTick, frames: () => binaryFrames };
}

describe("binary snapshots", () => {
  it("show a binary client exactly what a JSON client sees, tick for tick", async () => {
    const zone = `test-area~bin${Date.now().toString(36)}`;
    const a = await guest(zone, "Binny", "binary");
    const b = await guest(zone, "Jason", "json");
    const c = await guest(zone, "Walt", "binary");
    expect(a.welcome).toMatchObject({ protocol: 2, snapshots: "binary" });
    expect(b.welcome).toMatchObject({ protocol: 2, snapshots: "json" });
    // Both walk, so positions, velocities and the other's body change every snapshot.
    a.world.setMove(1, 0.3, performance.now());
    b.world.setMove(-0.5, 1, performance.now());
    c.world.setMove(0, -1, performance.now());
    const deadline = Date.now() + 15_000;
    let common: number[] = [];
    while (Date.now() < deadline) {
      common = [...a.byTick.keys()].filter((t) => b.byTick.has(t));
      if (common.length >= 20) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(common.length).toBeGreaterThanOrEqual(20);
    expect(a.frames()).toBeGreaterThanOrEqual(20);
    // Each sees its own body with its private fields and its true position; others see it on its
    // reckoned line (shared/field/reckon.ts), within the tolerance of the truth.
    const publicPart = (e: object | undefined) => {
      const { mp, mmp, rd, lv, xp, x, y, at, ...rest } = JSON.parse(JSON.stringify(e ?? {}));
      return rest;
    };
    const walt = c.world.you as string;
    let compared = 0;
    let onLine = 0;
    for (const tick of common) {
      const va = a.byTick.get(tick) as View;
      const vb = b.byTick.get(tick) as View;
      const ids = [a.world.you, b.world.you] as string[];
      for (const id of ids) {
        const own = (id === a.world.you ? va : vb).get(id);
        const seen = (id === a.world.you ? vb : va).get(id);
        expect(publicPart(own)).toEqual(publicPart(seen));
        expect(Math.abs(Number(own?.x) - Number(seen?.x))).toBeLessThanOrEqual(RECKON_TOLERANCE);
        expect(Math.abs(Number(own?.y) - Number(seen?.y))).toBeLessThanOrEqual(RECKON_TOLERANCE);
        compared++;
      }
      // A third walker, seen by both as another: the binary client's copy is the JSON one, exactly.
      const waltSeen = va.get(walt);
      if (waltSeen) {
        expect(JSON.parse(JSON.stringify(waltSeen))).toEqual(JSON.parse(JSON.stringify(vb.get(walt))));
        if (typeof waltSeen.at === "number") onLine++;
      }
      expect(va.size).toBe(vb.size);
    }
    expect(compared).toBeGreaterThanOrEqual(40);
    expect(onLine).toBeGreaterThanOrEqual(15);
    // By the last of them each sees the other walking, with its velocity.
    const last = common.at(-1) as number;
    // Jason holds (-0.5, 1): the SDK sends it as one of 32 directions, at the field's 160 units/s.
    const jason = (a.byTick.get(last) as View).get(b.world.you as string) as unknown as { vx: number; vy: number };
    expect(jason.vx).toBeLessThan(0);
    expect(jason.vy).toBeGreaterThan(0);
    expect(Math.hypot(jason.vx, jason.vy)).toBeCloseTo(160, -1);
  });

  it("keeps sending JSON snapshots to a protocol 1 client", async () => {
    const client = await TestClient.connect(
      `${realm.baseUrl.replace(/^http/, "ws")}/ws?zone=test-area~v1${Date.now().toString(36)}`,
    );
    client.send({ type: "hello", protocol: 1, name: "Oldie" });
    expect(await client.nextOfType("welcome")).toMatchObject({ protocol: 1, snapshots: "json" });
    expect(await client.nextOfType("snapshot")).toMatchObject({ type: "snapshot", n: 1, base: 0 });
    await client.close();
  });
});
