export function stableJson(value: unknown): string;
export function writePackDir(dir: string, files: { path: string; data: unknown }[]): string[];
export function readPackDir(dir: string): { path: string; data: unknown }[];
export function apiSettings(options: { url?: string; token?: string }): { url: string; token: string };
export function parseOptions(argv: string[], names: string[]): Record<string, string>;
export function describeFailure(status: number, body: unknown): string;
