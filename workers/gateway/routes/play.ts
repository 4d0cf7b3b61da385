/**
 * Getting into the world:
 *  - `POST /play/ticket {characterId}` (Bearer) → `{ticket, url}`, single-use, 60 s, bound to the
 *    account and character;
 *  - `GET /play?ticket=…` redeems it and upgrades to the zone the character lives in: the
 *    ticket's `zone` (a zone sending the character on names the destination), else the
 *    directory's placement, else the Postgres row (which may lag while a zone's write is in flight);
 *  - `GET /ws?zone=<id>` guest sockets, only with ALLOW_GUESTS=true (development and tests).
 * Zones answer the upgrade themselves (and refuse it with 503 when the realm is full).
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { AccessClaims } from "../../../shared/auth/jwt";
import { knownRoles } from "../../../shared/auth/jwt";
import { issueTicket, readTicket, type TicketClaims } from "../../../shared/auth/ticket";
import { directoryObjectName, ZONE_ID_PATTERN, zoneObjectName } from "../../../shared/config";
import { findAccountById } from "../../../shared/db/accounts";
import { findCharacter } from "../../../shared/db/characters";
import { withDatabase } from "../../../shared/db/client";
import { createLogger } from "../../../shared/log";
import { CHARACTER_HEADER, CharacterSnapshot } from "../../../shared/protocol/character";
import { type GatewayVariables, realmConfig } from "../context";
import type { Env } from "../env";
import { requireAuth, requireLiveLogin } from "../middleware/auth";
import { publicScheme } from "../middleware/client-address";
import { rateLimit } from "../middleware/rate-limit";
import { gatewaySettings, requireDatabase, requireJwt } from "../settings";
import { fail, jsonBody } from "../validate";

/** Zone a guest lands in when the URL names none. */
export const DEFAULT_ZONE = "start";

const TicketBody = z.object({ characterId: z.string().uuid("must be a character id") });

const TICKET_MESSAGES = {
  malformed: "the ticket is malformed",
  forged: "the ticket is not valid",
  expired: "the ticket expired; ask for a new one with POST /play/ticket",
} as const;

type PlayContext = Context<{ Bindings: Env; Variables: GatewayVariables }>;

function requireUpgrade(c: PlayContext, path: string): void {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw fail(426, "upgrade_required", `GET ${path} must be a WebSocket upgrade`);
  }
}

/** Forwards the upgrade to the zone; only the gateway may attach a character to it. */
async function forwardToZone(c: PlayContext, zoneId: string, character?: CharacterSnapshot): Promise<Response> {
  const config = realmConfig(c.env);
  const headers = new Headers(c.req.raw.headers);
  headers.delete(CHARACTER_HEADER); // never trust a client's copy
  headers.set("x-request-id", c.get("requestId"));
  if (character) headers.set(CHARACTER_HEADER, encodeURIComponent(JSON.stringify(character)));
  const stub = c.env.ZONES.getByName(zoneObjectName(config.realm, zoneId));
  const response = await stub.fetch(new Request(c.req.raw.url, { headers }));
  if (response.status === 101) return response;
  createLogger(config.logLevel, { component: "gateway" }).log("warn", "connect.refused", {
    requestId: c.get("requestId"),
    zone: zoneId,
    status: response.status,
  });
  // Responses from a stub have immutable headers; copy so middleware can add its own.
  return new Response(response.body, response);
}

const ticketRoutes = new Hono<{ Bindings: Env; Variables: GatewayVariables & { account: AccessClaims } }>()
  // Counted per account (after auth), so one player's retries never use up another's tickets.
  .use("*", requireAuth(), rateLimit({ bucket: "ticket", per: "account" }))
  .post("/", async (c) => {
    const { characterId } = await jsonBody(c, TicketBody);
    const account = c.get("account");
    const accountId = account.sub;
    const secret = requireJwt(c.env, realmConfig(c.env).realm).secret;
    const character = await withDatabase(requireDatabase(c.env), async (db) => {
      await requireLiveLogin(db, account);
      return findCharacter(db, accountId, characterId);
    });
    if (!character) throw fail(404, "not_found", "no such character on this account", "characterId");
    const { ticket } = await issueTicket(
      { accountId, characterId, fam: account.fam },
      secret,
      Math.floor(Date.now() / 1000),
    );
    const url = new URL(c.req.url);
    // Behind a proxy that terminated TLS, the player is on https: its ticket must say wss.
    url.protocol = publicScheme(c.env, c.req.raw) === "https" ? "wss:" : "ws:";
    url.pathname = "/play";
    url.search = `?ticket=${ticket}`;
    return c.json({ ticket, url: url.toString(), expiresIn: 60 });
  });

export const playRoutes = new Hono<{ Bindings: Env; Variables: GatewayVariables }>()
  .route("/play/ticket", ticketRoutes)
  .get("/play", async (c) => {
    requireUpgrade(c, "/play");
    const ticket = c.req.query("ticket");
    if (!ticket) throw fail(401, "invalid_ticket", "GET /play needs ?ticket= from POST /play/ticket");
    const { realm } = realmConfig(c.env);
    const secret = requireJwt(c.env, realm).secret;
    const claims = await readTicket(ticket, secret, Math.floor(Date.now() / 1000));
    if (!claims.ok) throw fail(401, "invalid_ticket", TICKET_MESSAGES[claims.error]);
    // A ticket is spent only by a successful upgrade or the client's own fault: a refusal for a
    // server-side reason (Postgres down, the zone full) leaves it valid for the documented retry.
    const directory = c.env.DIRECTORY.getByName(directoryObjectName(realm));
    const { jti } = claims.value;
    const handedOver = handOverSnapshot(claims.value);
    if (handedOver) {
      // A zone handing the character over signed what it holds into the ticket: no Postgres on the
      // way (docs/decisions.md D29). Spent now; given back if the zone fails on its side.
      if (!(await directory.redeemTicket(jti, claims.value.exp * 1000))) throw usedTicket();
      const response = await forwardToZone(c, handedOver.zoneId, handedOver).catch(async (error: unknown) => {
        await directory.restoreTicket(jti);
        throw error;
      });
      if (response.status >= 500) await directory.restoreTicket(jti);
      return response;
    }
    if (await directory.isTicketRedeemed(jti)) throw usedTicket();
    const found = await withDatabase(requireDatabase(c.env), async (db) => {
      // A ticket from a login revoked since it was issued dies with the login.
      if (claims.value.fam) await requireLiveLogin(db, { sub: claims.value.accountId, fam: claims.value.fam });
      const row = await findCharacter(db, claims.value.accountId, claims.value.characterId);
      const account = row && (await findAccountById(db, claims.value.accountId));
      return row && account ? { row, roles: account.roles } : undefined;
    });
    if (!found) throw fail(401, "invalid_ticket", "the ticket's character no longer exists");
    const { row } = found;
    const zoneId = claims.value.zone ?? (await directory.whereIs(row.id)) ?? row.zoneId;
    if (!(await directory.redeemTicket(jti, claims.value.exp * 1000))) throw usedTicket();
    const character: CharacterSnapshot = {
      id: row.id,
      accountId: row.accountId,
      name: row.name,
      class: row.class,
      level: row.level,
      xp: row.xp,
      hp: row.hp,
      mp: row.mp,
      str: row.str,
      dex: row.dex,
      int: row.int,
      vit: row.vit,
      zoneId,
      roomId: row.roomId,
      x: row.x,
      y: row.y,
      playSeconds: row.playSeconds,
      version: row.version,
      roles: knownRoles(found.roles),
      // So the zone can bind the tickets it issues (a travel) to this same login.
      ...(claims.value.fam ? { fam: claims.value.fam } : {}),
    };
    const response = await forwardToZone(c, zoneId, character).catch(async (error: unknown) => {
      await directory.restoreTicket(jti);
      throw error;
    });
    if (response.status >= 500) await directory.restoreTicket(jti);
    return response;
  })
  .get("/ws", async (c) => {
    if (!gatewaySettings(c.env).allowGuests) {
      throw fail(403, "guests_disabled", "guest sockets are off; log in and use POST /play/ticket");
    }
    requireUpgrade(c, "/ws");
    const zoneId = c.req.query("zone") ?? DEFAULT_ZONE;
    if (!ZONE_ID_PATTERN.test(zoneId)) {
      throw fail(
        400,
        "invalid_zone",
        "zone must be 1–64 characters of a-z, 0-9, _ and -, starting with a letter or digit",
      );
    }
    return forwardToZone(c, zoneId);
  });

const usedTicket = () => fail(401, "invalid_ticket", "the ticket was already used; ask for a new one");

/**
 * The character a hand-off ticket carries, landing in the ticket's zone, or undefined for an
 * ordinary ticket (or a carried snapshot that does not read, or belongs to another character).
 */
function handOverSnapshot(claims: TicketClaims): CharacterSnapshot | undefined {
  if (!claims.zone || !claims.character) return undefined;
  const read = CharacterSnapshot.safeParse(claims.character);
  if (!read.success || read.data.id !== claims.characterId || read.data.accountId !== claims.accountId)
    return undefined;
  return { ...read.data, zoneId: claims.zone, ...(claims.fam ? { fam: claims.fam } : {}) };
}
