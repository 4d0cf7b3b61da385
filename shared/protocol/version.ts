/**
 * The newest version of the client↔server wire protocol. A client states its version in `hello`;
 * the zone speaks any of SUPPORTED_PROTOCOLS and refuses others. Version 2 adds binary snapshots
 * (docs/protocol.md, "Binary snapshots"); everything else is the same JSON in both.
 */
export const PROTOCOL_VERSION = 2;
/** Versions a zone still speaks: 1 gets JSON snapshots only. */
export const SUPPORTED_PROTOCOLS: readonly number[] = [1, 2];

/** How a session gets its field snapshots: protocol 2 defaults to binary, `json` is for debugging. */
export const SNAPSHOT_ENCODINGS = ["binary", "json"] as const;
export type SnapshotEncoding = (typeof SNAPSHOT_ENCODINGS)[number];

/** The encoding a hello asks for: binary from protocol 2 on unless it says `json`. */
export const snapshotEncodingFor = (protocol: number, asked?: SnapshotEncoding): SnapshotEncoding =>
  protocol >= 2 && asked !== "json" ? "binary" : "json";

/** Largest frame a zone reads; bigger frames are answered with `too_large` and dropped unread. */
export const MAX_FRAME_BYTES = 64 * 1024;
