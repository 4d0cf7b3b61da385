/**
 * Party commands, answered in every zone whatever its kind (docs/architecture.md, "Parties and
 * instances"): the realm directory keeps the parties; this desk turns a player's `party …` or
 * `psay …` line into directory calls, and tells each member, in whichever zone it plays, what
 * happened. Characters only: a guest has nothing a party could follow.
 */
import type { Logger } from "../../shared/log";
import type { ServerMessage } from "../../shared/protocol/messages";
import { nameSkeleton } from "../../shared/text/names";
import type { ZoneHost } from "./host";
import { type SessionAttachment, send, type ZonePort } from "./sessions";

/** A member as the directory reports it: who, and the zone its live session is in (null: none). */
export interface MemberWhere {
  id: string;
  name: string;
  zoneId: string | null;
}

type Answer = { ok: true; members: MemberWhere[] } | { ok: false; reason: string };

/** What the desk needs of the realm. */
export interface PartyLinks {
  partyOf(characterId: string): Promise<{ members: MemberWhere[] } | null>;
  invite(from: { id: string; name: string }, to: { id: string; name: string }): Promise<Answer>;
  accept(who: { id: string; name: string }): Promise<Answer>;
  leave(characterId: string): Promise<Answer>;
  /** Sends `message` to the live sessions of `characterIds` in zone `zoneId`. */
  tell(zoneId: string, characterIds: string[], message: ServerMessage): Promise<unknown>;
}

const USAGE = "party invite <name> | party accept | party leave | party | psay <text>";

/** Whether a command line is one of the party's (answered here, not by the zone's engine). */
export const isPartyLine = (line: string) => /^\s*(party|psay)(\s|$)/i.test(line);

export class PartyDesk {
  constructor(
    private readonly host: Pick<ZoneHost, "sessions" | "zoneId">,
    private readonly links: PartyLinks,
    private readonly log: Logger,
  ) {}

  /** Answers a party line from the session on `port`; failures reach the player as text, never throw. */
  async handle(port: ZonePort, session: SessionAttachment, line: string): Promise<void> {
    const me = session.character;
    const say = (text: string) => send(port, { type: "info", text, payload: { channel: "party" } });
    if (!me) return say("Only characters can be in a party.");
    const [word = "", ...rest] = line.trim().split(/\s+/);
    const [verb = "", ...args] = word.toLowerCase() === "psay" ? ["say", ...rest] : rest;
    const self = { id: me.id, name: me.name };
    try {
      switch (verb.toLowerCase()) {
        case "": {
          const party = await this.links.partyOf(me.id);
          if (!party) return say("You are in no party. party invite <name> starts one.");
          return say(`Your party: ${party.members.map((m) => `${m.name}${m.zoneId ? "" : " (away)"}`).join(", ")}.`);
        }
        case "invite": {
          const who = this.characterHere(args.join(" "));
          if (!who) return say(`Nobody here goes by "${args.join(" ")}": invite someone in this zone.`);
          const answer = await this.links.invite(self, who);
          if (!answer.ok) return say(`You cannot invite ${who.name}: ${answer.reason}.`);
          await this.links.tell(this.host.zoneId, [who.id], {
            type: "info",
            text: `${me.name} invites you to a party: type party accept.`,
            payload: { channel: "party", invitedBy: me.name },
          });
          return say(`You invite ${who.name} to your party.`);
        }
        case "accept": {
          const answer = await this.links.accept(self);
          if (!answer.ok) return say(`You cannot join: ${answer.reason}.`);
          return this.toMembers(answer.members, `${me.name} joins the party.`);
        }
        case "leave": {
          const answer = await this.links.leave(me.id);
          if (!answer.ok) return say(`You cannot leave: ${answer.reason}.`);
          say("You leave the party.");
          return this.toMembers(answer.members, `${me.name} leaves the party.`);
        }
        case "say": {
          const text = args.join(" ").trim();
          if (!text) return say("Say what? psay <text>");
          const party = await this.links.partyOf(me.id);
          if (!party) return say("You are in no party.");
          return this.toMembers(party.members, `[party] ${me.name}: ${text}`, { from: me.name, text });
        }
        default:
          return say(`Party commands: ${USAGE}.`);
      }
    } catch (cause) {
      this.log.log("warn", "party.failed", { zone: this.host.zoneId, cause: String(cause) });
      say("The party could not be reached; try again in a moment.");
    }
  }

  /** A character with a greeted session in this zone whose name is `name` (or looks like it). */
  private characterHere(name: string): { id: string; name: string } | undefined {
    const wanted = nameSkeleton(name);
    const found = this.host.sessions.helloed().find((s) => s.character && nameSkeleton(s.name) === wanted);
    return found?.character && { id: found.character.id, name: found.character.name };
  }

  /** Tells every member with a live session, zone by zone. */
  private async toMembers(members: MemberWhere[], text: string, extra: Record<string, unknown> = {}): Promise<void> {
    const byZone = new Map<string, string[]>();
    for (const m of members) if (m.zoneId) byZone.set(m.zoneId, [...(byZone.get(m.zoneId) ?? []), m.id]);
    const message: ServerMessage = { type: "info", text, payload: { channel: "party", ...extra } };
    await Promise.all([...byZone].map(([zoneId, ids]) => this.links.tell(zoneId, ids, message)));
  }
}
