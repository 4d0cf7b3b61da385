import { describe, expect, it } from "vitest";
import { createRng } from "../sim/rng";
import { stepZone, WEATHER_PERIOD_TICKS } from "../sim/zone";
import { CHAT_KIND, chat, TalkOnlyEngine } from "./chat";
import { isOutcome } from "./engine";

const ada = { sessionId: "s-ada", name: "Ada" };

describe("the chat layer", () => {
  it("numbers said lines, sends each to everyone, and asks for it to be committed first", () => {
    const first = chat.say(chat.initial(), ada, { text: "hello" }, 7);
    expect(first.critical).toBe(true);
    const line = { type: "said", id: 1, sessionId: "s-ada", name: "Ada", text: "hello", tick: 7 };
    expect(first.out).toEqual([{ to: { all: true }, message: line }]);
    expect(first.line).toEqual(line);
    const second = chat.say(first.state, ada, { text: "again" }, 8);
    expect(second.line).toMatchObject({ id: 2 });
  });

  it("steps the weather exactly as the zone simulation does, and announces a change to everyone", () => {
    let state = chat.initial();
    let expected = state;
    const [engineRng, simRng] = [createRng(42), createRng(42)];
    const announced: unknown[] = [];
    for (let tick = 1; tick <= WEATHER_PERIOD_TICKS * 20; tick++) {
      const result = chat.step(state, { tick, now: tick * 100, rng: engineRng });
      const sim = stepZone(expected, { tick, now: tick * 100, rng: simRng });
      state = result.state;
      expected = sim.state;
      expect(result.critical).toBe(false);
      announced.push(...result.out);
      expect(result.out).toEqual(sim.events.map((event) => ({ to: { all: true }, message: event })));
    }
    expect(state).toEqual(expected);
    expect(announced.length).toBeGreaterThan(0);
  });

  it("fast-forwards the weather as stepping every tick does, drawing only on weather ticks", () => {
    for (const [from, to] of [
      [0, 0],
      [0, 99],
      [0, 100],
      [37, 36_037],
      [250, 1_000],
    ] as const) {
      const start = { ...chat.initial(), tick: from as number };
      const [a, b] = [createRng(from + 1), createRng(from + 1)];
      let stepped = start;
      const heard: unknown[] = [];
      for (let tick = from + 1; tick <= to; tick++) {
        const result = chat.step(stepped, { tick, now: 0, rng: a });
        stepped = result.state;
        heard.push(...result.out);
      }
      const skipped = chat.fastForward(start, to, { rng: b, now: 0 });
      expect(skipped.state).toEqual(stepped);
      expect(skipped.out).toEqual(heard);
      expect(b.state()).toBe(a.state());
    }
    expect(chat.nextEventTick(0)).toBe(WEATHER_PERIOD_TICKS);
    expect(chat.nextEventTick(WEATHER_PERIOD_TICKS)).toBe(2 * WEATHER_PERIOD_TICKS);
    expect(chat.nextEventTick(WEATHER_PERIOD_TICKS - 1)).toBe(WEATHER_PERIOD_TICKS);
  });

  it("serializes its state with a version, and restores it; a corrupt payload is refused", () => {
    const payload = chat.serialize({ tick: 12, weather: "rain", nextSaidId: 4 });
    expect(payload).toEqual({ v: 1, tick: 12, weather: "rain", nextSaidId: 4 });
    expect(chat.restore(JSON.parse(JSON.stringify(payload)))).toEqual({
      ok: true,
      value: { tick: 12, weather: "rain", nextSaidId: 4 },
    });
    expect(chat.restore({ v: 1, tick: 1, weather: "hail", nextSaidId: 1 })).toEqual({
      ok: false,
      error: expect.stringMatching(/^chat_state: weather: /),
    });
  });
});

describe("the engine of a zone that is only a place to talk", () => {
  const engine = CHAT_KIND.create("plaza", createRng(1));

  it("schedules nothing, and fast-forwards without drawing", () => {
    const rng = createRng(9);
    expect(engine.nextEventTick(123)).toBeUndefined();
    expect(engine.fastForward(10_000, { rng, now: 0 })).toEqual({ out: [], critical: false });
    expect(rng.state()).toBe(9);
  });
  const guest = { ...ada, playerId: "s-ada", gm: false };
  const stats = { summary: () => ({}) as never, reset: () => {} };

  it("answers a game command with what the zone offers, to the sender only", () => {
    const result = engine.receive(guest, { type: "command", line: "look" }, { tick: 1, now: 0, stats });
    expect(isOutcome(result) && result.out).toEqual([
      { to: { session: "s-ada" }, message: { type: "info", text: expect.stringMatching(/only a place to talk/) } },
    ]);
  });

  it("refuses real-time frames, naming the zone", () => {
    const result = engine.receive(guest, { type: "cast", skill: "magic-missile" }, { tick: 1, now: 0, stats });
    expect(result).toMatchObject({ code: "unsupported", message: expect.stringMatching(/plaza is not one/) });
  });

  it("keeps no state of its own and announces arrivals zone-wide", () => {
    expect(engine).toBeInstanceOf(TalkOnlyEngine);
    expect(engine.serialize()).toEqual({ v: 1 });
    expect(engine.announcesPresence).toBe(true);
    expect(engine.tickHz).toBeUndefined();
  });
});
