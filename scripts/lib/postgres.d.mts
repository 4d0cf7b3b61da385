import type { ChildProcess } from "node:child_process";

export function findPostgresBin(): string | undefined;
export function freePort(): Promise<number>;
export function reachableDataDir(dataDir: string, log?: (line: string) => void): string;
export interface RunningPostgres {
  url: string;
  port: number;
  /** Where the data really is (see reachableDataDir). */
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}
export function startPostgres(options: {
  dataDir: string;
  port?: number;
  database?: string;
  durable?: boolean;
  log?: (line: string) => void;
}): Promise<RunningPostgres>;
