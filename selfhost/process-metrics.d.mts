/** Types for process-metrics.mjs (plain JS so Node runs it without a build step). */
import type { Server } from "node:http";

export interface ProcessMetrics {
  residentBytes: number;
  openFds: number;
  /** Infinity when unlimited. */
  maxFds: number;
  cpuSeconds: number;
}

export function readProcessMetrics(pid: number): ProcessMetrics;
export function renderProcessMetrics(
  metrics: ProcessMetrics | undefined,
  labels: { node: string; process: string },
): string;
export function serveProcessMetrics(options: {
  host: string;
  port: number;
  pid: () => number | undefined;
  node: string;
  process?: string;
}): Promise<Server & { port: number }>;
