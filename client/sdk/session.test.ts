/**
 * RealmSession's `hello` over real sockets: a WebSocket server on 127.0.0.1 records every hello the
 * session sends and answers with the protocol's frames (welcome, travel), so what goes on the wire
 * at the first connection, after a travel and after a dropped socket is what is checked. The zone's
 * own handling of the language is tested with the realm (test/browser/play.test.ts).
 */
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { RealmApi } from "./api";
import { InvalidLanguageError } from "./language";
import { RealmSession, type SessionOptions } from "./session";

interface Hello {
  zone: string;
  frame: Record<string, unknown>;
}

let server: WebSocketServer;
let api: RealmApi;
let hellos: Hello[];
let connections: number;
let sessions: RealmSession[];
/** Zones that answer their first hello with a `travel` to another zone. */
let travelFrom: Map<string, string>;

beforeEach(async () => {
  hellos = [];
  connections = 0;
  sessions = [];
  travelFrom = new Map();
  server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  server.on("connection", (socket, request) => {
    connections += 1;
    const zone = new URL(request.url ?? "/", "http://realm").searchParams.get("zone") ?? "";
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      if (frame.type !== "hello") return;
      hellos.push({ zone, frame });
      socket.send(JSON.stringify(welcome(zone, frame)));
      const next = travelFrom.get(zone);
      if (next) {
        travelFrom.delete(zone);
        socket.send(JSON.stringify({ type: "travel", zone: next, reason: "You walk on." }));
      }
    });
  });
  api = new RealmApi({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});

afterEach(async () => {
  for (const session of sessions) session.close();
  for (const client of server.clients) client.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The welcome a zone sends, with the language it would choose (es or en, as the realm does). */
function welcome(zone: string, hello: Record<string, unknown>) {
  const language = String(hello.language ?? "en").startsWith("es") ? "es" : "en";
  return {
    type: "welcome",
    protocol: hello.protocol,
    snapshots: "binary",
    language,
    sessionId: `s${connections}`,
    name: "Ada",
    zone,
    realm: "test",
    tickRate: 10,
    tick: 0,
    weather: "clear",
    recent: [],
  };
}

function session(options: Partial<SessionOptions>): RealmSession {
  const made = new RealmSession({ api, guest: { zone: "square", name: "Ada" }, pingMs: 0, ...options });
  sessions.push(made);
  return made;
}

describe("RealmSession language", () => {
  it("sends the language in every hello: the first, after a travel and after a dropped socket", async () => {
    travelFrom.set("square", "tower");
    const player = session({ language: "es", random: () => 0 });
    const first = await player.connect();
    expect(first).toMatchObject({ zone: "square", language: "es" });
    await expect.poll(() => player.zone).toBe("tower");
    player.dropForTest();
    await expect.poll(() => hellos.length).toBe(3);
    await expect.poll(() => player.state).toBe("online");
    expect(hellos.map((h) => h.zone)).toEqual(["square", "tower", "tower"]);
    for (const { frame } of hellos) expect(frame).toMatchObject({ type: "hello", name: "Ada", language: "es" });
    expect(player.welcome?.language).toBe("es");
  });

  it("sends no language when none is chosen, and the realm answers in English", async () => {
    const player = session({});
    expect((await player.connect()).language).toBe("en");
    expect(hellos).toHaveLength(1);
    expect(hellos[0]?.frame).not.toHaveProperty("language");
  });

  it("refuses a malformed language in the constructor, before any socket opens", () => {
    for (const bad of ["Español", "", "es MX", "x".repeat(40), 7]) {
      expect(() => session({ language: bad as string })).toThrow(InvalidLanguageError);
    }
    expect(() => session({ language: "Español" })).toThrow(/not a language tag: "Español"/);
    expect(connections).toBe(0);
  });
});
