/** Version of the client↔server wire protocol; a client states it in `hello` and a mismatch is refused. */
export const PROTOCOL_VERSION = 1;

/** Largest frame a zone reads; bigger frames are answered with `too_large` and dropped unread. */
export const MAX_FRAME_BYTES = 64 * 1024;
