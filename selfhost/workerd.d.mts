/** Types for workerd.mjs (plain JS so Node runs it without a build step). */
import type { ChildProcess } from "node:child_process";

export const ROOT: string;
export const DEFAULT_DIST_DIR: string;
export const DEFAULT_DATA_DIR: string;
export const DEFAULT_CONFIG_PATH: string;
export const WORKERD_BIN: string;
export function build(outDir?: string): string;
export function writeConfig(options?: {
  distDir?: string;
  dataDir?: string;
  configPath?: string;
  listen?: string;
  env?: Record<string, string | undefined>;
}): string;
export function startWorkerd(
  configPath: string,
  options?: { stdio?: "inherit" | "pipe"; verbose?: boolean; dieWithParent?: boolean; inspectorAddr?: string },
): ChildProcess;
export function listenFromEnv(env: Record<string, string | undefined>): string;
export function baseUrlFor(listen: string): string;
export function waitForHealthy(url: string, timeoutMs: number): Promise<void>;
