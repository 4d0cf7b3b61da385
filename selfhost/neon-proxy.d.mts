/** Types for neon-proxy.mjs (plain JS so Node runs it without a build step). */

export interface Target {
  host: string;
  port: number;
}

export interface NeonProxy {
  /** The port the proxy listens on (the OS's pick when started with port 0). */
  port: number;
  /** `ws://host:port/v1`. */
  url: string;
  /** `host:port/v1`: the value for NEON_WS_PROXY / DatabaseSettings.neonProxy. */
  neonProxy: string;
  /** Sessions (WebSocket + TCP pairs) currently open. */
  readonly active: number;
  /** Stops listening and cuts every open session. */
  close(): Promise<void>;
}

export interface NeonProxyOptions {
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Listen port; default 0 (the OS picks). */
  port?: number;
  /** Which targets may be reached (host lower-cased); default loopback only. */
  allow?: (host: string, port: number) => boolean | Promise<boolean>;
  /** Refusals and upstream failures, one line each. */
  log?: (line: string) => void;
}

export function startNeonProxy(options?: NeonProxyOptions): Promise<NeonProxy>;
export function allowLoopback(host: string): boolean;
export function parseAddress(text: string | null | undefined): Target;
export function parseArgs(argv: string[]): { listen: Target; allow: Target[]; help: boolean };
