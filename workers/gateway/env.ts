import type { DirectoryDurableObject } from "../../durable/directory/directory";
import type { ZoneDurableObject } from "../../durable/zone/zone";

/** Bindings and vars the Worker and its Durable Objects receive (see wrangler.toml). */
export interface Env {
  ZONES: DurableObjectNamespace<ZoneDurableObject>;
  DIRECTORY: DurableObjectNamespace<DirectoryDurableObject>;
  REALM?: string;
  TICK_RATE_HZ?: string;
  MAX_CONNECTIONS?: string;
  LOG_LEVEL?: string;
}
