import { describe, expect, it } from "vitest";
import {
  ClusterRouter,
  decodeCall,
  encodeCall,
  ObjectUnavailableError,
  routedNamespace,
  unavailableResponse,
} from "./router";

describe("calls between nodes", () => {
  it("carry undefined arguments and fields through JSON, and everything else as JSON does", () => {
    const call = {
      method: "claimCharacter",
      args: ["c1", undefined, { zone: "start", party: undefined }, [1, undefined]],
    };
    const back = decodeCall(encodeCall(call)) as typeof call;
    expect(back.args).toHaveLength(4);
    expect(back.args[1]).toBeUndefined();
    expect(back.args[2]).toEqual({ zone: "start" });
    expect(Object.hasOwn(back.args[2] as object, "party")).toBe(false);
    expect((back.args[3] as unknown[])[1]).toBeUndefined();
    expect(decodeCall(encodeCall({ value: undefined }))).toEqual({});
  });

  it("answer an upgrade for an object that is moving with 503 zone_unavailable and Retry-After", async () => {
    const response = unavailableResponse(
      new ObjectUnavailableError({ realm: "r", namespace: "ZONES", name: "r:zone:start" }, "moving"),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("2");
    expect(await response.json()).toMatchObject({ error: "zone_unavailable" });
  });

  it("hand out stubs that are never thenables, so awaiting one calls nothing", async () => {
    const router = new ClusterRouter({
      nodeId: "a",
      realm: "r",
      secrets: ["x".repeat(32)],
      database: { url: "postgres://nowhere/db", driver: "pg", connectTimeoutMs: 1 },
    });
    const local = {
      getByName: () => ({}),
      idFromName: () => ({ toString: () => "0".repeat(64) }),
    } as unknown as DurableObjectNamespace;
    const stub = routedNamespace(router, "ZONES", local).getByName("r:zone:start");
    expect((stub as unknown as { then?: unknown }).then).toBeUndefined();
    expect(await Promise.resolve(stub)).toBe(stub);
  });
});
