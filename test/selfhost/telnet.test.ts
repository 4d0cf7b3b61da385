/**
 * The telnet listener (selfhost/telnet) in front of a realm under plain workerd: Debian's own
 * `telnet` client registers, logs in, creates a character, looks, walks and talks; a raw socket
 * negotiates GMCP and NAWS like Mudlet does and reads the GMCP packages and the wrapped text.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { parseGmcp, TelnetParser } from "../../selfhost/telnet/protocol";
import { startTelnetServer, type TelnetServer } from "../../selfhost/telnet/server";
import { stripAnsi } from "../../selfhost/telnet/text";
import { TEST_JWT_SECRET } from "../support/harness";
import { type SelfhostRealm, startSelfhostRealm } from "../support/workerd";

const TELNET = "/usr/bin/telnet";
const IAC = 255;
const [DO, WILL, WONT, SB, SE] = [253, 251, 252, 250, 240];
const [ECHO, NAWS, GMCP] = [1, 31, 201];

let realm: SelfhostRealm;
let telnet: TelnetServer;
const serverLog: string[] = [];

beforeAll(async () => {
  realm = await startSelfhostRealm("telnet", {
    DATABASE_URL: inject("databaseUrl"),
    JWT_SECRET: TEST_JWT_SECRET,
    // Every telnet player reaches the gateway from 127.0.0.1 here.
    AUTH_RATE_PER_IP: "1000",
    TICKET_RATE_PER_ACCOUNT: "1000",
  });
  telnet = await startTelnetServer({ realmUrl: realm.baseUrl, port: 0, log: (line) => serverLog.push(line) });
});
afterAll(async () => {
  await telnet?.close();
  await realm?.workerd.kill("SIGKILL");
  realm?.cleanup();
});
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    console.error(`--- telnet listener log ---\n${serverLog.join("\n")}`);
    console.error(`--- workerd output ---\n${realm?.workerd.output ?? "(not started)"}`);
  });
});

/** Letters only: character names allow digits, but a name like this reads as one. */
const unique = (prefix: string) =>
  prefix + Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");

/** Text that arrives in pieces, and bounded waits for what should come next. */
class Transcript {
  text = "";
  private cursor = 0;
  private waiters: (() => void)[] = [];

  push(text: string) {
    this.text += text;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Waits for `pattern` after everything matched before; returns the match. */
  async expect(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.text.slice(this.cursor);
      const match = pattern.exec(rest);
      if (match) {
        this.cursor += match.index + match[0].length;
        return match;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${pattern}; got:\n${rest.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** Debian's telnet client with piped stdin and stdout; it exits when its stdin closes. */
function telnetClient(): { child: ChildProcessWithoutNullStreams; out: Transcript; send: (line: string) => void } {
  const child = spawn(TELNET, ["127.0.0.1", String(telnet.port)], { stdio: "pipe" });
  const out = new Transcript();
  child.stdout.on("data", (chunk: Buffer) => out.push(stripAnsi(chunk.toString("utf8"))));
  child.stderr.on("data", (chunk: Buffer) => out.push(chunk.toString("utf8")));
  return { child, out, send: (line) => child.stdin.write(`${line}\n`) };
}

async function ended(child: ChildProcessWithoutNullStreams) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

describe("telnet listener with Debian's telnet client", () => {
  it("has the telnet client to drive (.ci/run installs Debian's telnet; apt-get install -y telnet)", () => {
    expect(existsSync(TELNET), `${TELNET} is missing`).toBe(true);
  });

  it("registers, logs in, creates a character, looks, walks and talks", async () => {
    const username = unique("tn");
    const password = "correct horse battery";
    const first = telnetClient();
    await first.out.expect(/Type `login` or `register`/);
    first.send("register");
    await first.out.expect(/Username: /);
    first.send(username);
    await first.out.expect(/Password: /);
    first.send(password);
    await first.out.expect(new RegExp(`Account ${username} created`));
    await first.out.expect(/No characters yet/);
    first.send("quit");
    await first.out.expect(/Goodbye/);
    await ended(first.child);

    const second = telnetClient();
    try {
      await second.out.expect(/Type `login` or `register`/);
      second.send("login");
      await second.out.expect(/Username: /);
      second.send(username);
      await second.out.expect(/Password: /);
      second.send(password);
      await second.out.expect(/new <name> <class>.*classes: .*warrior/);
      const name = unique("Tel");
      second.send(`new ${name} warrior`);
      await second.out.expect(new RegExp(`${name} is born`, "i"));
      await second.out.expect(/Welcome, /);
      await second.out.expect(/Lanternmere Square[\s\S]*Exits: north, east, west, south, down\./);
      second.send("look");
      await second.out.expect(/Lanternmere Square\r?\nCobbles worn/);
      second.send("east");
      await second.out.expect(/The Sleeping Lantern[\s\S]*Exits: west, up\./);
      second.send("say hello");
      await second.out.expect(/You say: hello/);
      second.send("'and goodbye");
      await second.out.expect(/You say: and goodbye/);
      second.send("quit");
      await second.out.expect(/Goodbye/);
    } finally {
      second.child.stdin.end();
      await ended(second.child);
    }
  });
});

/** A raw socket that speaks telnet the way a MUD client does, and keeps text and GMCP apart. */
class RawClient {
  readonly out = new Transcript();
  readonly gmcp: { name: string; data: unknown }[] = [];
  readonly negotiations: [number, number][] = [];
  private readonly parser = new TelnetParser();
  private gmcpWaiters: (() => void)[] = [];

  constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      for (const event of this.parser.feed(chunk)) {
        if (event.kind === "data") this.out.push(event.bytes.toString("utf8"));
        else if (event.kind === "negotiate") this.negotiations.push([event.command, event.option]);
        else if (event.kind === "subnegotiation" && event.option === GMCP) {
          this.gmcp.push(parseGmcp(event.data));
          for (const wake of this.gmcpWaiters.splice(0)) wake();
        }
      }
    });
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => resolve(new RawClient(socket)));
      socket.once("error", reject);
    });
  }

  send(bytes: number[] | string) {
    this.socket.write(typeof bytes === "string" ? `${bytes}\r\n` : Buffer.from(bytes));
  }

  /** The first GMCP message named `name` at or after index `from`. */
  async gmcpMessage(name: string, from = 0, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.gmcp.slice(from).find((m) => m.name === name);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no GMCP ${name}; got ${JSON.stringify(this.gmcp.map((m) => m.name))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.gmcpWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

describe("telnet listener with a GMCP and NAWS client", () => {
  it("sends Char.Vitals and Room.Info, hides the password, and wraps text at the NAWS width", async () => {
    const client = await RawClient.open(telnet.port);
    try {
      await client.out.expect(/Type `login` or `register`/);
      expect(client.negotiations).toContainEqual([WILL, GMCP]);
      expect(client.negotiations).toContainEqual([DO, NAWS]);
      // Mudlet's answers: DO GMCP and a Core.Hello, WILL NAWS and a 40 × 24 window.
      client.send([IAC, DO, GMCP]);
      client.send([IAC, SB, GMCP, ...Buffer.from('Core.Hello {"client":"test","version":"1"}'), IAC, SE]);
      client.send([IAC, WILL, NAWS, IAC, SB, NAWS, 0, 40, 0, 24, IAC, SE]);
      client.send("register");
      await client.out.expect(/Username: /);
      client.send(unique("gm"));
      await client.out.expect(/Password: /);
      expect(client.negotiations).toContainEqual([WILL, ECHO]);
      client.send([IAC, DO, ECHO]);
      client.send("correct horse battery");
      await client.out.expect(/created/);
      expect(client.negotiations).toContainEqual([WONT, ECHO]);
      await client.out.expect(/new <name>/);
      client.send("colour off");
      await client.out.expect(/Colour off\./);
      const name = unique("Gm");
      client.send(`new ${name} mage`);

      const vitals = (await client.gmcpMessage("Char.Vitals")).data as Record<string, number>;
      const room = (await client.gmcpMessage("Room.Info")).data as Record<string, unknown>;
      expect(room).toMatchObject({
        num: "start:village-square",
        id: "village-square",
        name: "Lanternmere Square",
        area: "start",
        exits: ["north", "east", "west", "south", "down"],
      });
      await client.out.expect(/Welcome, /);

      // The realm's own sheet must agree with the vitals sent at welcome.
      client.send("stats");
      const sheet = await client.out.expect(/HP (\d+)\/(\d+)\s+MP (\d+)\/(\d+)/);
      expect(vitals).toEqual({
        hp: Number(sheet[1]),
        maxhp: Number(sheet[2]),
        mp: Number(sheet[3]),
        maxmp: Number(sheet[4]),
      });

      client.send("look");
      await client.out.expect(/Lanternmere Square\r\n[\s\S]*?\r\nExits: /);
      // Everything since the window size was known (the banner went out before, at 80 columns).
      const lines = client.out.text.slice(client.out.text.indexOf("Colour off.")).split("\r\n");
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(40);
      // The room's description came in rows that join back into the original sentence.
      const start = JSON.parse(readFileSync("shared/content/arcane-realms/zones/start.json", "utf8")) as {
        rooms: { id: string; description: string }[] | Record<string, { id: string; description: string }>;
      };
      const square = Object.values(start.rooms).find((r) => r.id === "village-square");
      const at = lines.lastIndexOf("Lanternmere Square");
      const rows = lines.slice(
        at + 1,
        lines.findIndex((l, i) => i > at && l.startsWith("Exits:")),
      );
      expect(rows.length).toBeGreaterThan(5);
      expect(rows.join(" ")).toBe(square?.description);
      // Colour is off: no escape codes at all since the toggle.
      expect(client.out.text.slice(client.out.text.indexOf("Colour off."))).not.toContain("\x1b[");
    } finally {
      client.socket.destroy();
    }
  });

  it("explains a field zone and walks back out of it with `back`", async () => {
    const client = await RawClient.open(telnet.port);
    try {
      await client.out.expect(/Type `login` or `register`/);
      client.send("register");
      await client.out.expect(/Username: /);
      client.send(unique("fz"));
      await client.out.expect(/Password: /);
      client.send("correct horse battery");
      await client.out.expect(/new <name>/);
      client.send(`new ${unique("Fz")} warrior`);
      await client.out.expect(/Welcome, /);
      client.send("north");
      await client.out.expect(/Foot of the Lantern Tower/);
      client.send("portal");
      await client.out.expect(/needs the web client/);
      client.send("back");
      await client.out.expect(/You walk west/);
      // The Test Area's exit is 120 units west of its portal: under a second at its walking speed.
      await client.out.expect(/Foot of the Lantern Tower/, 20_000);
      client.send("look");
      await client.out.expect(/Foot of the Lantern Tower/);
    } finally {
      client.socket.destroy();
    }
  });

  it("closes a connection that stays idle before logging in", async () => {
    const impatient = await startTelnetServer({ realmUrl: realm.baseUrl, port: 0, idleMs: 300 });
    const client = await RawClient.open(impatient.port);
    try {
      const closed = new Promise<void>((resolve) => client.socket.once("close", () => resolve()));
      await client.out.expect(/Timed out\./, 5_000);
      await Promise.race([
        closed,
        new Promise((_, reject) => setTimeout(() => reject(new Error("still open")), 5_000)),
      ]);
    } finally {
      client.socket.destroy();
      await impatient.close();
    }
  });

  it("survives garbage, an over-long line and a client that vanishes, and keeps serving others", async () => {
    const rude = await RawClient.open(telnet.port);
    await rude.out.expect(/Type `login`/);
    rude.send([IAC, SB, GMCP, 1, 2, 3, IAC, 7, IAC, SE, 0, IAC, IAC, 13, 10, 0xc3, 0x28, 13, 10, IAC, 99, IAC, DO, 99]);
    rude.socket.write(Buffer.alloc(10_000, 0x61));
    rude.send("");
    await rude.out.expect(/longer than 2048 bytes/);
    rude.socket.destroy();

    const polite = await RawClient.open(telnet.port);
    try {
      await polite.out.expect(/Type `login` or `register`/);
      polite.send("nonsense");
      await polite.out.expect(/Type `login` or `register`/);
    } finally {
      polite.socket.destroy();
    }
  });
});
