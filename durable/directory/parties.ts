/**
 * Parties, realm-wide, in the directory's SQLite (docs/architecture.md, "Parties and instances"):
 * who belongs to which party, and invitations waiting for an answer. A party exists while it has
 * members; a character is in at most one. Pure bookkeeping over `sql`, like the ticket ledger.
 */
export type PartyStorage = { sql: Pick<SqlStorage, "exec"> };

export interface PartyMember {
  id: string;
  name: string;
}

/** How long an invitation waits for `party accept`. */
export const INVITE_TTL_MS = 5 * 60_000;
/** Most members of one party. */
export const PARTY_MAX = 6;

export type PartyAnswer = { ok: true; partyId: string; members: PartyMember[] } | { ok: false; reason: string };

export class Parties {
  constructor(private readonly storage: PartyStorage) {
    storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS party_members (character_id TEXT PRIMARY KEY, party_id TEXT NOT NULL, name TEXT NOT NULL, joined_at INTEGER NOT NULL)",
    );
    storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS party_invites (character_id TEXT PRIMARY KEY, party_id TEXT NOT NULL, from_name TEXT NOT NULL, expires_at INTEGER NOT NULL)",
    );
  }

  /** The party `characterId` belongs to, with its members in the order they joined; null when none. */
  partyOf(characterId: string): { partyId: string; members: PartyMember[] } | null {
    const [row] = this.storage.sql
      .exec<{ party_id: string }>("SELECT party_id FROM party_members WHERE character_id = ?", characterId)
      .toArray();
    return row ? { partyId: row.party_id, members: this.members(row.party_id) } : null;
  }

  /**
   * `from` invites `to` into its party (a new one when it has none). `newPartyId` names a party
   * made for this invitation.
   */
  invite(from: PartyMember, to: PartyMember, newPartyId: string, now: number): PartyAnswer {
    if (from.id === to.id) return { ok: false, reason: "you cannot invite yourself" };
    if (this.partyOf(to.id)) return { ok: false, reason: `${to.name} is already in a party` };
    let party = this.partyOf(from.id);
    if (!party) {
      this.addMember(newPartyId, from, now);
      party = { partyId: newPartyId, members: [from] };
    }
    if (party.members.length >= PARTY_MAX) return { ok: false, reason: `a party has at most ${PARTY_MAX} members` };
    this.storage.sql.exec(
      "INSERT INTO party_invites (character_id, party_id, from_name, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (character_id) DO UPDATE SET party_id = excluded.party_id, from_name = excluded.from_name, expires_at = excluded.expires_at",
      to.id,
      party.partyId,
      from.name,
      now + INVITE_TTL_MS,
    );
    return { ok: true, ...party };
  }

  /** `who` accepts the invitation waiting for it. */
  accept(who: PartyMember, now: number): PartyAnswer {
    const [invite] = this.storage.sql
      .exec<{ party_id: string }>(
        "SELECT party_id FROM party_invites WHERE character_id = ? AND expires_at > ?",
        who.id,
        now,
      )
      .toArray();
    this.storage.sql.exec("DELETE FROM party_invites WHERE character_id = ?", who.id);
    if (!invite) return { ok: false, reason: "nobody has invited you (or the invitation expired)" };
    if (this.partyOf(who.id)) return { ok: false, reason: "you are already in a party: party leave first" };
    const members = this.members(invite.party_id);
    if (members.length === 0) return { ok: false, reason: "that party broke up" };
    if (members.length >= PARTY_MAX) return { ok: false, reason: `the party is full (${PARTY_MAX})` };
    this.addMember(invite.party_id, who, now);
    return { ok: true, partyId: invite.party_id, members: this.members(invite.party_id) };
  }

  /** `characterId` leaves its party; a party left with one member breaks up. Returns who remains. */
  leave(characterId: string): PartyAnswer {
    const party = this.partyOf(characterId);
    if (!party) return { ok: false, reason: "you are in no party" };
    this.storage.sql.exec("DELETE FROM party_members WHERE character_id = ?", characterId);
    let remaining = party.members.filter((m) => m.id !== characterId);
    if (remaining.length === 1) {
      this.storage.sql.exec("DELETE FROM party_members WHERE party_id = ?", party.partyId);
      remaining = [];
    }
    return { ok: true, partyId: party.partyId, members: remaining };
  }

  private addMember(partyId: string, member: PartyMember, now: number): void {
    this.storage.sql.exec(
      "INSERT INTO party_members (character_id, party_id, name, joined_at) VALUES (?, ?, ?, ?)",
      member.id,
      partyId,
      member.name,
      now,
    );
  }

  private members(partyId: string): PartyMember[] {
    return this.storage.sql
      .exec<{ character_id: string; name: string }>(
        "SELECT character_id, name FROM party_members WHERE party_id = ? ORDER BY joined_at, character_id",
        partyId,
      )
      .toArray()
      .map((r) => ({ id: r.character_id, name: r.name }));
  }
}
