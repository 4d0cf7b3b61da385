/**
 * Effects in a field run on the field's ticks: a buff that came in with a character counts in its
 * maxima until it ends, a hot or dot pulses, and a dot that takes the last hit point kills.
 */
import { describe, expect, it } from "vitest";
import type { EffectState, EffectTemplate } from "../mud/types";
import { joinField } from "./field";
import { entrant, HZ, player, run, world } from "./field.fixtures";
import { PLAYER_RESPAWN_MS } from "./step";
import { ticksFor } from "./types";

const active = (template: EffectTemplate): EffectState => ({
  ...template,
  source: "elsewhere",
  remaining_ticks: template.duration_ticks,
});

describe("effects on field players", () => {
  it("count a buff in the sheet while it lasts, then derive the maxima again and clamp the pool", () => {
    const buff = active({
      name: "Stoneskin",
      kind: "buff",
      stat: "maxHp",
      magnitude: 15,
      duration_ticks: 5,
      interval_ticks: 5,
    });
    const s = joinField(world(), { ...entrant("p1", "mage", { hp: 85 }), effects: [buff] });
    expect(player(s, "p1")).toMatchObject({ maxHp: 70 + 15, hp: 85 });
    const during = run(s, 4).state;
    expect(player(during, "p1")).toMatchObject({ maxHp: 85, effects: [{ name: "Stoneskin", remaining_ticks: 1 }] });
    const after = run(during, 1).state;
    expect(player(after, "p1")).toMatchObject({ maxHp: 70, hp: 70, effects: [] });
  });

  it("pulses a hot every interval and kills with a dot that takes the last hit point", () => {
    const hot = active({ name: "Warmth", kind: "hot", magnitude: 4, duration_ticks: 4, interval_ticks: 2 });
    const healed = run(joinField(world(), { ...entrant("p1", "mage", { hp: 10 }), effects: [hot] }), 4).state;
    expect(player(healed, "p1").hp).toBe(18);

    const dot = active({ name: "Venom", kind: "dot", magnitude: 5, duration_ticks: 10, interval_ticks: 1 });
    const s = joinField(world(), { ...entrant("p1", "mage", { hp: 9 }), effects: [dot] });
    const out = run(s, 2);
    expect(out.events.filter((e) => e.type === "death")).toMatchObject([{ target: "p1", tick: 2 }]);
    expect(player(out.state, "p1")).toMatchObject({ hp: 0, respawnAt: 2 + ticksFor(PLAYER_RESPAWN_MS, HZ) });
    // Death ends every effect: back at spawn with full, unbuffed pools.
    const back = run(out.state, ticksFor(PLAYER_RESPAWN_MS, HZ)).state;
    expect(player(back, "p1")).toMatchObject({ hp: 70, maxHp: 70, effects: [], respawnAt: null });
  });
});
