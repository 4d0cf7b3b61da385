/**
 * Protocol v1: the single source of truth for client↔server messages.
 * Every frame is a JSON object discriminated on `type`. docs/protocol.md documents each schema
 * exported here (docs.test.ts fails when one is missing from it).
 */
import { z } from "zod";
import { ZONE_ID_PATTERN } from "../config";
import { LANGUAGES } from "../i18n/languages";
import { nameField } from "../text/name-schema";
import { CHARACTER_NAME_RULE } from "../text/names";
import { CharacterSnapshot } from "./character";
import { MUD_EVENT_TYPES, WEATHERS } from "./enums";
import { ERROR_CODES } from "./errors";
import { SNAPSHOT_ENCODINGS } from "./version";

/**
 * Player-visible names (characters and guests): 1–24 Latin letters, combining marks, digits,
 * spaces, `_` and `-`, NFKC-normalized with spaces collapsed; no invisible characters, no mixed
 * scripts (shared/text/names.ts). Parsing yields the normalized name.
 */
export const PlayerName = nameField(CHARACTER_NAME_RULE);

/** Chat text: 1–500 characters after trimming; control characters are refused. */
const ChatText = z
  .string()
  .trim()
  .min(1)
  .max(500)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we refuse.
  .regex(/^[^\u0000-\u001f\u007f]*$/, "no control characters");

/** A client-chosen correlation id echoed back by the server. */
const Nonce = z.union([z.number().int().safe(), z.string().max(64)]);

// ---- client → server ----------------------------------------------------------------------

/** First message on a socket: states the protocol version; the server answers `welcome`. */
export const HelloMessage = z.object({
  type: z.literal("hello"),
  protocol: z.number().int(),
  name: PlayerName.optional(),
  /** Protocol 2: field snapshots as binary frames (the default) or, for debugging, JSON. */
  snapshots: z.enum(SNAPSHOT_ENCODINGS).optional(),
  /**
   * The language to read the world in, a BCP 47 tag (`es`, `es-MX`); one without a catalogue, or
   * none, means English (shared/i18n/languages.ts). `welcome` says which one the zone chose.
   */
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/, "a language tag such as en or es-MX")
    .max(35)
    .optional(),
});

/** Liveness and latency probe; answered with `pong` carrying the same `id`. */
export const PingMessage = z.object({ type: z.literal("ping"), id: Nonce.optional() });

/** Speak to everyone in the zone; broadcast to all as `said` (the sender included). */
export const SayMessage = z.object({ type: z.literal("say"), text: ChatText });

/** Ask who is in the zone; answered with `who`. */
export const WhoMessage = z.object({ type: z.literal("who") });

/** A text command in a world zone: `look`, `get 2.sword`, `cast missile wolf`… (see `help`). */
export const CommandMessage = z.object({ type: z.literal("command"), line: ChatText });

/** A point or direction on a field zone's map. Any finite numbers: the zone clamps them. */
const WirePoint = z.object({ x: z.number(), y: z.number() });

/** A snapshot number to acknowledge (see `snapshot`). */
const SnapshotNumber = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * Field zones: the movement a player holds (a direction, clamped to length 1) and where it aims,
 * up to 20 per second. `seq` rises with every input; each `snapshot` says the last one applied.
 */
export const InputMessage = z.object({
  type: z.literal("input"),
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  move: WirePoint,
  aim: WirePoint.optional(),
  /** The newest snapshot this client holds, so the next one is a delta against it. */
  ack: SnapshotNumber.optional(),
});

/**
 * Field zones: use a skill (a rulebook id such as `magic-missile` or `cleave`, or an alias such as
 * `missile`; shared/rules/skills.ts) at an aim point or on an entity id.
 */
export const CastMessage = z.object({
  type: z.literal("cast"),
  skill: z.string().min(1).max(32),
  aim: WirePoint.optional(),
  target: z.string().min(1).max(64).optional(),
});

/** Field zones: acknowledge a snapshot without sending an input. */
export const AckMessage = z.object({ type: z.literal("ack"), n: SnapshotNumber });

/** Field zones: the client lost track; the next snapshot is a full one. */
export const ResyncMessage = z.object({ type: z.literal("resync") });

export const ClientMessage = z.discriminatedUnion("type", [
  HelloMessage,
  PingMessage,
  SayMessage,
  WhoMessage,
  CommandMessage,
  InputMessage,
  CastMessage,
  AckMessage,
  ResyncMessage,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage["type"];
export const CLIENT_MESSAGE_TYPES: readonly ClientMessageType[] = ClientMessage.options.map(
  (option) => option.shape.type.value,
);

// ---- server → client ----------------------------------------------------------------------

/** One line of zone chat, as broadcast and as kept in the zone's log. */
export const SaidMessage = z.object({
  type: z.literal("said"),
  /** Monotonic id of the line within its zone's log. */
  id: z.number().int(),
  sessionId: z.string(),
  name: z.string(),
  text: z.string(),
  /** Zone tick at which the line was said. */
  tick: z.number().int(),
});

/** Answer to `hello`: who you are, where you are, how fast the zone ticks, and the recent chat. */
export const WelcomeMessage = z.object({
  type: z.literal("welcome"),
  /** The version this session speaks: the one its hello stated. */
  protocol: z.number().int(),
  /** How this session's field snapshots come: `binary` frames or JSON `snapshot` messages. */
  snapshots: z.enum(SNAPSHOT_ENCODINGS),
  /**
   * The language the world's text comes in for this session: the one `hello` asked for, or `en`.
   * Always sent; optional so a client can read a welcome from a server older than it.
   */
  language: z.enum(LANGUAGES).optional(),
  sessionId: z.string(),
  name: z.string(),
  zone: z.string(),
  realm: z.string(),
  tickRate: z.number(),
  tick: z.number().int(),
  weather: z.enum(WEATHERS),
  /**
   * The character this session plays (absent for guest sessions). The account's roles stay in the
   * zone: what a GM may do shows as `field.gm`.
   */
  character: CharacterSnapshot.omit({ accountId: true, version: true, roles: true, fam: true }).optional(),
  /** The last lines said in the zone, oldest first (at most 20). */
  recent: z.array(SaidMessage),
});

export const PongMessage = z.object({
  type: z.literal("pong"),
  id: Nonce.optional(),
  tick: z.number().int(),
  serverTime: z.number(),
});

export const WhoReplyMessage = z.object({
  type: z.literal("who"),
  players: z.array(z.object({ sessionId: z.string(), name: z.string() })),
});

/** Someone finished `hello` in the zone (sent to the others). */
export const JoinedMessage = z.object({
  type: z.literal("joined"),
  sessionId: z.string(),
  name: z.string(),
});

/** Someone who had said `hello` left the zone. */
export const LeftMessage = z.object({
  type: z.literal("left"),
  sessionId: z.string(),
  name: z.string(),
});

/** The zone's weather changed. */
export const WeatherMessage = z.object({
  type: z.literal("weather"),
  weather: z.enum(WEATHERS),
  tick: z.number().int(),
});

/**
 * What a world zone tells a player: a line of text for terminals plus, for most types, a payload
 * for graphical clients (`stat_update` carries only the stats that changed).
 */
export const GameEventMessage = z.object({
  type: z.enum(MUD_EVENT_TYPES),
  text: z.string(),
  payload: z.record(z.string(), z.unknown()).optional(),
});

/** A typed failure for this session only; the socket stays open and usable. */
export const ErrorMessage = z.object({
  type: z.literal("error"),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  field: z.string().optional(),
});

/** Field zones: the map a client needs to draw and predict (sent after `welcome` and when it changes). */
export const FieldMessage = z.object({
  type: z.literal("field"),
  /** The entity id of this session's player. */
  you: z.string(),
  width: z.number(),
  height: z.number(),
  tickRate: z.number(),
  snapshotRate: z.number(),
  viewRadius: z.number(),
  playerSpeed: z.number(),
  obstacles: z.array(z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() })),
  spawn: WirePoint,
  skills: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      manaCost: z.number(),
      cooldownMs: z.number(),
      castMs: z.number(),
      range: z.number(),
    }),
  ),
  /** Whether the GM console (`command` frames) is open here. */
  gm: z.boolean(),
});

const EntityView = z.record(z.string(), z.unknown()).and(z.object({ id: z.string() }));

/**
 * Field zones: what changed in this client's view since snapshot `base` (0 = a full snapshot).
 * Apply `del`, then `add`, then `upd` (a field set to null was removed) to your copy of `base`.
 */
export const SnapshotMessage = z.object({
  type: z.literal("snapshot"),
  n: z.number().int(),
  base: z.number().int(),
  tick: z.number().int(),
  /** The last input `seq` the simulation applied for you. */
  ack: z.number().int(),
  add: z.array(EntityView),
  upd: z.array(EntityView),
  del: z.array(z.string()),
  /** What happened near you since the last snapshot: casts, hits, telegraphs, deaths… */
  ev: z.array(z.record(z.string(), z.unknown()).and(z.object({ type: z.string() }))).optional(),
});

/**
 * The character (or guest) moves to another zone: reconnect to `GET /play?ticket=<ticket>` (a
 * character) or `GET /ws?zone=<zone>` (a guest) on the same gateway. This socket is closed next,
 * with TRAVELLED_CLOSE_CODE.
 */
export const TravelMessage = z.object({
  type: z.literal("travel"),
  /** The zone id to land in (ZONE_ID_PATTERN). */
  zone: z.string().regex(ZONE_ID_PATTERN),
  /** A fresh play ticket for `GET /play` (characters only), bound to the same login and to `zone`. */
  ticket: z.string().min(1).optional(),
  /** Why, for humans: "You step through the portal.". */
  reason: z.string().optional(),
});

/** WebSocket close code after a `travel` frame: the session goes on in another zone. */
export const TRAVELLED_CLOSE_CODE = 4003;

/**
 * WebSocket close code when the zone moves to another node of a self-hosted cluster
 * (docs/selfhost.md): the character was written back; reconnect with a new ticket in a moment.
 */
export const MOVING_CLOSE_CODE = 4012;

export const ServerMessage = z.discriminatedUnion("type", [
  WelcomeMessage,
  PongMessage,
  SaidMessage,
  WhoReplyMessage,
  JoinedMessage,
  LeftMessage,
  WeatherMessage,
  GameEventMessage,
  ErrorMessage,
  FieldMessage,
  SnapshotMessage,
  TravelMessage,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type SaidEvent = z.infer<typeof SaidMessage>;

/** Every schema by the name docs/protocol.md uses for it. */
export const DOCUMENTED_SCHEMAS = {
  client: {
    hello: HelloMessage,
    ping: PingMessage,
    say: SayMessage,
    who: WhoMessage,
    command: CommandMessage,
    input: InputMessage,
    cast: CastMessage,
    ack: AckMessage,
    resync: ResyncMessage,
  },
  server: {
    welcome: WelcomeMessage,
    pong: PongMessage,
    said: SaidMessage,
    who: WhoReplyMessage,
    joined: JoinedMessage,
    left: LeftMessage,
    weather: WeatherMessage,
    event: GameEventMessage,
    error: ErrorMessage,
    field: FieldMessage,
    snapshot: SnapshotMessage,
    travel: TravelMessage,
  },
} as const;
