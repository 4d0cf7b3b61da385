/**
 * The client SDK (client/sdk/) against the real gateway, zones and Postgres: accounts through
 * RealmApi (a refresh rotates the token, a spent one replayed is refused: docs/accounts.md), and a
 * RealmSession that follows a travel by itself, reconnects by itself after a drop to find the
 * character where it stood (docs/architecture.md, "Reconnect"), and ends for good on a refusal.
 * The session uses Node 22's global WebSocket, as a browser page uses its own. Every wait is bounded.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { RealmApiError } from "../../client/sdk/api";
import { type ConnectionState, RealmSession, SessionClosedError, type SessionEvents } from "../../client/sdk/session";
import type { ServerMessage } from "../../shared/protocol/messages";
import { newHero } from "../support/heroes";
import { useRealm } from "../support/realm";

const realm = useRealm();
const sessions: RealmSession[] = [];

afterEach(() => {
  for (const session of sessions.splice(0)) session.close();
});

type Frame = ServerMessage & { text?: string; payload?: { id?: string } };

/**
 * Resolves with the next `name` event for which `match` holds, or rejects after `timeoutMs`.
 * Subscribes at once: call it before the action that causes the event.
 */
function nextEvent<K extends keyof SessionEvents & string>(
  session: RealmSession,
  name: K,
  match: (value: SessionEvents[K]) => boolean = () => true,
  timeoutMs = 8_000,
): Promise<SessionEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching "${name}" event within ${timeoutMs} ms (state ${session.state})`));
    }, timeoutMs);
    const off = session.on(name, (value) => {
      if (!match(value)) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

/** The next frame for which `match` holds (bounded). */
const nextFrame = (session: RealmSession, match: (f: Frame) => boolean, timeoutMs?: number) =>
  nextEvent(session, "frame", (f) => match(f as Frame), timeoutMs) as Promise<Frame>;

const room = (id: string) => (f: Frame) => f.type === "room" && f.payload?.id === id;

/** A session for the hero, its states recorded; closed after the test. */
function sessionFor(hero: Awaited<ReturnType<typeof newHero>>, characterId = hero.id) {
  const session = new RealmSession({ api: hero.realm, characterId });
  sessions.push(session);
  const states: ConnectionState[] = [];
  session.on("state", ({ state }) => states.push(state));
  return { session, states };
}

describe("the client SDK against the realm", () => {
  it("registers, logs in and refreshes through RealmApi; a spent refresh token replayed is refused", async () => {
    const sdk = realm.api.realm();
    const username = `sdk${Math.random().toString(36).slice(2, 10)}`;
    await sdk.register(username, "correct horse battery");
    const login = await sdk.login(username, "correct horse battery");
    expect(sdk.signedIn).toBe(true);
    expect(await sdk.characters()).toEqual([]);

    await sdk.refresh();
    const rotated = sdk.tokens.load();
    expect(rotated?.refreshToken).toBeTruthy();
    expect(rotated?.refreshToken).not.toBe(login.refreshToken);
    // The access token that came with it works (within the same second it may equal the old one: same claims).
    expect(await sdk.characters()).toEqual([]);

    // Another client holding the spent refresh token: refused as a reuse, and signed out.
    const stale = realm.api.realm({ ...login });
    const refused = await stale.refresh().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RealmApiError);
    expect(refused).toMatchObject({ status: 401, code: "token_reused" });
    expect(stale.signedIn).toBe(false);
  });

  it("follows a travel by itself: the zone changes, the session is online again, look shows the new room", async () => {
    const hero = await newHero(realm.api, "Strider");
    const { session, states } = sessionFor(hero);
    const arrived = nextFrame(session, room("village-square"));
    const welcome = await session.connect();
    expect(welcome.zone).toBe("start");
    expect(session.zone).toBe("start");
    await arrived;

    const gate = nextFrame(session, room("south-gate"));
    session.command("south");
    await gate;

    states.length = 0;
    const zone = nextEvent(session, "zone");
    const edge = nextFrame(session, room("woods-edge"));
    session.command("trail");
    expect(await zone).toMatchObject({ zone: "whispering-woods", previous: "start" });
    expect(session.state).toBe("online");
    expect(session.zone).toBe("whispering-woods");
    expect(states).toEqual(["travelling", "online"]);
    await edge;

    const look = nextFrame(session, (f) => f.type === "room");
    session.command("look");
    const seen = await look;
    expect(seen.payload?.id).toBe("woods-edge");
    expect(String(seen.text)).toContain("Edge of the Whispering Woods");
  });

  it("reconnects by itself after a drop: the character stands where it stood, and a command sent offline is delivered", async () => {
    const hero = await newHero(realm.api, "Steady");
    const { session, states } = sessionFor(hero);
    await session.connect();
    const gate = nextFrame(session, room("south-gate"));
    session.command("south");
    await gate;

    states.length = 0;
    const reconnecting = nextEvent(session, "state", (s) => s.state === "reconnecting");
    const back = nextEvent(session, "welcome");
    session.dropForTest();
    await reconnecting;
    expect(session.state).not.toBe("online");
    // Typed while the socket is down: waits in the queue, goes out after the next welcome.
    const inventory = nextFrame(session, (f) => f.type === "inventory", 15_000);
    session.command("inventory");
    const welcome = await back;
    expect(welcome.zone).toBe("start");
    expect(session.state).toBe("online");
    expect(states[0]).toBe("reconnecting");
    expect(states.at(-1)).toBe("online");
    expect(states).not.toContain("closed");
    await inventory;

    const look = nextFrame(session, (f) => f.type === "room");
    session.command("look");
    expect((await look).payload?.id).toBe("south-gate");
  });

  it("ends closed with the reason when the character is not the account's, and connect() rejects", async () => {
    const hero = await newHero(realm.api, "Lost");
    const { session, states } = sessionFor(hero, randomUUID());
    const closed = nextEvent(session, "state", (s) => s.state === "closed");
    const connected = session.connect().then(
      () => undefined,
      (error: unknown) => error,
    );
    const end = await closed;
    expect(end.detail).toMatch(/^not_found: /);
    const error = await connected;
    expect(error).toBeInstanceOf(SessionClosedError);
    expect((error as Error).message).toMatch(/not_found/);
    expect(session.state).toBe("closed");
    expect(states).toEqual(["connecting", "closed"]);
  });

  it("keeps one socket whatever the caller races: connect() twice, close() then connect() mid-ticket", async () => {
    const hero = await newHero(realm.api, "Once");
    const watcher = await newHero(realm.api, "Watch");
    const { session } = sessionFor(hero);
    const first = session.connect();
    expect(session.connect()).toBe(first);
    await first;
    // Closed while the next ticket is being fetched, then connected again: the stale attempt dies.
    session.close();
    const again = session.connect();
    session.close();
    const last = session.connect();
    await expect(again).rejects.toBeInstanceOf(SessionClosedError);
    await last;
    const eye = sessionFor(watcher).session;
    await eye.connect();
    // The watcher stands in the same square: the realm lists the hero once, not three times.
    const who = nextFrame(eye, (f) => f.type === "who");
    eye.send({ type: "who" });
    const names = ((await who) as Extract<ServerMessage, { type: "who" }>).players.map((p) => p.name);
    expect(names.filter((n) => n === hero.name)).toEqual([hero.name]);
    // A second socket for the same character would have displaced this one (close 4001) by now.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(session.state).toBe("online");
  });
});
