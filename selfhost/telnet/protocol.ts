/**
 * The telnet layer, pure (no sockets): a byte-at-a-time IAC parser that separates the player's
 * text from negotiation (RFC 854/855), option negotiation that answers DO/DONT/WILL/WONT without
 * ever looping (the "Q method" of RFC 1143, without its queue), NAWS (RFC 1073) and GMCP framing
 * (option 201: `IAC SB 201 <Package.Name> <json> IAC SE`).
 */

export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const GA = 249;
export const NOP = 241;
export const SE = 240;

export const OPT_ECHO = 1;
export const OPT_SGA = 3;
export const OPT_NAWS = 31;
export const OPT_GMCP = 201;

/** Subnegotiation payloads longer than this are cut (a GMCP `Core.Supports.Set` is a few hundred bytes). */
export const MAX_SUBNEGOTIATION = 8 * 1024;

export type TelnetEvent =
  | { kind: "data"; bytes: Buffer }
  | { kind: "negotiate"; command: number; option: number }
  | { kind: "subnegotiation"; option: number; data: Buffer }
  | { kind: "command"; command: number };

enum State {
  Data,
  Iac,
  Option,
  SbOption,
  Sb,
  SbIac,
}

/**
 * Feeds raw socket bytes in, gets events out, in order. Keeps its state between chunks, so a
 * sequence split across TCP segments (`IAC` at the end of one, `WILL 31` in the next) still parses.
 */
export class TelnetParser {
  private state = State.Data;
  private command = 0;
  private sbOption = 0;
  private sb: number[] = [];

  feed(chunk: Uint8Array): TelnetEvent[] {
    const events: TelnetEvent[] = [];
    let data: number[] = [];
    const flush = () => {
      if (data.length) events.push({ kind: "data", bytes: Buffer.from(data) });
      data = [];
    };
    for (const byte of chunk) {
      switch (this.state) {
        case State.Data:
          if (byte === IAC) this.state = State.Iac;
          else data.push(byte);
          break;
        case State.Iac:
          if (byte === IAC) {
            // IAC IAC is a literal 255 in the data.
            data.push(IAC);
            this.state = State.Data;
          } else if (byte === DO || byte === DONT || byte === WILL || byte === WONT) {
            this.command = byte;
            this.state = State.Option;
          } else if (byte === SB) {
            this.state = State.SbOption;
          } else {
            // NOP, GA, AYT, a stray SE…: nothing the text stream should see.
            flush();
            events.push({ kind: "command", command: byte });
            this.state = State.Data;
          }
          break;
        case State.Option:
          flush();
          events.push({ kind: "negotiate", command: this.command, option: byte });
          this.state = State.Data;
          break;
        case State.SbOption:
          this.sbOption = byte;
          this.sb = [];
          this.state = State.Sb;
          break;
        case State.Sb:
          if (byte === IAC) this.state = State.SbIac;
          else if (this.sb.length < MAX_SUBNEGOTIATION) this.sb.push(byte);
          break;
        case State.SbIac:
          if (byte === SE) {
            flush();
            events.push({ kind: "subnegotiation", option: this.sbOption, data: Buffer.from(this.sb) });
            this.sb = [];
            this.state = State.Data;
          } else {
            // IAC IAC inside SB is a literal 255; anything else is a broken client: keep the byte, stay in SB.
            if (this.sb.length < MAX_SUBNEGOTIATION) this.sb.push(byte);
            this.state = State.Sb;
          }
          break;
      }
    }
    flush();
    return events;
  }
}

/** Bytes for `IAC <command> <option>`. */
export const negotiation = (command: number, option: number) => Buffer.from([IAC, command, option]);

/** `IAC SB <option> <data, IAC doubled> IAC SE`. */
export function subnegotiation(option: number, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([IAC, SB, option]), escapeIac(data), Buffer.from([IAC, SE])]);
}

/** Doubles every 255 so the peer reads it as data, not as a command. */
export function escapeIac(data: Uint8Array): Buffer {
  const buffer = Buffer.from(data);
  if (!buffer.includes(IAC)) return buffer;
  const out: number[] = [];
  for (const byte of buffer) {
    out.push(byte);
    if (byte === IAC) out.push(IAC);
  }
  return Buffer.from(out);
}

/** A GMCP message as bytes: `IAC SB 201 Package.Name <json> IAC SE` (the JSON omitted when undefined). */
export function gmcpFrame(name: string, data?: unknown): Buffer {
  const text = data === undefined ? name : `${name} ${JSON.stringify(data)}`;
  return subnegotiation(OPT_GMCP, Buffer.from(text, "utf8"));
}

/** Reads a GMCP subnegotiation: the package name and its JSON (undefined when absent or not JSON). */
export function parseGmcp(data: Buffer): { name: string; data: unknown } {
  const text = data.toString("utf8");
  const space = text.indexOf(" ");
  if (space < 0) return { name: text.trim(), data: undefined };
  try {
    return { name: text.slice(0, space), data: JSON.parse(text.slice(space + 1)) };
  } catch {
    return { name: text.slice(0, space), data: undefined };
  }
}

/** NAWS: `<width16> <height16>`, big-endian (the parser has already undone IAC doubling). */
export function parseNaws(data: Buffer): { width: number; height: number } | undefined {
  if (data.length !== 4) return undefined;
  return { width: data.readUInt16BE(0), height: data.readUInt16BE(2) };
}

interface OptionState {
  enabled: boolean;
  /** We asked (WILL/WONT or DO/DONT) and wait for the answer, which must not be answered again. */
  pending: boolean;
}

/**
 * Which options are on, on our side (`us`: we WILL) and on the client's (`him`: it WILL). An
 * answer is only sent when a state changes, and never to the reply to our own request: two peers
 * following this cannot loop (RFC 1143). Options we do not support are refused once per request.
 */
export class Negotiator {
  private readonly us = new Map<number, OptionState>();
  private readonly him = new Map<number, OptionState>();

  constructor(
    /** Options we agree to perform when asked (`DO x` gets `WILL x`). */
    private readonly localAllowed: (option: number) => boolean,
    /** Options we want the client to perform (`WILL x` gets `DO x`). */
    private readonly remoteAllowed: (option: number) => boolean,
  ) {}

  localEnabled(option: number): boolean {
    return this.us.get(option)?.enabled ?? false;
  }

  remoteEnabled(option: number): boolean {
    return this.him.get(option)?.enabled ?? false;
  }

  /** We offer (WILL) or withdraw (WONT) an option; empty when that is already the state. */
  setLocal(option: number, enable: boolean): Buffer[] {
    return this.request(this.us, option, enable, enable ? WILL : WONT);
  }

  /** We ask the client to start (DO) or stop (DONT) an option. */
  setRemote(option: number, enable: boolean): Buffer[] {
    return this.request(this.him, option, enable, enable ? DO : DONT);
  }

  /** The bytes to answer a received `IAC <command> <option>` with (often none). */
  receive(command: number, option: number): Buffer[] {
    switch (command) {
      case DO:
        return this.answer(this.us, option, true, this.localAllowed(option), WILL, WONT);
      case DONT:
        return this.answer(this.us, option, false, true, WILL, WONT);
      case WILL:
        return this.answer(this.him, option, true, this.remoteAllowed(option), DO, DONT);
      case WONT:
        return this.answer(this.him, option, false, true, DO, DONT);
      default:
        return [];
    }
  }

  private request(table: Map<number, OptionState>, option: number, enable: boolean, command: number): Buffer[] {
    const state = table.get(option) ?? { enabled: false, pending: false };
    if (state.enabled === enable && !state.pending) return [];
    table.set(option, { enabled: enable, pending: true });
    return [negotiation(command, option)];
  }

  private answer(
    table: Map<number, OptionState>,
    option: number,
    wantsOn: boolean,
    allowed: boolean,
    yes: number,
    no: number,
  ): Buffer[] {
    const state = table.get(option) ?? { enabled: false, pending: false };
    if (state.pending) {
      // The reply to our own request: settle the state, answer nothing.
      // A peer answering "on" to our "off" is in error (RFC 1143): the option stays off, unanswered.
      table.set(option, { enabled: wantsOn && state.enabled, pending: false });
      return [];
    }
    if (!wantsOn) {
      if (!state.enabled) return [];
      table.set(option, { enabled: false, pending: false });
      return [negotiation(no, option)];
    }
    if (state.enabled) return [];
    if (!allowed) return [negotiation(no, option)];
    table.set(option, { enabled: true, pending: false });
    return [negotiation(yes, option)];
  }
}
