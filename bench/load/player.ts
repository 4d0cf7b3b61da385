/**
 * One virtual player of a load run (bench/load/README.md), on the client SDK as a real client is:
 * it registers, signs in, creates a character, gets a ticket, connects (RealmSession follows travel
 * frames and reconnects by itself), then plays its behaviour, one command every few seconds, timing
 * each command to its reply. At most one command waits for its reply at a time, as a person types.
 */
import { RealmApi, RealmApiError } from "../../client/sdk/api";
import { RealmSession } from "../../client/sdk/session";
import type { ServerMessage } from "../../shared/protocol/messages";
import type { Meter } from "./meter";
import type { Behaviour, Scenario } from "./scenario";

/** Letters no confusable-name rule maps onto each other: generated names never clash (docs/accounts.md). */
const SAFE_LETTERS = "abefghjkpqstxyz";
export function safeWord(n: number): string {
  let word = "";
  let rest = Math.max(0, Math.floor(n));
  do {
    word = SAFE_LETTERS[rest % SAFE_LETTERS.length] + word;
    rest = Math.floor(rest / SAFE_LETTERS.length);
  } while (rest > 0);
  return word;
}

const PASSWORD = "load-test-password";
/** A reply that has not come after this long counts as a `timeout` and the player goes on. */
const REPLY_TIMEOUT_MS = 10_000;

type RoomPayload = { id?: string; exits?: string[]; npcs?: string[] };
type Pending = { sentAt: number; matches: (frame: ServerMessage) => boolean };

export class VirtualPlayer {
  private session: RealmSession | undefined;
  private room: RoomPayload = {};
  private pending: Pending | undefined;
  private travelAt: number | undefined;
  private timers: ReturnType<typeof setInterval>[] = [];
  private online = false;
  private said = 0;
  private pendingWord = "";
  private leaving = false;

  constructor(
    readonly index: number,
    readonly behaviour: Behaviour,
    private readonly scenario: Scenario,
    private readonly target: string,
    private readonly runId: string,
    private readonly meter: Meter,
    private readonly random: () => number,
  ) {}

  /** The account flow and the first welcome; records the join time or the failure's code. */
  async join(): Promise<boolean> {
    const started = performance.now();
    this.meter.connectsAttempted++;
    try {
      const api = new RealmApi({ baseUrl: this.target, timeoutMs: 30_000 });
      const name = `Bot ${this.runId} ${safeWord(this.index)}`;
      const session = this.scenario.guests
        ? new RealmSession({ api, guest: { zone: this.guestZone(this.scenario.guests), name }, snapshots: "json" })
        : new RealmSession({ api, characterId: await this.character(api, name), snapshots: "json" });
      this.session = session;
      session.on("frame", (frame) => this.onFrame(frame));
      session.on("state", ({ state }) => this.onState(state));
      session.on("welcome", () => this.onWelcome());
      session.on("error", (frame) => this.meter.error(frame.code));
      session.on("latency", (ms) => this.meter.ping.push(ms));
      await session.connect();
      this.meter.join.push(performance.now() - started);
      this.meter.connectsSucceeded++;
      this.start();
      return true;
    } catch (error) {
      this.meter.error(
        error instanceof RealmApiError ? error.code : error instanceof Error ? "connect_failed" : "unknown",
      );
      this.session?.close();
      return false;
    }
  }

  /** The session ended by itself (the SDK gave up or was refused for good): the run replaces the player. */
  get gone(): boolean {
    return !this.leaving && this.session?.state === "closed";
  }

  /** A fresh account and its character (two password hashes on the server). */
  private async character(api: RealmApi, name: string): Promise<string> {
    const username = `${this.scenario.accountPrefix}${this.runId}_${safeWord(this.index)}`;
    await api.register(username, PASSWORD);
    await api.login(username, PASSWORD);
    return (await api.createCharacter(name, this.index % 2 ? "mage" : "warrior")).id;
  }

  /** The zone this guest plays in: players spread round-robin over the instances. */
  private guestZone(guests: NonNullable<Scenario["guests"]>): string {
    return guests.instances === 1 ? guests.zone : `${guests.zone}~${(this.index % guests.instances) + 1}`;
  }

  /** Closes the session for good. */
  leave(): void {
    this.leaving = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.session?.close();
    if (this.online) this.meter.online--;
    this.online = false;
  }

  private start(): void {
    const every = this.scenario.commandEverySeconds * 1000;
    // Each player starts at its own point of the interval, so commands spread over the second.
    const first = setTimeout(() => {
      this.act();
      this.timers.push(setInterval(() => this.act(), every));
    }, this.random() * every);
    this.timers.push(first as unknown as ReturnType<typeof setInterval>);
    if (this.behaviour === "reconnect") {
      const drop = this.scenario.reconnectEverySeconds * 1000;
      this.timers.push(setInterval(() => this.session?.dropForTest(), drop * (0.5 + this.random())));
    }
  }

  private onState(state: string): void {
    if (this.leaving) return;
    const online = state === "online";
    if (online !== this.online) this.meter.online += online ? 1 : -1;
    this.online = online;
    if (state === "closed") this.meter.error("session_closed");
  }

  private onWelcome(): void {
    if (this.travelAt !== undefined) this.meter.handoff.push(performance.now() - this.travelAt);
    this.travelAt = undefined;
    this.room = {}; // a new zone: its first `room` frame says where the player stands
    this.pending = undefined; // a command sent before a reconnect or a travel gets no reply
  }

  private onFrame(frame: ServerMessage): void {
    this.meter.received++;
    const now = performance.now();
    if (frame.type === "room") this.room = (frame as { payload?: RoomPayload }).payload ?? {};
    if (frame.type === "travel") this.travelAt = now;
    if (this.pending?.matches(frame)) {
      this.meter.reply(now - this.pending.sentAt);
      this.pending = undefined;
    }
  }

  private send(line: string, matches: Pending["matches"], say = false): void {
    const session = this.session;
    if (!session || !this.online) return;
    this.pendingWord = say ? "say" : (line.split(" ")[0] ?? "");
    this.pending = { sentAt: performance.now(), matches };
    this.meter.sent++;
    if (say) session.say(line);
    else session.command(line);
  }

  private act(): void {
    if (!this.online || this.behaviour === "idle") return;
    if (this.pending) {
      if (performance.now() - this.pending.sentAt < REPLY_TIMEOUT_MS) return;
      // Named by behaviour and command word, so a report says which kind of command went unanswered.
      this.meter.error(`timeout:${this.behaviour}:${this.pendingWord}`);
      this.pending = undefined;
    }
    const exits = (this.room.exits ?? []).filter((exit) => !this.scenario.avoidExits.includes(exit));
    // A step answers with the next room, or with why not (a locked way answers `info`).
    const isRoom = (frame: ServerMessage) => frame.type === "room" || frame.type === "info";
    switch (this.behaviour) {
      case "chat": {
        const token = `${this.runId}-${this.index}-${this.said++}`;
        this.send(`hello ${token}`, (frame) => String((frame as { text?: unknown }).text ?? "").includes(token), true);
        return;
      }
      case "fight": {
        const npc = this.room.npcs?.[0];
        if (npc) {
          this.send(`attack ${npc}`, (frame) => frame.type === "combat" || frame.type === "info");
          return;
        }
        break;
      }
      case "travel": {
        if (exits.includes("trail")) {
          this.send("go trail", (frame) => frame.type === "travel");
          return;
        }
        if (exits.includes("south")) {
          this.send("south", isRoom);
          return;
        }
        break;
      }
      default:
        break;
    }
    // wander, reconnect, and fight or travel with nothing to do here: a step through a random exit.
    const exit = exits[Math.floor(this.random() * exits.length)];
    this.send(exit ?? "look", isRoom);
  }
}
