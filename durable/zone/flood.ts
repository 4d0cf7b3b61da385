/**
 * A zone's per-socket flood control: the token bucket every frame takes from, the decision to close
 * a socket that keeps flooding, and refusals logged by summary rather than one line per frame.
 * The rules are in shared/net/flood.ts; this keeps their state per socket (in memory: a socket that
 * outlives an eviction simply starts afresh).
 */
import type { LogFields, Logger } from "../../shared/log";
import {
  FLOOD_CLOSE,
  FLOOD_CLOSE_CODE,
  FLOOD_CLOSE_REASON,
  type FloodState,
  flushRefusals,
  freshFloodState,
  freshRefusalLog,
  noteFloodRefusal,
  type RefusalLogLine,
  type RefusalLogState,
  recordRefusal,
} from "../../shared/net/flood";
import { type BucketConfig, fullBucket, type TokenBucket, takeToken } from "../../shared/net/token-bucket";
import type { ProtocolError } from "../../shared/protocol/errors";
import type { ZonePort } from "./sessions";

/**
 * What to do with a frame: read it; refuse it (`rate_limited`); refuse it and close the socket;
 * or drop it unanswered, because the socket was already closed for flooding.
 */
export type FrameAdmission = "ok" | "refused" | "close" | "dropped";

interface Guard {
  bucket: TokenBucket | undefined;
  flood: FloodState;
  log: RefusalLogState;
  closed: boolean;
}

export class SocketGuards {
  private readonly guards = new Map<ZonePort, Guard>();

  constructor(private readonly log: Logger) {}

  /** Takes a token for one frame from the socket's bucket (`limit`), and judges the socket if none is left. */
  admit(port: ZonePort, limit: BucketConfig, now: number): FrameAdmission {
    const guard = this.guard(port);
    if (guard.closed) return "dropped";
    const taken = takeToken(guard.bucket ?? fullBucket(limit, now), limit, now);
    guard.bucket = taken.bucket;
    if (taken.allowed) return "ok";
    const judged = noteFloodRefusal(guard.flood, FLOOD_CLOSE, now);
    guard.flood = judged.state;
    if (!judged.close) return "refused";
    guard.closed = true;
    return "close";
  }

  /** Closes a socket that kept flooding past its refusals (docs/protocol.md, Flood control). */
  closeFlooder(port: ZonePort, fields: LogFields): void {
    this.log.log("warn", "connect.flooded", fields);
    port.close(FLOOD_CLOSE_CODE, FLOOD_CLOSE_REASON);
  }

  /** Logs a refusal sent on `port`: the socket's first one in full, later ones as periodic summaries. */
  logRefusal(port: ZonePort, fields: LogFields, error: ProtocolError, now: number): void {
    const guard = this.guard(port);
    const recorded = recordRefusal(guard.log, error.code, now);
    guard.log = recorded.state;
    if (recorded.line?.kind === "first") {
      this.log.log("info", "command.error", { ...fields, code: error.code, field: error.field });
    } else this.logSummary(fields, recorded.line);
  }

  /** The socket is gone: logs what was not yet logged of its refusals, and forgets it. */
  forget(port: ZonePort, fields: LogFields, now: number): void {
    const guard = this.guards.get(port);
    this.guards.delete(port);
    if (guard) this.logSummary(fields, flushRefusals(guard.log, now).line);
  }

  private logSummary(fields: LogFields, line: RefusalLogLine): void {
    if (line?.kind !== "summary") return;
    this.log.log("info", "command.errors", {
      ...fields,
      refused: line.total,
      seconds: Math.round(line.sinceMs / 1000),
      ...line.counts,
    });
  }

  private guard(port: ZonePort): Guard {
    let guard = this.guards.get(port);
    if (!guard) {
      guard = { bucket: undefined, flood: freshFloodState(), log: freshRefusalLog(), closed: false };
      this.guards.set(port, guard);
    }
    return guard;
  }
}
