/** Builds the web client into client/web/dist; resolves with that folder's path. */
export function buildWeb(): Promise<string>;
