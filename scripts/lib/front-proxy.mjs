/**
 * The front door of `npm start`. wrangler dev lets a client set CF-Connecting-IP itself (it only
 * fills the header in when the client left it out), so a local realm cannot tell a client's
 * address from a forged one. This small reverse proxy owns the public port, drops every
 * address header the client sent, appends the real peer to X-Forwarded-For, and proves itself to
 * the gateway with a per-run secret (CLIENT_ADDRESS=proxy, PROXY_SECRET). HTTP and WebSocket
 * upgrades both pass through.
 */
import { createServer, request as httpRequest } from "node:http";
import { connect } from "node:net";

/** Headers a client must never choose: the gateway trusts them only from this proxy. */
const CLIENT_ADDRESS_HEADERS = ["x-forwarded-for", "cf-connecting-ip", "x-real-ip", "forwarded"];
export const PROXY_SECRET_HEADER = "x-leviathan-proxy-secret";

/**
 * @param {import("node:http").IncomingHttpHeaders} incoming
 * @param {string | undefined} peer
 * @param {string} secret
 */
export function forwardedHeaders(incoming, peer, secret) {
  const headers = { ...incoming };
  for (const name of [...CLIENT_ADDRESS_HEADERS, PROXY_SECRET_HEADER]) delete headers[name];
  // Miniflare reads its own control headers (MF-*) from requests; none may come from a client.
  for (const name of Object.keys(headers)) if (name.startsWith("mf-")) delete headers[name];
  if (peer) headers["x-forwarded-for"] = peer.replace(/^::ffff:/, "");
  headers[PROXY_SECRET_HEADER] = secret;
  return headers;
}

/**
 * Listens on host:port and forwards to the realm on 127.0.0.1:targetPort.
 * @param {{ host: string, port: number, targetPort: number, secret: string }} options
 * @returns {Promise<import("node:http").Server>}
 */
export function startFrontProxy({ host, port, targetPort, secret }) {
  const server = createServer((req, res) => {
    const upstream = httpRequest(
      {
        host: "127.0.0.1",
        port: targetPort,
        method: req.method,
        path: req.url,
        headers: forwardedHeaders(req.headers, req.socket.remoteAddress, secret),
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "upstream_unavailable", message: "the realm is starting or stopped" }));
    });
    req.pipe(upstream);
  });
  server.on("upgrade", (req, socket, head) => {
    const upstream = connect(targetPort, "127.0.0.1", () => {
      const headers = forwardedHeaders(req.headers, req.socket.remoteAddress, secret);
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (const [name, value] of Object.entries(headers)) {
        for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) lines.push(`${name}: ${v}`);
      }
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on("error", close);
    socket.on("error", close);
    upstream.on("close", close);
    socket.on("close", close);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
