/**
 * Guest names at `hello`, in the runtime through the real gateway: normalized, refused when
 * invisible or mixed-script, and refused when someone in the zone shows the same name or a
 * look-alike (docs/protocol.md, `hello`; docs/accounts.md#names).
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

type Frame = { type: string; [key: string]: unknown };

/** A guest socket on `zoneId`; `hello` sends one and resolves the welcome or error it gets. */
async function guest(zoneId: string) {
  const response = await exports.default.fetch(`http://realm.test/ws?zone=${zoneId}`, {
    headers: { Upgrade: "websocket" },
  });
  expect(response.status).toBe(101);
  const ws = response.webSocket as WebSocket;
  ws.accept();
  // Answers to hello (welcome or error) in arrival order, and whoever waits for the next one.
  const answers: Frame[] = [];
  let waiting: ((frame: Frame) => void) | undefined;
  ws.addEventListener("message", (event) => {
    const frame = JSON.parse(event.data as string) as Frame;
    if (frame.type !== "welcome" && frame.type !== "error") return;
    if (waiting) waiting(frame);
    else answers.push(frame);
  });
  const hello = (name: string) =>
    new Promise<Frame>((resolve) => {
      const queued = answers.shift();
      if (queued) return resolve(queued);
      waiting = (frame) => {
        waiting = undefined;
        resolve(frame);
      };
      ws.send(JSON.stringify({ type: "hello", protocol: 1, name }));
    });
  return { ws, hello };
}

// A zone's first start can take seconds on a busy machine; the checks themselves are immediate.
describe("guest names at hello", { timeout: 30_000 }, () => {
  it("refuses a look-alike of a name already shown in the zone, and lets the guest choose again", async () => {
    const merlin = await guest("names-lookalike");
    expect(await merlin.hello("Merlin")).toMatchObject({ type: "welcome", name: "Merlin" });
    const twin = await guest("names-lookalike");
    for (const lookalike of ["MERL1N", "merlin", "MerIin", "Ｍｅｒｌｉｎ"]) {
      expect(await twin.hello(lookalike), lookalike).toMatchObject({ type: "error", code: "invalid", field: "name" });
    }
    expect(await twin.hello("Morgana")).toMatchObject({ type: "welcome", name: "Morgana" });
    for (const socket of [merlin, twin]) socket.ws.close(1000, "bye");
  });

  it("refuses invisible and mixed-script names with a typed error on name", async () => {
    const client = await guest("names-invisible");
    for (const name of ["\u3164\u3164\u3164", "Mer\u200Dlin", "\u202Enilrem", "M\u0435rlin"]) {
      expect(await client.hello(name), name).toMatchObject({ type: "error", code: "invalid", field: "name" });
    }
    client.ws.close(1000, "bye");
  });

  it("welcomes a guest under the normalized name", async () => {
    const client = await guest("names-normalized");
    expect(await client.hello(" Ｓｉｒ  Ｋａｙ ")).toMatchObject({ type: "welcome", name: "Sir Kay" });
    client.ws.close(1000, "bye");
  });
});
