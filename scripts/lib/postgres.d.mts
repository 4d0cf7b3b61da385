import type { ChildProcess } from "node:child_process";

export function findPostgresBin(): string | undefined;
export function freePort(): Promise<number>;
export interface RunningPostgres {
  url: string;
  port: number;
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
