/** Tokens kept in localStorage, so a reload keeps the login (and the device token keeps the owner in). */
import type { TokenStore, Tokens } from "../../sdk";

const KEY = "leviathan.tokens";

export class LocalTokenStore implements TokenStore {
  load(): Tokens | undefined {
    try {
      const text = localStorage.getItem(KEY);
      return text ? (JSON.parse(text) as Tokens) : undefined;
    } catch {
      return undefined;
    }
  }

  save(tokens: Tokens | undefined): void {
    try {
      if (tokens) localStorage.setItem(KEY, JSON.stringify(tokens));
      else localStorage.removeItem(KEY);
    } catch {
      // Private mode or storage full: the login simply does not outlive the page.
    }
  }
}

/** The roles a signed-in access token carries (read, not verified: the realm checks them itself). */
export function rolesOf(accessToken: string | undefined): string[] {
  try {
    const part = accessToken?.split(".")[1];
    if (!part) return [];
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const roles = (JSON.parse(json) as { roles?: unknown }).roles;
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return [];
  }
}
