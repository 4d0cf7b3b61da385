/** Worker entry: the Hono gateway plus the Durable Object classes the runtime must find here. */
import { createApp } from "./app";

export { DirectoryDurableObject } from "../../durable/directory/directory";
export { RateLimiterDurableObject } from "../../durable/limiter/limiter";
export { ZoneDurableObject } from "../../durable/zone/zone";

export default createApp();
