import { describe, expect, it } from "vitest";
import { levelForXp, xpForLevel } from "../../rules/stats";
import { MudScenario, texts } from "../testing";

/** A scenario in Lanternmere with a GM (`gm`, Greta) and a player (`bob`) in the village square. */
function scene() {
  const s = new MudScenario();
  s.join("gm", { name: "Greta" });
  s.join("bob");
  s.gms.add("gm");
  s.clear();
  return s;
}

const lastAudit = (s: MudScenario) => s.last?.audit ?? [];

describe("who may run GM commands", () => {
  it("refuses every GM command to a player who is not a GM, changing nothing and auditing nothing", () => {
    const s = scene();
    const before = JSON.stringify({ players: s.world.players, items: s.world.items, npcs: Object.keys(s.world.npcs) });
    for (const line of [
      "goto smithy",
      "summon Greta",
      "transfer Greta whispering-woods",
      "spawn thornback-wolf",
      "despawn lamplighter",
      "gmgive bob watch-token",
      "inspect Greta",
      "set bob level 9",
      "broadcast hello",
      "GOTO smithy",
    ]) {
      const seen = s.type("bob", line);
      const word = line.split(" ")[0]?.toLowerCase();
      expect(texts(seen.bob), line).toEqual([`${word} is a GM command, and you are not a game master.`]);
      expect(seen.gm, line).toBeUndefined();
      expect(lastAudit(s), line).toEqual([]);
      expect(s.last?.departures, line).toEqual([]);
    }
    // Time passed (NPCs may have been scheduled to wander), but nobody moved and nothing was made.
    expect(JSON.stringify({ players: s.world.players, items: s.world.items, npcs: Object.keys(s.world.npcs) })).toBe(
      before,
    );
  });

  it("hides GM commands from a player's help and shows them to a GM's", () => {
    const s = scene();
    const players = s.type("bob", "help").bob?.[0]?.payload?.commands as string[];
    const gms = s.type("gm", "help").gm?.[0]?.payload?.commands as string[];
    for (const word of ["goto", "summon", "transfer", "spawn", "despawn", "gmgive", "inspect", "set", "broadcast"]) {
      expect(players).not.toContain(word);
      expect(gms).toContain(word);
    }
    expect(texts(s.type("bob", "help goto").bob)).toEqual(['There is no command "goto". Type help for the list.']);
    expect(texts(s.type("gm", "help goto").gm)[0]).toMatch(/^goto <room-id\|player>\nGM: step into a room/);
  });

  it("finds GM commands by their exact name only, for a GM too: a prefix means what it meant before", () => {
    const s = scene();
    expect(texts(s.type("gm", "summ bob").gm)).toEqual(['Huh? "summ" is not a command. Type help for the list.']);
    expect(s.player("bob").roomId).toBe("village-square");
    // "in" and "insp" never reach inspect: inventory keeps its abbreviations.
    expect(s.type("gm", "inv").gm?.[0]?.type).toBe("inventory");
    expect(s.type("gm", "inspec bob").gm?.[0]?.text).toMatch(/^Huh\?/);
    expect(lastAudit(s)).toEqual([]);
  });
});

describe("goto and summon", () => {
  it("takes the GM to a room by id, seen vanishing and appearing, and audits from and to", () => {
    const s = scene();
    const seen = s.type("gm", "goto smithy");
    expect(s.player("gm").roomId).toBe("smithy");
    expect(texts(seen.bob)).toEqual(["Greta vanishes."]);
    expect(seen.gm?.[0]).toMatchObject({ type: "room", payload: { id: "smithy" } });
    expect(lastAudit(s)).toEqual([
      {
        gm: "gm",
        gmName: "Greta",
        command: "goto",
        target: "smithy",
        detail: { from: "village-square", to: "smithy" },
        tick: s.tick,
      },
    ]);
    expect(s.last?.changedPlayers).toContain("gm");
  });

  it("takes the GM to an online player's room, and refuses a room or player that is not here", () => {
    const s = scene();
    s.type("bob", "east");
    s.type("gm", "goto BOB");
    expect(s.player("gm").roomId).toBe("lantern-inn");
    expect(lastAudit(s)[0]).toMatchObject({ command: "goto", target: "Bob", detail: { to: "lantern-inn" } });
    expect(texts(s.type("gm", "goto lantern-inn").gm)).toEqual(["You are already there."]);
    expect(texts(s.type("gm", "goto smith").gm)).toEqual([
      'No room or online player "smith" in Lanternmere. Did you mean smithy?',
    ]);
    expect(texts(s.type("gm", "goto").gm)).toEqual(["Go to where? Try: goto <room-id> or goto <player>."]);
    expect(lastAudit(s)).toEqual([]);
  });

  it("summons a player to the GM, telling it who did, and refuses itself and absent players", () => {
    const s = scene();
    s.type("gm", "goto smithy");
    const seen = s.type("gm", "summon bob");
    expect(s.player("bob").roomId).toBe("smithy");
    expect(texts(seen.bob)[0]).toBe("Greta summons you.");
    expect(seen.bob?.[1]).toMatchObject({ type: "room", payload: { id: "smithy" } });
    expect(texts(seen.gm)).toEqual(["Bob appears.", "You summon Bob."]);
    expect(lastAudit(s)[0]).toMatchObject({
      command: "summon",
      target: "Bob",
      detail: { playerId: "bob", from: "village-square", to: "smithy" },
    });
    expect(texts(s.type("gm", "summon bob").gm)).toEqual(["Bob is already here."]);
    expect(texts(s.type("gm", "summon me").gm)).toEqual(["You cannot summon yourself."]);
    expect(texts(s.type("gm", "summon nobody").gm)).toEqual([
      'No player "nobody" is online in Lanternmere. Type who for the list.',
    ]);
  });
});

describe("transfer", () => {
  it("hands another player over to a zone and place, as an exit would", () => {
    const s = scene();
    const seen = s.type("gm", "transfer bob whispering-woods:woods-edge");
    expect(s.last?.departures).toEqual([{ playerId: "bob", to: { zoneId: "whispering-woods", place: "woods-edge" } }]);
    expect(texts(seen.bob)).toEqual(["Greta sends you to whispering-woods…"]);
    expect(texts(seen.gm)).toEqual(["Bob vanishes.", "You send Bob to whispering-woods:woods-edge."]);
    expect(lastAudit(s)[0]).toMatchObject({
      command: "transfer",
      target: "Bob",
      detail: { playerId: "bob", toZone: "whispering-woods", place: "woods-edge" },
    });
  });

  it("sends the GM itself with `me`, once however often it is asked in a tick", () => {
    const s = scene();
    s.step([
      ["gm", "transfer me hollow-hills"],
      ["bob", "say hi"],
    ]);
    expect(s.last?.departures).toEqual([{ playerId: "gm", to: { zoneId: "hollow-hills" } }]);
    s.step([
      ["gm", "transfer bob hollow-hills"],
      ["gm", "transfer bob whispering-woods"],
    ]);
    expect(s.last?.departures).toEqual([{ playerId: "bob", to: { zoneId: "hollow-hills" } }]);
  });

  it("refuses this zone, a malformed zone, a guest and a missing argument", () => {
    const s = scene();
    s.join("gus", { name: "Gus", guest: true });
    expect(texts(s.type("gm", "transfer bob start:smithy").gm)).toEqual([
      "Bob is already in start: use goto or summon within a zone.",
    ]);
    expect(texts(s.type("gm", "transfer bob Not/AZone").gm)).toEqual([
      '"Not/AZone" is not a zone id (such as forest or start).',
    ]);
    expect(texts(s.type("gm", "transfer gus whispering-woods").gm)).toEqual([
      "Gus is a guest: guests stay in the zone they joined.",
    ]);
    expect(texts(s.type("gm", "transfer bob").gm)).toEqual([
      "Send whom where? Try: transfer <player> <zone>[:<room>].",
    ]);
    expect(s.last?.departures).toEqual([]);
    expect(lastAudit(s)).toEqual([]);
  });
});

describe("spawn and despawn", () => {
  it("spawns NPCs of a template in the GM's room, homed there", () => {
    const s = scene();
    const seen = s.type("gm", "spawn sett-badger 2");
    const here = Object.values(s.world.npcs).filter((n) => n.templateId === "sett-badger");
    expect(here).toHaveLength(2);
    expect(here.every((n) => n.roomId === "village-square" && n.homeRoomId === "village-square")).toBe(true);
    expect(here.every((n) => n.hp > 0 && n.respawnAtTick === null)).toBe(true);
    const name = s.content.npcs["sett-badger"]?.name ?? "";
    expect(texts(seen.bob)).toEqual([`${name.charAt(0).toUpperCase()}${name.slice(1)} appears (×2).`]);
    expect(texts(seen.gm)).toEqual([`You spawn ${name} ×2 (${here.map((n) => n.id).join(", ")}).`]);
    expect(lastAudit(s)[0]).toMatchObject({
      command: "spawn",
      target: "sett-badger",
      detail: { room: "village-square", npcIds: here.map((n) => n.id) },
    });
  });

  it("refuses an unknown template (suggesting near ids) and a count out of range", () => {
    const s = scene();
    const npcs = Object.keys(s.world.npcs).length;
    expect(texts(s.type("gm", "spawn wolf").gm)).toEqual(['No NPC template "wolf". Did you mean thornback-wolf?']);
    expect(texts(s.type("gm", "spawn thornback-wolf 11").gm)).toEqual(['Spawn 1 to 10 at a time, not "11".']);
    expect(texts(s.type("gm", "spawn thornback-wolf 0").gm)).toEqual(['Spawn 1 to 10 at a time, not "0".']);
    expect(texts(s.type("gm", "spawn thornback-wolf two").gm)).toEqual(['Spawn 1 to 10 at a time, not "two".']);
    expect(Object.keys(s.world.npcs)).toHaveLength(npcs);
    expect(lastAudit(s)).toEqual([]);
  });

  it("despawns an NPC by what the GM sees, or by id, for good, freeing whoever fought it", () => {
    const s = scene();
    s.type("gm", "goto well-shaft");
    const rats = Object.values(s.world.npcs).filter((n) => n.templateId === "well-rat");
    const [first, second] = rats.map((r) => r.id);
    s.player("gm").targetId = first ?? null;
    s.type("gm", "despawn 1.rat");
    expect(s.world.npcs[first as string]).toBeUndefined();
    expect(s.player("gm").targetId).toBeNull();
    expect(lastAudit(s)[0]).toMatchObject({
      command: "despawn",
      target: "well-rat",
      detail: { npcId: first, room: "well-shaft" },
    });
    s.type("gm", "goto village-square");
    s.type("gm", `despawn ${second}`);
    expect(s.world.npcs[second as string]).toBeUndefined();
    expect(texts(s.type("gm", "despawn dragon").gm)).toEqual(['You don\'t see "dragon" here.']);
    // Long after any respawn time, they stay gone.
    s.run(400);
    expect(Object.values(s.world.npcs).filter((n) => n.templateId === "well-rat")).toEqual([]);
  });
});

describe("gmgive", () => {
  it("creates an item in a player's inventory, commits the tick and tells the player", () => {
    const s = scene();
    const seen = s.type("gm", "gmgive bob moonpetal-draught");
    expect(s.inventory("bob")).toEqual(["moonpetal-draught"]);
    expect(s.last?.critical).toBe(true);
    expect(texts(seen.bob)).toEqual(["Greta gives you a moonpetal draught."]);
    const itemId = Object.values(s.world.items).find(
      (i) => i.templateId === "moonpetal-draught" && i.location.kind === "inventory",
    )?.id;
    expect(lastAudit(s)[0]).toMatchObject({
      command: "gmgive",
      target: "Bob",
      detail: { playerId: "bob", templateId: "moonpetal-draught", itemId },
    });
  });

  it("refuses an unknown template, an unknown player and a second unique item", () => {
    const s = scene();
    expect(texts(s.type("gm", "gmgive bob excalibur").gm)).toEqual(['No item template "excalibur".']);
    expect(texts(s.type("gm", "gmgive zed watch-token").gm)).toEqual([
      'No player "zed" is in the world of Lanternmere. Type who for the list.',
    ]);
    expect(texts(s.type("gm", "gmgive bob").gm)).toEqual(["Give whom what? Try: gmgive <player> <item-template>."]);
    s.type("gm", "gmgive bob watch-token");
    expect(s.last?.critical).toBe(true);
    expect(s.type("gm", "gmgive bob watch-token").gm?.[0]?.text).toMatch(
      /^Bob already has .+, and can hold only one\.$/,
    );
    expect(s.last?.critical).toBe(false);
    expect(s.inventory("bob")).toEqual(["watch-token"]);
  });
});

describe("inspect", () => {
  it("shows everything the zone holds of a player, online or not", () => {
    const s = scene();
    s.type("gm", "gmgive bob rusted-shortsword");
    s.type("bob", "equip sword");
    s.leave("bob");
    const seen = s.type("gm", "inspect bob");
    const payload = seen.gm?.[0]?.payload?.inspect as Record<string, unknown>;
    expect(payload).toMatchObject({
      kind: "player",
      id: "bob",
      name: "Bob",
      state: "offline",
      room: "village-square",
      level: 1,
      xp: 0,
      items: [{ templateId: "rusted-shortsword", where: "worn (weapon)" }],
      quests: {},
      reputation: {},
    });
    expect(seen.gm?.[0]?.text).toMatch(/^Bob \(bob\), offline, level 1 warrior, in village-square\nHP /);
    expect(lastAudit(s)).toEqual([
      expect.objectContaining({ command: "inspect", target: "Bob", detail: { playerId: "bob" } }),
    ]);
  });

  it("shows an NPC in the room by keyword, and says so when neither is found", () => {
    const s = scene();
    const seen = s.type("gm", "inspect lamplighter");
    expect(seen.gm?.[0]?.payload?.inspect).toMatchObject({
      kind: "npc",
      template: "lamplighter",
      room: "village-square",
    });
    expect(texts(s.type("gm", "inspect zed").gm)).toEqual([
      'No player "zed" in this zone, and no NPC: You don\'t see "zed" here.',
    ]);
  });
});

describe("set", () => {
  it("sets a level with experience moved to the level's start, and commits the tick", () => {
    const s = scene();
    const seen = s.type("gm", "set bob level 5");
    expect(s.player("bob")).toMatchObject({ level: 5, xp: xpForLevel(5) });
    expect(s.last?.critical).toBe(true);
    expect(s.last?.changedPlayers).toContain("bob");
    expect(texts(seen.bob)).toContain("Greta sets your level to 5.");
    expect(lastAudit(s)[0]).toMatchObject({
      command: "set",
      target: "Bob",
      detail: { stat: "level", value: 5, changed: { level: { from: 1, to: 5 }, xp: { from: 0, to: xpForLevel(5) } } },
    });
  });

  it("sets experience with the level following it, and pools and attributes within their ranges", () => {
    const s = scene();
    s.type("gm", "set bob xp 650");
    expect(s.player("bob")).toMatchObject({ xp: 650, level: levelForXp(650) });
    s.type("gm", "set bob str 30");
    expect(s.player("bob").attributes.str).toBe(30);
    expect(s.last?.changedPlayers).toContain("bob");
    s.type("gm", "set bob hp 1");
    expect(s.player("bob").hp).toBe(1);
    s.type("gm", "set bob mp 0");
    expect(s.player("bob").mp).toBe(0);
  });

  it("takes the pools down with a lower maximum", () => {
    const s = scene();
    expect(s.player("bob")).toMatchObject({ level: 1, hp: 80 });
    s.type("gm", "set bob vit 1");
    // 20 + 5 per point of vitality at level 1 (shared/rules/stats.ts).
    expect(s.player("bob").hp).toBe(25);
    expect(lastAudit(s)[0]?.detail).toMatchObject({ changed: { vit: { from: 12, to: 1 }, hp: { from: 80, to: 25 } } });
  });

  it("refuses an unknown stat, a value out of range or not a number, and an unknown player", () => {
    const s = scene();
    const tell = (line: string) => texts(s.type("gm", line).gm);
    expect(tell("set bob luck 3")).toEqual(['"luck" cannot be set; try one of hp, mp, level, xp, str, dex, int, vit.']);
    expect(tell("set bob level 51")).toEqual(['level must be a whole number from 1 to 50 for Bob, not "51".']);
    expect(tell("set bob level 2.5")).toEqual(['level must be a whole number from 1 to 50 for Bob, not "2.5".']);
    expect(tell("set bob hp 0")[0]).toMatch(/^hp must be a whole number from 1 to \d+ for Bob, not "0"\.$/);
    expect(tell("set bob str -1")).toEqual(['str must be a whole number from 1 to 10000 for Bob, not "-1".']);
    expect(tell("set zed hp 3")).toEqual(['No player "zed" is in the world of Lanternmere. Type who for the list.']);
    expect(tell("set bob")[0]).toMatch(/^Set what\? Try: set <player> <stat> <value>/);
    expect(s.player("bob")).toMatchObject({ level: 1, xp: 0 });
    expect(lastAudit(s)).toEqual([]);
  });

  it("keeps attributes a GM set when the character comes back to the zone", () => {
    const s = scene();
    s.type("gm", "set bob dex 42");
    s.leave("bob");
    s.join("bob", { attributes: { str: 9, dex: 9, int: 9, vit: 9 } });
    expect(s.player("bob").attributes.dex).toBe(42);
  });
});

describe("broadcast", () => {
  it("tells every player in the zone, wherever they stand, and audits the text", () => {
    const s = scene();
    s.type("bob", "east");
    const seen = s.type("gm", "broadcast The gates close at dusk.");
    const line = { type: "info", text: "[GM Greta] The gates close at dusk." };
    expect(seen.bob).toEqual([expect.objectContaining(line)]);
    expect(seen.gm).toEqual([expect.objectContaining(line)]);
    expect(lastAudit(s)).toEqual([
      expect.objectContaining({ command: "broadcast", detail: { text: "The gates close at dusk." } }),
    ]);
    expect(texts(s.type("gm", "broadcast").gm)).toEqual(["Broadcast what? Try: broadcast <text>."]);
  });
});
