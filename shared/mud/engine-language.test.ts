/**
 * The MUD engine renders each event in its recipient's language (docs/content.md, "Translating a
 * pack"): recipients of one event who read different languages get different texts, the English
 * one exactly as emitted, and content without a translation keeps the pack's own words.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "../sim/rng";
import type { Delivery, EngineSession, Outcome } from "../zone/engine";
import { MUD_KIND, MudEngine } from "./engine";
import type { MudEvent } from "./events";

function guest(name: string, language?: EngineSession["language"]): EngineSession {
  const sessionId = `session-${name.toLowerCase()}`;
  return { sessionId, playerId: sessionId, name, gm: false, ...(language ? { language } : {}) };
}

function create(): MudEngine {
  const engine = MUD_KIND.create("start", createRng(7));
  if (!(engine instanceof MudEngine)) throw new Error("the mud kind opened something other than a MudEngine");
  return engine;
}

/** What `session`'s player receives of `out`. */
function seenBy(out: readonly Delivery[], session: EngineSession): MudEvent[] {
  return out.flatMap((d) => {
    if (!("message" in d)) throw new Error("a MUD engine sends messages");
    const reaches = "players" in d.to ? d.to.players.includes(session.playerId) : "all" in d.to;
    return reaches ? [d.message as MudEvent] : [];
  });
}

function step(engine: MudEngine, tick: number, lines: [EngineSession, string][]): Outcome {
  const stats = { summary: () => ({}) as never, reset: () => {} };
  for (const [session, line] of lines) engine.receive(session, { type: "command", line }, { tick, now: 0, stats });
  return engine.step({ tick, now: tick * 100, rng: createRng(tick) });
}

describe("MudEngine in each player's language", () => {
  it("renders one arrival in Spanish for a Spanish reader and in English for an English one", () => {
    const engine = create();
    const ana = guest("Ana", "es");
    const bob = guest("Bob");
    engine.admit(ana);
    engine.admit(bob);
    const carl = engine.admit(guest("Carl"));
    expect(seenBy(carl.out, ana).filter((e) => e.type === "arrive")).toEqual([
      { type: "arrive", text: "Carl llega.", payload: { name: "Carl" } },
    ]);
    expect(seenBy(carl.out, bob).filter((e) => e.type === "arrive")).toEqual([
      { type: "arrive", text: "Carl arrives.", payload: { name: "Carl" } },
    ]);
  });

  it("shows a room with the pack's overlay in Spanish, untranslated content in English, the payload as written", () => {
    const engine = create();
    const ana = guest("Ana", "es");
    const [room] = seenBy(engine.admit(ana).out, ana).filter((e) => e.type === "room");
    const lines = room?.text.split("\n") ?? [];
    expect(lines[0]).toBe("Plaza de Lanternmere");
    expect(lines[1]).toMatch(/^Adoquines gastados/);
    expect(lines[2]).toBe("Salidas: north, east, west, south, down.");
    expect(lines).toContain("El viejo Bren, el farolero está aquí.");
    expect(room?.payload).toMatchObject({ id: "village-square", name: "Lanternmere Square" });
    // The smithy has no Spanish name: the pack's own, in a Spanish sentence.
    const west = step(engine, 1, [[ana, "west"]]);
    const [smithy] = seenBy(west.out, ana).filter((e) => e.type === "room");
    expect(smithy?.text.split("\n")[0]).toBe(engine.content.rooms.smithy?.name);
    expect(smithy?.text).toContain("Salidas: ");
  });

  it("describes a creature with the overlay's name and description, the payload as the pack writes it", () => {
    const engine = create();
    const ana = guest("Ana", "es");
    engine.admit(ana);
    const out = step(engine, 1, [[ana, "look bren"]]);
    const [seen] = seenBy(out.out, ana).filter((e) => e.type === "examine");
    expect(seen?.text.split("\n")).toEqual([
      "El viejo Bren, el farolero",
      expect.stringMatching(/^Un hombre encorvado/),
      "El viejo Bren, el farolero está en perfecto estado.",
    ]);
    expect(seen?.payload).toMatchObject({ name: "Old Bren the lamplighter", condition: "is in perfect health" });
  });

  it("falls back to English for a message the Spanish catalogue lacks", () => {
    const engine = create();
    const ana = guest("Ana", "es");
    engine.admit(ana);
    const out = step(engine, 1, [[ana, "remove hat"]]);
    expect(seenBy(out.out, ana)).toContainEqual({ type: "info", text: "You aren't using that." });
  });

  it("keeps one delivery for an all-English audience, as before", () => {
    const engine = create();
    const bob = guest("Bob");
    const dan = guest("Dan");
    engine.admit(bob);
    engine.admit(dan);
    const out = step(engine, 1, [[bob, "rest"]]);
    const rests = out.out.filter((d) => "message" in d && d.message.type === "emote");
    expect(rests).toEqual([
      { to: { players: [dan.playerId] }, message: { type: "emote", text: "Bob sits down to rest." } },
    ]);
  });
});
