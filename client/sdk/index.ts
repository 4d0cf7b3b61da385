/**
 * The Leviathan client SDK: one implementation for the web client, Node bots, benchmarks and
 * tests. `RealmApi` speaks the HTTP routes, `RealmSession` keeps a game socket alive across
 * travel and drops, `FieldWorld` holds a field zone's view with interpolation and prediction.
 */
export {
  type ApiOptions,
  type CharacterSummary,
  MemoryTokenStore,
  RealmApi,
  RealmApiError,
  type TokenStore,
  type Tokens,
} from "./api";
export { backoffDelay } from "./backoff";
export { Emitter } from "./emitter";
export { type DrawnEntity, type FieldEventSeen, FieldWorld, type FieldWorldOptions } from "./field";
export {
  checkLanguageTag,
  InvalidLanguageError,
  isSupportedLanguage,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Language,
  type LanguageTag,
  preferredLanguage,
  SOURCE_LANGUAGE,
} from "./language";
export {
  CLOSE,
  type ConnectionState,
  parseFrame,
  RealmSession,
  SessionClosedError,
  type SessionOptions,
  type Welcome,
} from "./session";
