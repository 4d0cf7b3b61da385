/**
 * Reputation: a player's standing with each faction of the pack (docs/content.md, "Factions and
 * reputation"). Standing starts at the faction's `start`, moves by quest rewards and kills, and is
 * clamped to ±REPUTATION_LIMIT; the faction's thresholds turn it into a word (hostile, neutral,
 * friendly) that decides whether its NPCs attack on sight and what they say to `talk`. Pure: the
 * player record changes in place, and the player is told through the Outbox.
 */
import { t } from "../i18n/translate";
import type { QuestContext } from "./rewards";
import { type FactionDef, type NpcTemplate, REPUTATION_LIMIT } from "./types";
import type { MudPlayer, ZoneContent } from "./world";

/** How a faction regards a player. */
export type Standing = "hostile" | "neutral" | "friendly";

const clamp = (value: number) => Math.max(-REPUTATION_LIMIT, Math.min(REPUTATION_LIMIT, Math.round(value)));

/** The player's standing number with `factionId`: what it earned, else the faction's start (0 for an unknown faction). */
export function reputationOf(
  player: Pick<MudPlayer, "reputation">,
  factionId: string,
  content: Pick<ZoneContent, "factions">,
): number {
  const earned = player.reputation?.[factionId];
  return earned ?? clamp(content.factions[factionId]?.start ?? 0);
}

/** The word for `value` under `faction`'s thresholds: below `hostileBelow` hostile, from `friendlyAt` friendly. */
export function standingWord(faction: Pick<FactionDef, "hostileBelow" | "friendlyAt">, value: number): Standing {
  if (value < faction.hostileBelow) return "hostile";
  return value >= faction.friendlyAt ? "friendly" : "neutral";
}

/**
 * How the faction of `template` regards `player`: neutral for an NPC without a faction, or one
 * whose faction the pack does not define (validation refuses that; a zone never crashes on it).
 */
export function standingWith(
  player: Pick<MudPlayer, "reputation">,
  template: Pick<NpcTemplate, "faction">,
  content: Pick<ZoneContent, "factions">,
): Standing {
  const faction = template.faction ? content.factions[template.faction] : undefined;
  if (!faction || !template.faction) return "neutral";
  return standingWord(faction, reputationOf(player, template.faction, content));
}

/**
 * Changes the player's standing with `factionId` by `delta`, clamped, and tells it the new number
 * and word. An unknown faction, a zero delta or a change the clamp swallows changes nothing and
 * says nothing. Not critical on its own: standing is saved with the world like quest progress.
 */
export function adjustReputation(ctx: QuestContext, player: MudPlayer, factionId: string, delta: number): void {
  const faction = ctx.content.factions[factionId];
  if (!faction || !Number.isFinite(delta) || delta === 0) return;
  const before = reputationOf(player, factionId, ctx.content);
  const after = clamp(before + delta);
  if (after === before) return;
  player.reputation = { ...player.reputation, [factionId]: after };
  const word = standingWord(faction, after);
  const params = { faction: faction.name, standing: after, word: t(`faction.${word}`) };
  ctx.out.tell(player.id, "reputation", t(after > before ? "faction.rise" : "faction.fall", params), {
    faction: faction.id,
    name: faction.name,
    standing: after,
    word,
  });
}
