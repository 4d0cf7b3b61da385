/**
 * Structured logs: one JSON object per line on stdout, which wrangler, workerd and Cloudflare's
 * log pipeline all keep as is.
 */
import type { LogLevel } from "./config";

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}

export function createLogger(threshold: LogLevel, base: LogFields = {}): Logger {
  return {
    log(level, event, fields = {}) {
      if (RANK[level] < RANK[threshold]) return;
      const line = JSON.stringify({ ts: new Date().toISOString(), level, event, ...base, ...fields });
      if (level === "error") console.error(line);
      else console.log(line);
    },
  };
}
