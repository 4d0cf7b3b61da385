/**
 * A TCP relay on 127.0.0.1 in front of the realm, so a test can cut every connection through it
 * at once, as a dropped Wi-Fi or a NAT timeout would, while the realm itself keeps running.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export class Relay {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(targetPort: number, targetHost = "127.0.0.1"): Promise<Relay> {
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const upstream = connect(targetPort, targetHost);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("relay did not get a port");
    return new Relay(server, address.port, sockets);
  }

  /** Cuts every open connection (both directions, no goodbye); new ones are still accepted. */
  cutAll(): number {
    const count = this.sockets.size;
    for (const s of this.sockets) s.destroy();
    return count;
  }

  close(): Promise<void> {
    this.cutAll();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
