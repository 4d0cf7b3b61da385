/**
 * A zone leaving its node for another node of a clustered realm (docs/selfhost.md, "Moving a
 * zone"). Its players are sent off with MOVING_CLOSE_CODE (a close the zone chose, so each
 * character is written back and let go, not left linkdead), everything is committed and the alarm
 * removed, so the files the new owner copies next are final and nothing here writes again.
 */
import { MOVING_CLOSE_CODE } from "../../shared/protocol/messages";
import type { ZoneHost } from "./host";
import type { ZonePort } from "./sessions";

export async function prepareToMove(
  host: ZoneHost,
  storage: Pick<DurableObjectStorage, "deleteAlarm">,
  detach: (port: ZonePort, code: number) => Promise<void>,
): Promise<{ players: number }> {
  const ports = host.sessions.entries().map(([port]) => port);
  for (const port of ports) {
    port.close(MOVING_CLOSE_CODE, "the zone moves to another server; reconnect in a moment");
    await detach(port, MOVING_CLOSE_CODE);
  }
  await host.sleep();
  await host.writer.drain(Date.now());
  // What is still owed (a write Postgres refused, a hand-off) is in the files and resumes there.
  await storage.deleteAlarm();
  host.log.log("info", "zone.moving", { zone: host.zoneId, players: ports.length });
  return { players: ports.length };
}
