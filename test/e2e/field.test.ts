/**
 * Real-time field zones through the real protocol: a guest Mage in the Test Area walks up to a
 * golem and kills it with Magic Missiles under the rules the server enforces (cooldown, mana),
 * while a second player out of view range hears nothing of the fight.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FieldPlayer } from "../support/field-client";
import { type HarnessRealm, startHarness } from "../support/harness";
import { TestClient } from "../support/ws-client";

let realm: HarnessRealm;
beforeAll(async () => {
  // The tests set the stage with the GM console as guests.
  realm = await startHarness({ GM_CONSOLE_FOR_GUESTS: "true" });
});
afterAll(async () => {
  await realm?.harness.close();
});

const url = (zone = "test-area") => `${realm.baseUrl.replace(/^http/, "ws")}/ws?zone=${zone}`;

describe("field zone over WebSockets", () => {
  it("a Mage kills a golem with Magic Missiles; a player out of range receives nothing about it", async () => {
    const alice = await FieldPlayer.join(url(), "Alice");
    expect(alice.field).toMatchObject({ width: 1200, height: 800, tickRate: 20, gm: true });
    // A small view radius, an empty field and one golem 450 units east of the spawn point.
    alice.gm("set view=150");
    await alice.client.next((f) => f.type === "info" && /view=150/.test(String(f.text)));
    alice.gm("clear");
    await alice.client.next((f) => f.type === "info" && /removed/.test(String(f.text)));
    alice.gm("spawn 1 golem 600 400");
    await alice.client.next((f) => f.type === "info" && /Spawned 1 golem/.test(String(f.text)));
    const bob = await FieldPlayer.join(url(), "Bob");

    // Alice walks east until the golem is in her view; Bob stays at the spawn point.
    alice.move(1, 0);
    await alice.until((p) => [...p.view().values()].some((e) => e.k === "e"), 8000, "the golem in view");
    alice.move(0, 0);
    const golem = [...alice.view().values()].find((e) => e.k === "e");
    expect(golem).toMatchObject({ t: "golem", hp: 60, mhp: 60 });
    const golemId = String(golem?.id);
    await alice.until((p) => Number(p.me()?.x) - 150 > 150 + 10, 4000, "Alice out of Bob's view");

    // Two missiles at once: the second is refused by the cooldown, and only one costs mana.
    const manaBefore = Number(alice.me()?.mp);
    alice.cast("missile", { target: golemId });
    alice.cast("missile", { target: golemId });
    await alice.until((p) => p.events.some((e) => e.type === "refused"), 4000, "a refusal");
    expect(alice.events.find((e) => e.type === "refused")).toMatchObject({ reason: "cooldown", skill: "missile" });
    await alice.until((p) => p.events.some((e) => e.type === "hit" && e.target === golemId), 4000, "the first hit");
    expect(manaBefore - Number(alice.me()?.mp)).toBeLessThanOrEqual(8);

    // Keep casting (bounded) until the golem dies.
    for (let i = 0; i < 40 && !alice.events.some((e) => e.type === "death" && e.target === golemId); i++) {
      alice.cast("missile", { target: golemId });
      await new Promise((r) => setTimeout(r, 550));
    }
    const hits = alice.events.filter((e) => e.type === "hit" && e.target === golemId);
    expect(hits.reduce((sum, e) => sum + Number(e.amount), 0)).toBe(60);
    expect(alice.events.find((e) => e.type === "death" && e.target === golemId)).toMatchObject({ by: alice.id });
    await alice.until((p) => !p.view().has(golemId), 2000, "the golem gone from view");

    // Telegraphs precede melee hits: every hit on Alice landed on the tick its telegraph named.
    for (const hit of alice.events.filter((e) => e.type === "hit" && e.source === "melee")) {
      const telegraph = alice.events.find((e) => e.type === "telegraph" && e.by === hit.by && e.hitsAt === hit.tick);
      expect(telegraph, JSON.stringify(hit)).toBeDefined();
    }

    // Bob, 300 units away with a 150-unit view, never heard of the golem, the missiles or the fight.
    await bob.until((p) => p.snapshots.length > 20, 4000, "Bob's snapshots");
    expect(bob.seen.has(golemId)).toBe(false);
    expect([...bob.seen].filter((id) => id.startsWith("m"))).toEqual([]);
    expect(bob.events.filter((e) => ["hit", "death", "telegraph", "cast", "aggro"].includes(e.type))).toEqual([]);
    expect(bob.view().has(alice.id)).toBe(false);
    expect(bob.view().has(bob.id)).toBe(true);

    // Every snapshot acknowledged the newest input applied, and deltas were used once acked.
    expect(alice.snapshots.at(-1)?.ack).toBeGreaterThanOrEqual(2);
    expect(alice.snapshots.filter((s) => s.base > 0).length).toBeGreaterThan(alice.snapshots.length / 2);
    await Promise.all([alice.close(), bob.close()]);
  });

  it("refuses field frames outside field zones and bad input inside them, without harm", async () => {
    const carol = await TestClient.connect(url("start"));
    await carol.hello("Carol");
    carol.send({ type: "input", seq: 1, move: { x: 1, y: 0 } });
    expect(await carol.nextOfType("error")).toMatchObject({ code: "unsupported", field: "type" });
    await carol.close();
    const dave = await FieldPlayer.join(url(), "Dave");
    dave.client.send({ type: "input", seq: 1, move: { x: "fast", y: 0 } });
    expect(await dave.client.nextOfType("error")).toMatchObject({ code: "invalid", field: "move.x" });
    dave.client.send({ type: "input", seq: 2, move: { x: 1e308, y: -1e308 }, aim: { x: -5e9, y: 7 } });
    dave.client.send({ type: "ack", n: 123456789 });
    dave.client.send({ type: "cast", skill: "fireball" });
    await dave.until((p) => p.events.some((e) => e.type === "refused"), 4000, "a refusal");
    expect(dave.events.find((e) => e.type === "refused")).toMatchObject({ reason: "unknown_skill" });
    dave.gm("spawn 1000");
    expect(await dave.client.nextOfType("error")).toMatchObject({ code: "invalid", field: "line" });
    // Still alive, inside the map, with finite coordinates.
    await dave.until((p) => p.snapshots.length > 5);
    const me = dave.me();
    expect(Number.isFinite(Number(me?.x)) && Number.isFinite(Number(me?.y))).toBe(true);
    expect(Number(me?.x)).toBeLessThanOrEqual(1200);
    expect(await dave.client.ping(1)).toMatchObject({ type: "pong" });
    await dave.close();
  });

  it("telegraphs every swing: a player who steps out is not hit, one who stays is hit on the announced tick", async () => {
    const erin = await FieldPlayer.join(url(), "Erin");
    erin.gm("set view=300");
    await erin.client.next((f) => f.type === "info" && /view=300/.test(String(f.text)));
    erin.gm("clear");
    await erin.client.next((f) => f.type === "info" && /removed/.test(String(f.text)));
    erin.gm("reset");
    await erin.client.next((f) => f.type === "info" && /reset/.test(String(f.text)));
    erin.gm("clear");
    await erin.client.next((f) => f.type === "info" && /removed/.test(String(f.text)));
    // Erin stands at the spawn point (150,400); a golem right beside her starts its wind-up at once.
    erin.gm("spawn 1 golem 150 445");
    const telegraphs = () => erin.events.filter((e) => e.type === "telegraph");
    await erin.until(() => telegraphs().length >= 1, 5000, "the first telegraph");
    const first = telegraphs()[0] as unknown as { by: string; hitsAt: number };
    const hp = Number(erin.me()?.hp);
    // Step out of the circle (it does not follow), then stand still for the next swing.
    erin.move(0, -1);
    await erin.until((p) => Number(p.snapshots.at(-1)?.tick) > first.hitsAt + 2, 5000, "the first swing");
    expect(erin.events.filter((e) => e.type === "hit" && e.target === erin.id && e.tick === first.hitsAt)).toEqual([]);
    expect(Number(erin.me()?.hp)).toBe(hp);
    erin.move(0, 0);
    await erin.until(
      (p) => p.events.some((e) => e.type === "hit" && e.target === p.id && e.source === "melee"),
      8000,
      "a melee hit on Erin",
    );
    const hit = erin.events.find((e) => e.type === "hit" && e.target === erin.id && e.source === "melee");
    const announced = telegraphs().find((t) => t.by === hit?.by && t.hitsAt === hit?.tick);
    expect(announced, JSON.stringify({ hit, telegraphs: telegraphs() })).toBeDefined();
    expect(Number(announced?.tick)).toBeLessThan(Number(hit?.tick));
    expect(hit).toMatchObject({ amount: 15, by: first.by });
    await erin.close();
  });
});
