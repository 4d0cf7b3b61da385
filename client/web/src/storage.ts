/**
 * What the page keeps in localStorage: the tokens, so a reload keeps the login (and the device token
 * keeps the owner in), and the language the player chose to read the world in.
 */
import { isSupportedLanguage, type Language, preferredLanguage, type TokenStore, type Tokens } from "../../sdk";

const KEY = "leviathan.tokens";
const LANGUAGE_KEY = "leviathan.language";
/** This page's choice, kept also here for a browser that refuses storage. */
let chosen: Language | undefined;

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

/**
 * The language to play in: the one the player chose on this browser, else the first of the
 * browser's own languages the realm speaks, else English. A stored value the realm no longer
 * speaks is ignored rather than sent.
 */
export function loadLanguage(): Language {
  if (chosen) return chosen;
  try {
    const stored = localStorage.getItem(LANGUAGE_KEY);
    if (isSupportedLanguage(stored)) return stored;
  } catch {
    // Storage refused (private mode): fall through to the browser's preference.
  }
  return preferredLanguage(navigator.languages?.length ? navigator.languages : [navigator.language ?? ""]);
}

/** Remembers the player's language for the next visit (silently not, where storage is refused). */
export function saveLanguage(language: Language): void {
  chosen = language;
  try {
    localStorage.setItem(LANGUAGE_KEY, language);
  } catch {
    // Private mode or storage full: the choice lasts as long as the page.
  }
}
