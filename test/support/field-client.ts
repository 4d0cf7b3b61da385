/**
 * A field-zone player for end-to-end tests: a real WebSocket client whose view is held by the
 * client SDK's FieldWorld (the delta codec, an ack every few snapshots, a resync when a base is
 * lost: client/sdk/field.ts), plus a record of what came over the wire for the tests to check.
 */

import { FieldWorld } from "../../client/sdk/field";
import type { EntityView, View } from "../../shared/field/delta";
import type { ClientMessage } from "../../shared/protocol/messages";
import { type Frame, TestClient } from "./ws-client";

type FieldFrame = Parameters<FieldWorld["onField"]>[0];
type WireSnapshot = Parameters<FieldWorld["onSnapshot"]>[0];

export interface SnapshotSeen extends WireSnapshot {
  tick: number;
  ack: number;
  ev?: { type: string; [key: string]: unknown }[];
}

export class FieldPlayer {
  /** The SDK's view of the zone: mirror, acks and resyncs. */
  readonly world: FieldWorld;
  /** Every snapshot frame as it arrived, applied or not. */
  readonly snapshots: SnapshotSeen[] = [];
  /**
   * Every field event with its snapshot's tick, from every snapshot frame as it arrived (the
   * tests check what was sent, including frames the view could not apply).
   */
  readonly events: { type: string; tick: number; [key: string]: unknown }[] = [];
  /** Every entity id this client was ever told about. */
  readonly seen = new Set<string>();
  field!: Frame & { you: string };
  /** The zone's `welcome` (its `zone` names the field, or the instance of it, the client is in). */
  welcome!: Frame;

  private constructor(readonly client: TestClient) {
    // Tests step deliberately and read back the seq each move sent: no waiting for an input slot.
    this.world = new FieldWorld((message: ClientMessage) => client.send(message), { inputGapMs: 0 });
    client.socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      // `field` starts a new snapshot sequence: the world forgets what it held.
      if (frame.type === "field") this.world.onField(frame as unknown as FieldFrame, performance.now());
      if (frame.type !== "snapshot") return;
      const snap = frame as unknown as SnapshotSeen;
      this.snapshots.push(snap);
      for (const e of snap.add) this.seen.add(e.id);
      for (const e of snap.ev ?? []) this.events.push({ ...e, tick: snap.tick });
      this.world.onSnapshot(snap, performance.now());
    });
  }

  static async join(url: string, name: string): Promise<FieldPlayer> {
    const client = await TestClient.connect(url);
    const player = new FieldPlayer(client);
    player.welcome = await client.hello(name);
    player.field = (await client.nextOfType("field")) as Frame & { you: string };
    return player;
  }

  get id(): string {
    return this.field.you;
  }

  /** The SDK's mirror of the snapshot sequence. */
  get mirror() {
    return this.world.mirror;
  }

  view(): View {
    return this.world.view();
  }

  me(): EntityView | undefined {
    return this.view().get(this.id);
  }

  /**
   * Holds a movement direction (clamped to length 1, acknowledging the newest snapshot applied);
   * returns the input's seq, which a snapshot's `ack` echoes once the zone applied it. The same
   * direction held again sends nothing new and returns the seq already sent.
   */
  move(x: number, y: number): number {
    this.world.setMove(x, y, performance.now());
    return this.world.inputSeq;
  }

  cast(skill: string, extra: { target?: string; aim?: { x: number; y: number } } = {}): void {
    this.world.cast(skill, extra);
  }

  gm(line: string): void {
    this.client.send({ type: "command", line });
  }

  /** Waits until `check` holds for this client's view, polling as snapshots arrive (bounded). */
  async until(check: (p: FieldPlayer) => boolean, timeoutMs = 8000, what = "condition"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; me=${JSON.stringify(this.me())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close() {
    return this.client.close();
  }
}
