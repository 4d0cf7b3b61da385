/**
 * A field-zone player for end-to-end tests: a real WebSocket client that keeps its copy of the
 * view through the delta codec, acknowledges every snapshot it applies, and records every event.
 */
import { ClientMirror, type EntityView, type SnapshotFrame, type View } from "../../shared/field/delta";
import { type Frame, TestClient } from "./ws-client";

export interface SnapshotSeen extends SnapshotFrame {
  tick: number;
  ack: number;
  ev?: { type: string; [key: string]: unknown }[];
}

export class FieldPlayer {
  readonly mirror = new ClientMirror();
  readonly snapshots: SnapshotSeen[] = [];
  readonly events: { type: string; tick: number; [key: string]: unknown }[] = [];
  /** Every entity id this client was ever told about. */
  readonly seen = new Set<string>();
  field!: Frame & { you: string };
  private seq = 0;
  private lastApplied = 0;
  private lastAcked = 0;

  private constructor(readonly client: TestClient) {
    client.socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      // `field` starts a new snapshot sequence: what was held no longer applies.
      if (frame.type === "field") {
        this.mirror.reset();
        this.lastApplied = 0;
        this.lastAcked = 0;
      }
      if (frame.type !== "snapshot") return;
      const snap = frame as unknown as SnapshotSeen;
      this.snapshots.push(snap);
      for (const e of snap.add) this.seen.add(e.id);
      for (const e of snap.ev ?? []) this.events.push({ ...e, tick: snap.tick });
      const applied = this.mirror.apply(snap);
      if (!applied.ok) client.send({ type: "resync" });
      else {
        this.lastApplied = applied.ack;
        // A player standing still sends no inputs: acknowledge every few snapshots anyway.
        if (applied.ack - this.lastAcked >= 5) this.ack();
      }
    });
  }

  static async join(url: string, name: string): Promise<FieldPlayer> {
    const client = await TestClient.connect(url);
    const player = new FieldPlayer(client);
    await client.hello(name);
    player.field = (await client.nextOfType("field")) as Frame & { you: string };
    return player;
  }

  get id(): string {
    return this.field.you;
  }

  view(): View {
    return this.mirror.current();
  }

  me(): EntityView | undefined {
    return this.view().get(this.id);
  }

  /** Holds a movement direction (and acknowledges the newest snapshot applied). */
  move(x: number, y: number): number {
    this.seq += 1;
    this.lastAcked = this.lastApplied;
    this.client.send({ type: "input", seq: this.seq, move: { x, y }, ack: this.lastApplied });
    return this.seq;
  }

  private ack(): void {
    this.lastAcked = this.lastApplied;
    this.client.send({ type: "ack", n: this.lastApplied });
  }

  cast(skill: string, extra: { target?: string; aim?: { x: number; y: number } } = {}): void {
    this.client.send({ type: "cast", skill, ...extra });
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
