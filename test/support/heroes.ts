/**
 * Heroes for the e2e tests: a fresh account with one character, played through a gateway ticket,
 * and followed across zones on `travel` frames (docs/architecture.md, "Travel and hand-off").
 */
import { expect } from "vitest";
import type { Api } from "./api";
import { type Frame, TestClient } from "./ws-client";

/** A `room` frame, with what the tests read of its payload. */
export type Room = Frame & { payload: { id: string; players: string[]; linkdead?: string[] } };

/** A `travel` frame: the zone to go to and the ticket for it. */
export type TravelFrame = Frame & { zone: string; ticket: string };

/** A character of a fresh account, with that account's login. */
export interface Hero {
  id: string;
  name: string;
  /** Where the character was created, as `POST /characters` answers. */
  zoneId: string;
  accessToken: string;
  /** The account that owns the character (the access token's `sub`). */
  accountId: string;
  /** The refresh family of the login, as its access token carries it. */
  fam: string | undefined;
}

/** The claims of a JWT, read without checking it (the test's own token). */
const jwtClaims = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString("utf8")) as {
    sub: string;
    fam?: string;
  };

/**
 * Registers a fresh account and creates a character named `prefix` plus eight random letters
 * (names are letters only); expects 201.
 */
export async function newHero(api: Api, prefix: string, characterClass = "warrior"): Promise<Hero> {
  const player = await api.newPlayer(prefix.toLowerCase());
  const tail = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
  const created = await api.call<{ id: string; name: string; zoneId: string }>(
    "POST",
    "/characters",
    { name: `${prefix}${tail}`, class: characterClass },
    player.accessToken,
  );
  expect(created.status).toBe(201);
  const claims = jwtClaims(player.accessToken);
  return { ...created.body, accessToken: player.accessToken, accountId: claims.sub, fam: claims.fam };
}

/** Plays the hero through a ticket from `POST /play/ticket`; returns the client after its welcome and first room. */
export async function play(api: Api, hero: { id: string; accessToken: string }) {
  const ticket = await api.call<{ url: string }>("POST", "/play/ticket", { characterId: hero.id }, hero.accessToken);
  expect(ticket.status).toBe(200);
  const client = await TestClient.connect(ticket.body.url);
  const welcome = await client.hello("ignored");
  return { client, welcome, room: (await client.nextOfType("room")) as Room };
}

/**
 * Takes an exit out of the zone (`go <exit>`) and follows the `travel` frame's ticket to
 * `<wsBase>/play`; returns the new client after its welcome and first room, and the frame. Checks
 * nothing about the old client (its close), which the caller may still await.
 */
export async function travel(client: TestClient, exit: string, wsBase: string) {
  client.send({ type: "command", line: `go ${exit}` });
  const frame = (await client.nextOfType("travel")) as TravelFrame;
  const next = await TestClient.connect(`${wsBase}/play?ticket=${frame.ticket}`);
  const welcome = await next.hello("ignored");
  return { client: next, frame, welcome, room: (await next.nextOfType("room")) as Room };
}
