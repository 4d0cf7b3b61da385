/**
 * The echo floor (bench/README.md, "bench:realm"): the least a workerd node can do per player — a
 * Durable Object per room that accepts WebSockets through the hibernation API and sends each frame
 * straight back. Measured beside the realm on the same machine, in the same run, it shows what the
 * runtime costs before any game logic.
 */
export class EchoRoom {
  /** @param {DurableObjectState} ctx */
  constructor(ctx) {
    this.ctx = ctx;
  }

  /** @param {Request} request */
  async fetch(request) {
    if (request.headers.get("Upgrade") !== "websocket") return new Response("websocket only", { status: 426 });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  /** @param {WebSocket} socket @param {string | ArrayBuffer} message */
  webSocketMessage(socket, message) {
    socket.send(message);
  }

  /** @param {WebSocket} socket @param {number} code */
  webSocketClose(socket, code) {
    socket.close(code === 1005 ? 1000 : code, "bye");
  }
}

export default {
  /** @param {Request} request @param {{ ROOMS: DurableObjectNamespace }} env */
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/healthz") return new Response("ok");
    const room = url.searchParams.get("room") ?? "0";
    return env.ROOMS.get(env.ROOMS.idFromName(room)).fetch(request);
  },
};
