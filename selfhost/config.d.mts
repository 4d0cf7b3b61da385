/** Types for config.mjs (plain JS so Node runs it without a build step). */
export const WRANGLER_TOML: string;

export interface WranglerSettings {
  compatibilityDate: string;
  compatibilityFlags: string[];
  vars: Record<string, string>;
}
export function readWranglerSettings(text: string): WranglerSettings;
export function resolveVars(
  tomlVars: Record<string, string>,
  env: Record<string, string | undefined>,
): Record<string, string>;
export function checkListen(listen: string): string;
export const SECRET_NAMES: string[];
export const SELFHOST_DEFAULTS: Record<string, string>;
export function describeClientAddress(vars: Record<string, string>): string;

export interface WorkerdConfigOptions {
  distDir: string;
  dataDir: string;
  listen?: string;
  vars?: Record<string, string>;
  configDir?: string;
  /** The web client's build, served read-only as the ASSETS binding; none when unset. */
  assetsDir?: string;
  compatibilityDate?: string;
  compatibilityFlags?: string[];
}
export function generateWorkerdConfig(options: WorkerdConfigOptions): string;
