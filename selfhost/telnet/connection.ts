/**
 * One telnet player: banner, login or register, a character to play, then every line typed goes to
 * the realm as a `command` (or `say`) through the client SDK, and every frame comes back as text
 * and, for MUD clients that asked, GMCP. Nothing here may throw out to the server: a failure ends
 * this connection only.
 */
import type { Socket } from "node:net";
import {
  type CharacterSummary,
  RealmApi,
  RealmApiError,
  RealmSession,
  SessionClosedError,
} from "../../client/sdk/index";
import { classIds } from "../../shared/rules/classes";
import { describeFrame, GmcpTracker } from "./present";
import {
  GA,
  gmcpFrame,
  IAC,
  Negotiator,
  OPT_ECHO,
  OPT_GMCP,
  OPT_NAWS,
  parseGmcp,
  parseNaws,
  TelnetParser,
} from "./protocol";
import { LineSplitter, MAX_LINE_BYTES, render, type StyledLine } from "./text";

export interface ConnectionOptions {
  /** The realm's gateway, e.g. http://127.0.0.1:8787. */
  realmUrl: string;
  /** Close a connection that has typed nothing for this long before it plays (ms). */
  idleMs: number;
  /** Sent as `x-leviathan-proxy-secret` so a realm in CLIENT_ADDRESS=proxy mode counts each player apart. */
  proxySecret?: string;
  log?: (line: string) => void;
}

type Phase = "menu" | "username" | "password" | "character" | "connecting" | "playing" | "closed";

/** Width used until the client reports its own (NAWS), and for clients that report 0. */
const DEFAULT_WIDTH = 80;
/** A client that reads nothing while the realm keeps talking is cut off rather than buffered forever. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Lines typed while an earlier one still waits for the realm (a login, entering the world). */
const MAX_QUEUED_LINES = 32;

export class TelnetConnection {
  private readonly parser = new TelnetParser();
  private readonly lines = new LineSplitter();
  private readonly negotiator = new Negotiator(
    (option) => option === OPT_GMCP,
    (option) => option === OPT_NAWS,
  );
  private readonly gmcp = new GmcpTracker();
  private readonly api: RealmApi;
  private phase: Phase = "menu";
  private mode: "login" | "register" = "login";
  private username = "";
  private characters: CharacterSummary[] = [];
  private session: RealmSession | undefined;
  private sessionId: string | undefined;
  private inField = false;
  private sessionState = "closed";
  private width = DEFAULT_WIDTH;
  private colourOn = true;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Lines are handled one at a time: a login waits for the realm before the next line is read. */
  private work: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    const peer = socket.remoteAddress ?? "";
    this.api = new RealmApi({
      baseUrl: options.realmUrl,
      headers: {
        ...(peer ? { "x-forwarded-for": peer.replace(/^::ffff:/, "") } : {}),
        ...(options.proxySecret ? { "x-leviathan-proxy-secret": options.proxySecret } : {}),
      },
    });
    socket.on("data", (chunk: Buffer) => this.guard(() => this.onData(chunk)));
    socket.on("error", () => this.close());
    socket.on("close", () => this.close());
    this.start();
  }

  private start() {
    this.negotiate([...this.negotiator.setLocal(OPT_GMCP, true), ...this.negotiator.setRemote(OPT_NAWS, true)]);
    this.print([
      { text: "Leviathan", style: "title" },
      { text: "A realm of text rooms. Colour is on: type `colour off` to turn it off.", style: "plain" },
    ]);
    this.menu();
  }

  private menu() {
    this.phase = "menu";
    this.prompt("Type `login` or `register` (or `quit`): ");
    this.touch();
  }

  /** Runs a handler; whatever it throws ends this connection, never the process. */
  private guard(run: () => void | Promise<void>) {
    try {
      const result = run();
      if (result instanceof Promise) result.catch((error) => this.fail(error));
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown) {
    this.options.log?.(`telnet: connection failed: ${error instanceof Error ? error.message : String(error)}`);
    this.close();
  }

  private onData(chunk: Buffer) {
    for (const event of this.parser.feed(chunk)) {
      if (event.kind === "negotiate") this.onNegotiate(event.command, event.option);
      else if (event.kind === "subnegotiation") this.onSubnegotiation(event.option, event.data);
      else if (event.kind === "data") {
        for (const line of this.lines.feed(event.bytes)) {
          if (line.kind === "overflow") {
            this.print([
              { text: `That line was longer than ${MAX_LINE_BYTES} bytes and was ignored.`, style: "error" },
            ]);
          } else if (line.text.toLowerCase() === "quit" && this.phase !== "password") {
            // At once, even while a login or a connection is still being waited for.
            this.quit();
          } else if (this.queued >= MAX_QUEUED_LINES) {
            this.print([{ text: "Still busy with your last line; this one was dropped.", style: "error" }]);
          } else {
            const text = line.text;
            this.queued += 1;
            this.work = this.work
              .then(() => this.onLine(text))
              .catch((error) => this.fail(error))
              .finally(() => {
                this.queued -= 1;
              });
          }
        }
      }
    }
  }

  private onNegotiate(command: number, option: number) {
    this.negotiate(this.negotiator.receive(command, option));
  }

  private onSubnegotiation(option: number, data: Buffer) {
    if (option === OPT_NAWS) {
      const size = parseNaws(data);
      if (size) this.width = size.width > 0 ? size.width : DEFAULT_WIDTH;
    } else if (option === OPT_GMCP) {
      const message = parseGmcp(data);
      // Core.Hello and Core.Supports.Set need no answer; a ping does.
      if (message.name === "Core.Hello") this.options.log?.(`telnet: GMCP client ${JSON.stringify(message.data)}`);
      if (message.name === "Core.Ping") this.write(gmcpFrame("Core.Ping"));
    }
  }

  private async onLine(line: string) {
    if (this.phase === "closed") return;
    this.touch();
    if (this.phase === "password") return this.onPassword(line);
    const lower = line.toLowerCase();
    if (/^colou?r (on|off)$/.test(lower)) {
      this.colourOn = lower.endsWith("on");
      return this.print([{ text: `Colour ${this.colourOn ? "on" : "off"}.`, style: "system" }]);
    }
    switch (this.phase) {
      case "menu":
        if (lower !== "login" && lower !== "register") return this.menu();
        this.mode = lower;
        this.phase = "username";
        return this.prompt("Username: ");
      case "username":
        if (!line) return this.prompt("Username: ");
        this.username = line;
        this.phase = "password";
        // The client stops echoing while we say we echo (and we echo nothing).
        this.negotiate(this.negotiator.setLocal(OPT_ECHO, true));
        return this.prompt("Password: ");
      case "character":
        return this.onCharacterChoice(line);
      case "playing":
        return this.onPlay(line);
      default:
        return;
    }
  }

  private async onPassword(password: string) {
    this.negotiate(this.negotiator.setLocal(OPT_ECHO, false));
    this.write("\r\n");
    this.phase = "connecting";
    try {
      if (this.mode === "register") {
        await this.api.register(this.username, password);
        this.print([{ text: `Account ${this.username} created.`, style: "good" }]);
      }
      await this.api.login(this.username, password);
      await this.listCharacters();
    } catch (error) {
      this.print([{ text: refusal(error), style: "error" }]);
      this.menu();
    }
  }

  private async listCharacters() {
    this.characters = await this.api.characters();
    const lines: StyledLine[] = this.characters.map((c, index) => ({
      text: `${index + 1}) ${c.name}, level ${c.level} ${c.class} (${c.zoneId})`,
      style: "plain",
    }));
    if (!lines.length) lines.push({ text: "No characters yet.", style: "plain" });
    lines.push({
      text: `Type a number to play, or \`new <name> <class>\` (classes: ${classIds().join(", ")}).`,
      style: "system",
    });
    this.print(lines);
    this.phase = "character";
    this.prompt("> ");
  }

  private async onCharacterChoice(line: string) {
    const created = line.match(/^new\s+(.+)\s+(\S+)$/i);
    let chosen: CharacterSummary | undefined;
    try {
      if (created) {
        chosen = await this.api.createCharacter((created[1] as string).trim(), (created[2] as string).toLowerCase());
        this.print([{ text: `${chosen.name} is born.`, style: "good" }]);
      } else {
        chosen = this.characters[Number(line) - 1];
        if (!/^\d+$/.test(line) || !chosen) {
          this.print([{ text: "Type a number from the list, or `new <name> <class>`.", style: "error" }]);
          return this.prompt("> ");
        }
      }
    } catch (error) {
      this.print([{ text: refusal(error), style: "error" }]);
      return this.prompt("> ");
    }
    await this.play(chosen.id);
  }

  private async play(characterId: string) {
    this.phase = "connecting";
    this.clearIdle();
    const session = new RealmSession({ api: this.api, characterId });
    this.session = session;
    session.on("frame", (frame) => this.guard(() => this.onFrame(frame)));
    session.on("state", ({ state, detail }) => this.guard(() => this.onState(state, detail)));
    try {
      const welcome = await session.connect();
      this.sessionId = welcome.sessionId;
      this.phase = "playing";
      this.print([{ text: `Welcome, ${welcome.name}. Type \`help\` for commands, \`quit\` to leave.`, style: "good" }]);
    } catch (error) {
      this.session = undefined;
      this.print([{ text: `Could not enter the realm: ${refusal(error)}`, style: "error" }]);
      await this.listCharacters();
    }
  }

  private onFrame(frame: Parameters<typeof describeFrame>[0]) {
    if (this.phase === "closed") return;
    if (frame.type === "welcome") {
      this.sessionId = frame.sessionId;
      this.inField = false;
    }
    if (frame.type === "field" && !this.inField) {
      this.inField = true;
      this.print([
        { text: "This zone is drawn in real time and needs the web client.", style: "system" },
        { text: "Type `back` to walk west, the way back out of the Test Area; `quit` leaves.", style: "system" },
      ]);
    }
    this.print(describeFrame(frame, this.sessionId));
    if (this.negotiator.localEnabled(OPT_GMCP)) {
      for (const message of this.gmcp.onFrame(frame)) this.write(gmcpFrame(message.name, message.data));
    }
  }

  private onState(state: string, detail?: string) {
    const previous = this.sessionState;
    this.sessionState = state;
    if (state === "reconnecting") {
      this.print([{ text: `Connection lost (${detail ?? "?"}); reconnecting…`, style: "system" }]);
    } else if (state === "online" && previous === "reconnecting") {
      // Travel also passes through "online"; only a recovery from a drop is news.
      this.print([{ text: "Reconnected.", style: "good" }]);
    } else if (state === "closed" && this.phase === "playing") {
      this.print([{ text: `The realm closed this session: ${detail ?? "closed"}.`, style: "error" }]);
      this.close();
    }
  }

  private onPlay(line: string) {
    const session = this.session;
    if (!session || !line) return;
    if (line.startsWith("'")) {
      if (line.slice(1).trim()) session.say(line.slice(1).trim());
      return;
    }
    if (/^say\s/i.test(line)) return session.say(line.slice(4).trim());
    if (this.inField && session.field) {
      if (line.toLowerCase() === "back") {
        // Field zones take held movement, not commands: hold "west" until the zone hands us on.
        session.field.setMove(-1, 0, performance.now());
        return this.print([{ text: "You walk west…", style: "system" }]);
      }
    }
    session.command(line);
  }

  private quit() {
    this.print([{ text: "Goodbye.", style: "system" }]);
    this.close();
  }

  /** Ends this connection: the realm session (the character goes linkdead), timers, the socket. */
  close() {
    if (this.phase === "closed") return;
    this.phase = "closed";
    this.clearIdle();
    this.session?.close();
    this.session = undefined;
    if (!this.socket.destroyed) this.socket.end();
    // A client that never reads its last bytes must not hold the socket open.
    setTimeout(() => this.socket.destroy(), 2_000).unref();
  }

  private touch() {
    this.clearIdle();
    if (this.phase === "playing" || this.phase === "closed") return;
    this.idleTimer = setTimeout(() => {
      this.print([{ text: "Timed out.", style: "error" }]);
      this.close();
    }, this.options.idleMs);
  }

  private clearIdle() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private print(lines: StyledLine[]) {
    if (lines.length) this.write(render(lines, this.width, this.colourOn));
  }

  /** A prompt: no line end, then Go Ahead so MUD clients show it as a prompt at once. */
  private prompt(text: string) {
    this.write(text);
    this.write(Buffer.from([IAC, GA]));
  }

  private negotiate(replies: Buffer[]) {
    for (const reply of replies) this.write(reply);
  }

  private write(data: string | Buffer) {
    if (this.socket.destroyed || !this.socket.writable) return;
    if (this.socket.writableLength > MAX_BUFFERED_BYTES) {
      this.socket.destroy();
      return;
    }
    // Text never holds byte 255 (UTF-8 does not use it), so only the negotiation bytes carry IAC.
    this.socket.write(typeof data === "string" ? Buffer.from(data, "utf8") : data);
  }
}

function refusal(error: unknown): string {
  if (error instanceof RealmApiError) {
    const wait = error.retryAfter ? ` Try again in ${error.retryAfter} s.` : "";
    return `${error.message}.${wait}`.replace(/\.\./, ".");
  }
  if (error instanceof SessionClosedError) return `${error.message}.`;
  // Anything else is the network (fetch failed, a timeout): the realm itself said nothing.
  return `The realm could not be reached (${error instanceof Error ? error.message : String(error)}).`;
}
