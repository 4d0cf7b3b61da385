export function startPglite(options: { dataDir: string; log?: (line: string) => void }): Promise<{
  url: string;
  stop(): Promise<void>;
}>;
