/**
 * A realm of three workerd nodes on one machine (docs/selfhost.md, "Nodes and placement"): Postgres
 * holds who owns each zone; every node's gateway routes a player's socket and every call between
 * objects to the owner, signed with the nodes' secret (rotated: the nodes sign with a new secret and
 * still accept the old one the admin CLI uses). A node killed with SIGKILL loses its objects to the
 * others once its lease runs out; they resume there from its files, and its players come back with
 * what they carried and what they dropped. A planned move hands the players back first.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { build } from "../../selfhost/workerd.mjs";
import { NODE_SIGNATURE_HEADER, signNodeRequest } from "../../shared/cluster/signature";
import { MOVING_CLOSE_CODE } from "../../shared/protocol/messages";
import { Api } from "../support/api";
import { admin, ClusterNode } from "../support/cluster";
import { TEST_JWT_SECRET } from "../support/harness";
import { type Room, travel } from "../support/heroes";
import { type Frame, TestClient } from "../support/ws-client";

const OLD_SECRET = "old-node-secret-0123456789abcdefghijkl";
const NEW_SECRET = "new-node-secret-0123456789abcdefghijkl";
const realm = `cluster${Math.random().toString(36).slice(2, 8)}`;
const root = mkdtempSync(join(tmpdir(), "leviathan-cluster-"));
const nodes = new Map<string, ClusterNode>();
let operator: Record<string, string>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const node = (id: string) => nodes.get(id) as ClusterNode;

type Placement = { object: string; node: string; epoch: number; state: string };
const placements = () => admin(operator, "placements") as Placement[];
const ownerOf = (object: string) => placements().find((p) => p.object === object);

beforeAll(async () => {
  const databaseUrl = inject("databaseUrl");
  const dist = build(join(root, "dist"));
  operator = { DATABASE_URL: databaseUrl, NODE_SECRET: OLD_SECRET, REALM: realm };
  for (const id of ["a", "b", "c"]) {
    nodes.set(
      id,
      await ClusterNode.start(id, {
        REALM: realm,
        DATABASE_URL: databaseUrl,
        JWT_SECRET: TEST_JWT_SECRET,
        NODE_SECRET: NEW_SECRET,
        NODE_SECRET_PREVIOUS: OLD_SECRET,
        LEVIATHAN_DATA_ROOT: join(root, "nodes"),
        LEVIATHAN_DIST_DIR: dist,
        AUTH_RATE_PER_IP: "1000",
        TICKET_RATE_PER_ACCOUNT: "1000",
        LOG_LEVEL: "warn",
      }),
    );
  }
}, 180_000);

afterAll(async () => {
  for (const each of nodes.values()) await each.kill();
  rmSync(root, { recursive: true, force: true });
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    for (const each of nodes.values()) console.error(each.output.slice(-8000));
  });
});

/** Sends a MUD line and waits for the event of `type` whose text or payload matches. */
async function say(client: TestClient, line: string, type: string, pattern: RegExp): Promise<Frame> {
  client.send({ type: "command", line });
  return client.next(
    (f) => f.type === type && (pattern.test(String(f.text)) || pattern.test(JSON.stringify(f.payload ?? {}))),
    8000,
  );
}

/**
 * Plays the character through a fresh ticket from `api`'s node, retrying while its zone (or the
 * directory) is unavailable: 503 while a move or a failover is under way.
 */
async function enter(api: Api, hero: { id: string; accessToken: string }, withinMs: number) {
  const deadline = Date.now() + withinMs;
  let last = "";
  while (Date.now() < deadline) {
    const ticket = await api.call<{ url: string }>("POST", "/play/ticket", { characterId: hero.id }, hero.accessToken);
    if (ticket.status === 200) {
      try {
        const client = await TestClient.connect(ticket.body.url);
        await client.hello("x");
        return { client, room: (await client.nextOfType("room")) as Room };
      } catch (error) {
        last = String(error);
      }
    } else last = `${ticket.status} ${JSON.stringify(ticket.body)}`;
    await sleep(500);
  }
  throw new Error(`the character could not come back within ${withinMs} ms: ${last}`);
}

async function newHero(api: Api, prefix: string) {
  const player = await api.newPlayer(prefix);
  const tail = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
  const created = await api.call<{ id: string }>(
    "POST",
    "/characters",
    { name: `${prefix}${tail}`, class: "warrior" },
    player.accessToken,
  );
  expect(created.status).toBe(201);
  return { id: created.body.id, accessToken: player.accessToken };
}

describe("a realm of three nodes", () => {
  let keeper: { id: string; accessToken: string };
  let keeperClient: TestClient;
  let walker: { id: string; accessToken: string };
  let walkerClient: TestClient;

  it("places zones, the directory and the limiter on all nodes and routes players to their zone's node", async () => {
    // The operator spreads them; anything not launched is placed on first use, on the least loaded node.
    admin(operator, "launch", "directory", "--node", "c");
    admin(operator, "launch", "start", "--node", "c");
    admin(operator, "launch", "whispering-woods", "--node", "b");
    admin(operator, "launch", "limiter", "--node", "a");

    // Through node a's gateway into Lanternmere on node c: the socket is forwarded between nodes.
    const viaA = new Api(node("a").baseUrl);
    keeper = await newHero(viaA, "Keeper");
    ({ client: keeperClient } = await enter(viaA, keeper, 10_000));
    await say(keeperClient, "east", "room", /inn/i);
    await say(keeperClient, "get draught", "item", /You pick up a moonpetal draught/);
    await say(keeperClient, "up", "room", /loft/i);
    await say(keeperClient, "get jerkin", "item", /quilted jerkin/);
    // Acknowledged: the draught lies on the loft's floor (zone state, only in node c's files).
    await say(keeperClient, "drop draught", "item", /You drop a moonpetal draught/);

    // Through node b into Lanternmere on c, then down the trail into the woods on b.
    const viaB = new Api(node("b").baseUrl);
    walker = await newHero(viaB, "Walker");
    const entered = await enter(viaB, walker, 10_000);
    await say(entered.client, "south", "room", /gate/i);
    const moved = await travel(entered.client, "trail", node("b").wsUrl);
    walkerClient = moved.client;
    expect(moved.room.payload.id).toBe("woods-edge");

    // Each node renders the zones it owns, so Prometheus' sums over nodes count each zone once.
    const zonesOn = async (id: string) => {
      const text = await (await fetch(`${node(id).baseUrl}/metrics`)).text();
      return [...text.matchAll(/^leviathan_zone_players\{realm="[^"]+",zone="([^"]+)"\}/gm)].map((m) => m[1]).sort();
    };
    for (let i = 0; i < 50 && !(await zonesOn("b")).includes("whispering-woods"); i++) await sleep(200);
    expect(await zonesOn("b")).toEqual(["whispering-woods"]);
    expect(await zonesOn("c")).toEqual(["start"]);
    expect(await zonesOn("a")).toEqual([]);

    const owners = new Set(placements().map((p) => p.node));
    expect([...owners].sort()).toEqual(["a", "b", "c"]);
    expect(ownerOf("start")?.node).toBe("c");
    expect(ownerOf("whispering-woods")?.node).toBe("b");
  }, 60_000);

  it("refuses calls between nodes that are not signed with the nodes' secret", async () => {
    const body = JSON.stringify({ ns: "DIRECTORY", name: `${realm}:directory`, method: "zones", args: [] });
    const post = (signature?: string) =>
      fetch(`${node("c").baseUrl}/_node/rpc`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(signature ? { [NODE_SIGNATURE_HEADER]: signature } : {}) },
        body,
      });
    const sign = (secret: string, at = Date.now(), target = "c") =>
      signNodeRequest(secret, { node: target, method: "POST", path: "/_node/rpc", body, bound: "" }, at);

    const unsigned = await post();
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: "node_signature" });
    expect((await post(await sign("some-other-secret-0123456789abcdefgh"))).status).toBe(401);
    expect((await post(await sign(NEW_SECRET, Date.now() - 120_000))).status).toBe(401);
    // A call signed for node b is no good at node c.
    expect((await post(await sign(NEW_SECRET, Date.now(), "b"))).status).toBe(401);
    // Only the relocation endpoints move objects: /rpc refuses to name those steps.
    const moveBody = JSON.stringify({ ns: "ZONES", name: `${realm}:zone:start`, method: "prepareToMove", args: [] });
    const move = await fetch(`${node("c").baseUrl}/_node/rpc`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [NODE_SIGNATURE_HEADER]: await signNodeRequest(
          NEW_SECRET,
          { node: "c", method: "POST", path: "/_node/rpc", body: moveBody, bound: "" },
          Date.now(),
        ),
      },
      body: moveBody,
    });
    expect(move.status).toBe(400);
    const genuine = await sign(NEW_SECRET);
    const answer = await post(genuine);
    expect(answer.status).toBe(200);
    expect(JSON.stringify(await answer.json())).toContain('"zoneId":"start"');
    // The same signed call again is a replay.
    expect((await post(genuine)).status).toBe(401);
    // The previous secret still works while the rotation runs.
    expect((await post(await sign(OLD_SECRET))).status).toBe(200);
  });

  it("resumes a killed node's zones on the others, and its players come back with what they had", async () => {
    const dropped = keeperClient.closed;
    await node("c").kill();
    expect((await dropped).code).not.toBe(1000);

    // Node a's gateway: tickets fail or wait while the directory and Lanternmere have no owner,
    // then land in the loft again once a live node has copied them in (lease 10 s, then a sweep).
    const viaA = new Api(node("a").baseUrl);
    const back = await enter(viaA, keeper, 60_000);
    keeperClient = back.client;
    expect(back.room.payload.id).toBe("inn-loft");
    await say(keeperClient, "inventory", "inventory", /quilted jerkin/);
    await say(keeperClient, "look", "room", /moonpetal draught/);

    const start = ownerOf("start");
    expect(["a", "b"]).toContain(start?.node);
    expect(start?.epoch).toBe(2);
    expect(["a", "b"]).toContain(ownerOf("directory")?.node);
    const listed = admin(operator, "nodes") as { node: string; state: string }[];
    expect(listed.find((n) => n.node === "c")?.state).toBe("dead");
    const metrics = await (await fetch(`${node("a").baseUrl}/metrics`)).text();
    expect(metrics).toContain(`leviathan_cluster_node_up{realm="${realm}",member="c"} 0`);
    expect(metrics).toContain(`leviathan_cluster_node_up{realm="${realm}",member="a"} 1`);
    expect(metrics).toContain(`leviathan_cluster_objects_unsettled{realm="${realm}"} 0`);

    // The walker's zone lives on b and never stopped.
    await say(walkerClient, "look", "room", /woods/i);

    // Node c comes back: the alarms its old copies had armed are removed before workerd starts,
    // so nothing it held wakes there again, and it owns nothing until given something.
    await node("c").restart();
    const pruned = /(\d+) stale alarms of moved objects removed/.exec(
      node("c").output.split("started (pid").at(-1) ?? "",
    );
    expect(Number(pruned?.[1])).toBeGreaterThanOrEqual(1);
    expect(placements().filter((p) => p.node === "c")).toEqual([]);
  }, 120_000);

  it("moves a zone with the admin CLI, back onto the node that held it: players are handed back and find it there", async () => {
    const from = ownerOf("start")?.node as string;
    const closed = keeperClient.closed;
    // As if an earlier `migrate` had been interrupted after marking the move: running it again finishes it.
    const db = new pg.Client({ connectionString: inject("databaseUrl") });
    await db.connect();
    await db.query("UPDATE object_placements SET moving = true WHERE realm = $1 AND name = $2", [
      realm,
      `${realm}:zone:start`,
    ]);
    await db.end();
    const moved = admin(operator, "migrate", "start", "--to", "c") as { players: number; from: string; to: string };
    expect(moved).toMatchObject({ from, to: "c", players: 1 });
    expect((await closed).code).toBe(MOVING_CLOSE_CODE);
    expect(ownerOf("start")).toMatchObject({ node: "c", epoch: 3, state: "active" });

    // c's own older copy of Lanternmere was replaced by the copy from the node that ran it since.
    const back = await enter(new Api(node("a").baseUrl), keeper, 20_000);
    keeperClient = back.client;
    expect(back.room.payload.id).toBe("inn-loft");
    await say(keeperClient, "inventory", "inventory", /quilted jerkin/);
    await say(keeperClient, "look", "room", /moonpetal draught/);
  }, 60_000);

  it("drains a node with the admin CLI, then forgets it once it is gone", async () => {
    const closed = keeperClient.closed;
    const drained = admin(operator, "drain", "c") as { object: string; to: string }[];
    expect(drained.map((m) => m.object)).toContain("start");
    expect((await closed).code).toBe(MOVING_CLOSE_CODE);
    expect(placements().filter((p) => p.node === "c")).toEqual([]);
    const back = await enter(new Api(node("b").baseUrl), keeper, 20_000);
    await say(back.client, "look", "room", /moonpetal draught/);
    await back.client.close();
    await walkerClient.close();

    // A live node cannot be forgotten; a dead one that owns nothing can.
    expect(() => admin(operator, "forget", "c")).toThrow(/node "c" is live/);
    await node("c").kill();
    const deadline = Date.now() + 20_000;
    while (
      (admin(operator, "nodes") as { node: string; state: string }[]).find((n) => n.node === "c")?.state !== "dead"
    ) {
      if (Date.now() > deadline) throw new Error("node c's lease did not run out within 20 s");
      await sleep(500);
    }
    expect(admin(operator, "forget", "c")).toEqual({ node: "c", forgotten: true });
    expect((admin(operator, "nodes") as { node: string }[]).map((n) => n.node)).toEqual(["a", "b"]);
  }, 60_000);

  it("stops a node at once when its lease is gone, and the last node takes everything over", async () => {
    // As if b's lease had run out while b was cut off from Postgres: its next renewal finds nothing.
    const db = new pg.Client({ connectionString: inject("databaseUrl") });
    await db.connect();
    await db.query("DELETE FROM realm_nodes WHERE realm = $1 AND node_id = 'b'", [realm]);
    await db.end();
    await node("b").exited(10_000);
    expect(node("b").output).toMatch(/node b stops: its lease had run out before it could be renewed/);

    const deadline = Date.now() + 30_000;
    while (placements().some((p) => p.node !== "a" || p.state !== "active")) {
      if (Date.now() > deadline) throw new Error(`not all on a: ${JSON.stringify(placements())}`);
      await sleep(500);
    }
    const back = await enter(new Api(node("a").baseUrl), keeper, 20_000);
    expect(back.room.payload.id).toBe("inn-loft");
    await say(back.client, "look", "room", /moonpetal draught/);
    await say(back.client, "inventory", "inventory", /quilted jerkin/);
    await back.client.close();
  }, 60_000);
});
