/**
 * The telnet listener: one TelnetConnection per TCP connection, each on its own, so a client that
 * sends garbage, stalls or breaks takes only itself down.
 */
import { createServer, type Server } from "node:net";
import { type ConnectionOptions, TelnetConnection } from "./connection";

export interface TelnetServerOptions extends Partial<ConnectionOptions> {
  realmUrl: string;
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
}

export interface TelnetServer {
  server: Server;
  host: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_TELNET_HOST = "127.0.0.1";
export const DEFAULT_TELNET_PORT = 4000;
/** Two minutes to log in: long enough to type a password twice, short enough not to hoard sockets. */
export const DEFAULT_IDLE_MS = 120_000;

export function startTelnetServer(options: TelnetServerOptions): Promise<TelnetServer> {
  const host = options.host ?? DEFAULT_TELNET_HOST;
  const connections = new Set<TelnetConnection>();
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    try {
      const connection = new TelnetConnection(socket, {
        realmUrl: options.realmUrl,
        idleMs: options.idleMs ?? DEFAULT_IDLE_MS,
        proxySecret: options.proxySecret,
        log: options.log,
      });
      connections.add(connection);
      socket.once("close", () => connections.delete(connection));
    } catch (error) {
      options.log?.(`telnet: could not set up a connection: ${(error as Error).message}`);
      socket.destroy();
    }
  });
  // A failed accept is that client's problem, not the listener's.
  server.on("error", (error) => options.log?.(`telnet: ${error.message}`));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_TELNET_PORT, host, () => {
      server.off("error", reject);
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : (options.port ?? DEFAULT_TELNET_PORT);
      resolve({
        server,
        host,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const connection of connections) connection.close();
            server.close(() => done());
          }),
      });
    });
  });
}
