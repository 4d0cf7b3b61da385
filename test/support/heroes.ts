/**
 * Heroes for the e2e tests: a fresh account with one character (made through the client SDK's
 * RealmApi), played through a gateway ticket, and followed across zones on `travel` frames
 * (docs/architecture.md, "Travel and hand-off"). The tests hold the raw socket (TestClient) to
 * read every frame; test/e2e/sdk.test.ts plays through the SDK's RealmSession instead.
 */
import type { RealmApi } from "../../client/sdk/api";
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
  /** The SDK's client signed in to that account (the same login as `accessToken`). */
  realm: RealmApi;
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
  const { tokens, realm } = await api.newAccount(prefix.toLowerCase());
  const tail = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
  const created = (await realm.createCharacter(`${prefix}${tail}`, characterClass)) as {
    id: string;
    name: string;
    zoneId: string;
  };
  const claims = jwtClaims(tokens.accessToken);
  return { ...created, accessToken: tokens.accessToken, accountId: claims.sub, fam: claims.fam, realm };
}

/**
 * Plays the hero through a ticket from `POST /play/ticket` (RealmApi.ticket, with the hero's access
 * token); returns the client after its welcome and first room.
 */
export async function play(api: Api, hero: { id: string; accessToken: string }) {
  // No refresh token: a refused access token fails here rather than being refreshed behind the test's back.
  const { url } = await api.realm({ accessToken: hero.accessToken, refreshToken: "" }).ticket(hero.id);
  const client = await TestClient.connect(url);
  const welcome = await client.hello("ignored");
  return { client, welcome, room: (await client.nextOfType("room")) as Room };
}

/**
 * Takes an exit out of the zone (`go <exit>`) and follows the `travel` frame's ticket to
 * `<wsBase>/play`; returns the new client after its welcome and first room, and the frame. Checks
 * nothing about the old client (its close), which the caller may still await. `timeoutMs` bounds
 * each wait for a frame (the client's default when not given).
 */
export async function travel(client: TestClient, exit: string, wsBase: string, timeoutMs?: number) {
  client.send({ type: "command", line: `go ${exit}` });
  const frame = (await client.nextOfType("travel", timeoutMs)) as TravelFrame;
  const next = await TestClient.connect(`${wsBase}/play?ticket=${frame.ticket}`);
  const welcome = await next.hello("ignored");
  return { client: next, frame, welcome, room: (await next.nextOfType("room", timeoutMs)) as Room };
}
