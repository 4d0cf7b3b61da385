import { describe, expect, it } from "vitest";
import { createRng } from "../sim/rng";
import { stepZone, WEATHER_PERIOD_TICKS } from "../sim/zone";
import { chatEngine } from "./chat";
import { isOutcome } from "./engine";

const ada = { sessionId: "s-ada", name: "Ada" };

describe("the chat engine", () => {
  it("numbers said lines, sends each to everyone, and asks for it to be committed first", () => {
    const state = chatEngine.initial("plaza");
    const first = chatEngine.receive(state, ada, { type: "say", text: "hello" }, 7);
    if (!isOutcome(first)) throw new Error("say is a chat message");
    expect(first.critical).toBe(true);
    expect(first.out).toEqual([
      { to: { all: true }, message: { type: "said", id: 1, sessionId: "s-ada", name: "Ada", text: "hello", tick: 7 } },
    ]);
    const second = chatEngine.receive(first.state, ada, { type: "say", text: "again" }, 8);
    expect(isOutcome(second) && second.out[0]?.message).toMatchObject({ id: 2 });
  });

  it("refuses a message that is not chat, changing nothing", () => {
    expect(chatEngine.receive(chatEngine.initial("plaza"), ada, { type: "who" }, 1)).toMatchObject({
      code: "unsupported",
    });
  });

  it("steps the weather exactly as the zone simulation does, and announces a change to everyone", () => {
    let state = chatEngine.initial("plaza");
    let expected = state;
    const [engineRng, simRng] = [createRng(42), createRng(42)];
    const announced: unknown[] = [];
    for (let tick = 1; tick <= WEATHER_PERIOD_TICKS * 20; tick++) {
      const result = chatEngine.step(state, { tick, now: tick * 100, rng: engineRng });
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

  it("serializes its state with a version, and restores it; a corrupt payload is refused", () => {
    const payload = chatEngine.serialize({ tick: 12, weather: "rain", nextSaidId: 4 });
    expect(payload).toEqual({ v: 1, tick: 12, weather: "rain", nextSaidId: 4 });
    expect(chatEngine.restore(JSON.parse(JSON.stringify(payload)))).toEqual({
      ok: true,
      value: { tick: 12, weather: "rain", nextSaidId: 4 },
    });
    expect(chatEngine.restore({ v: 1, tick: 1, weather: "hail", nextSaidId: 1 })).toEqual({
      ok: false,
      error: expect.stringMatching(/^chat_state: weather: /),
    });
  });
});
