/**
 * The profile of the Hollow Hills: heath, tors and barrow-fields south of the Whispering Woods,
 * generated from these word tables (shared/content/generate/zone.ts). The landmarks are written by
 * hand because other files point at them: the stone stair back to the woods, the barrow mouth into
 * the Sleeping Thane's barrow (an instanced dungeon), the edge of the Gorse Downs (a field zone),
 * the Briar Band's camp and the shepherd's fold.
 */
import type { ZoneProfile } from "./zone";

export const HOLLOW_HILLS: ZoneProfile = {
  id: "hollow-hills",
  name: "The Hollow Hills",
  description:
    "Rolling heath and granite tors south of the Whispering Woods, where the old kings of the hill country lie under grassed-over barrows and the wind never finds anything to stop it. Shepherds graze the lower slopes, the Briar Band robs whoever crosses the upper ones, and at the far end of the hills a barrow door stands open that was sealed for a thousand years. Characters of level 4 to 8 find their feet here.",
  roomPrefix: "hills",
  rooms: 24,
  loops: 4,
  cohesion: 0.5,
  adjectives: [
    "Windy",
    "Grey",
    "Lonely",
    "High",
    "Bracken",
    "Broken",
    "Crow's",
    "Shepherd's",
    "Hollow",
    "Cold",
    "Quiet",
    "Ragged",
    "Sunlit",
    "Weathered",
    "Bleak",
    "Far",
  ],
  terrains: [
    {
      key: "heath",
      weight: 4,
      names: ["Heath", "Heather Slope", "Moorland", "Upland", "Ling"],
      scenes: [
        "Heather runs knee-deep in every direction, purple going brown, and the ground beneath it is springy with old roots.",
        "Open heath rolls away under a wide sky, broken only by clumps of gorse and the grey bones of rock pushing through the turf.",
        "A sheep track threads between hummocks of heather and bilberry, the only straight line anywhere in sight.",
        "The land lifts and falls in long swells of heath, like a sea that set solid in the middle of a storm.",
      ],
      details: [
        "A tuft of wool is snagged on every second gorse bush, and the droppings on the path are fresh.",
        "Someone has stacked three flat stones into a little cairn to mark the way, and someone else has kicked it half over.",
        "A stunted hawthorn leans so far to the east that it seems to be pointing at something.",
        "Bees work the last of the heather flowers with a sound like a distant crowd.",
        "A boot print, large and hobnailed, is pressed into a patch of black peat.",
      ],
    },
    {
      key: "tor",
      weight: 2,
      names: ["Tor", "Crag", "Outcrop", "Rocks", "Stack"],
      scenes: [
        "Granite heaves out of the hill here in stacked, rounded slabs, like loaves left to prove by a giant.",
        "A crown of weathered rock tops the rise, split by frost into blocks as big as cottages.",
        "The path scrambles over bare granite, grey and rough with lichen, to a lookout above the heath.",
      ],
      details: [
        "In a hollow of the rock, rainwater has gathered in a basin so round it might have been carved.",
        "Old fires have blackened a cleft in the stones where someone sheltered, and not long ago.",
        "From the top you can see the dark line of the Whispering Woods far to the north.",
        "Ravens have whitened one ledge with their droppings, and a few black feathers stir in the wind.",
      ],
    },
    {
      key: "combe",
      weight: 2,
      names: ["Combe", "Dell", "Hollow", "Dip", "Vale"],
      scenes: [
        "The hill folds in on itself into a steep green combe, sheltered from the wind and loud with running water.",
        "A hollow between two shoulders of the hill holds a pocket of still air, thick with bracken and midges.",
        "Rowan and birch crowd a narrow dell, the only trees for a mile, their roots gripping wet stone.",
      ],
      details: [
        "A spring bubbles out from under a mossy boulder and is gone again into the grass a few paces on.",
        "The bracken has been flattened into a rough bed, as if something large slept here.",
        "Rowan berries lie scattered like dropped beads, and birds quarrel over them overhead.",
        "A rusted sheep-bell hangs from a branch, tied there on purpose by someone who wanted it found.",
      ],
    },
    {
      key: "mire",
      weight: 2,
      names: ["Mire", "Bog", "Flow", "Sedge", "Peat Cut"],
      scenes: [
        "The ground turns treacherous: bright green moss over black water that quakes under every step.",
        "Cotton grass nods over a wide flat bog, and pools of brown water reflect the clouds.",
        "Old peat cuttings make a maze of dark trenches here, half filled with water the colour of tea.",
      ],
      details: [
        "A line of sunken posts, grey with age, marks a causeway that is mostly underwater now.",
        "Something glints at the bottom of a pool, far too deep to reach without going in after it.",
        "Bubbles rise from the mud in slow, fat gulps, and the air smells of rot and mint.",
        "A dragonfly the length of your hand hangs over the water and turns to look at you.",
      ],
    },
    {
      key: "barrows",
      weight: 1,
      names: ["Barrow Field", "Grave Mounds", "Long Barrow", "Cairnfield", "Barrow Ridge"],
      scenes: [
        "Low green mounds stand in a line along the ridge, too regular to be natural: the graves of the old hill kings.",
        "A long barrow lies across the slope like a sleeping animal, its flanks grassed over and its stone doorway sealed.",
        "Ring cairns of piled stones dot the hillside, each with a hollow at its heart where something was once laid.",
      ],
      details: [
        "One mound has been dug into recently, the spoil heaped beside a ragged hole that someone thought better of.",
        "The sheep will not graze here; the grass stands long and untouched around every mound.",
        "A capstone carved with spirals like those on the Whispering Stones lies tumbled in the grass.",
        "Somebody has left a posy of heather on the largest mound, tied with red thread.",
      ],
    },
  ],
  moods: [
    "The wind hums across the grass and tugs at your clothes.",
    "A curlew calls somewhere out of sight, long and falling.",
    "Clouds race overhead, and their shadows chase each other across the hills.",
    "Mist creeps along the low ground, and the light goes soft and grey.",
    "The sun comes and goes, warm one moment and gone the next.",
    "It is very quiet, apart from the wind, and the wind never stops.",
    "A thin rain drifts across the slope, more damp air than falling water.",
  ],
  exitLines: [
    "Ways lead {exits}.",
    "Paths run {exits} from here.",
    "You can go {exits}.",
    "Sheep tracks wander off {exits}.",
  ],
  spawns: [
    { npc: "heath-hare", weight: 3, max: 2 },
    { npc: "briar-outlaw", weight: 3, max: 2 },
    { npc: "briar-bowman", weight: 2, max: 1 },
    { npc: "gorse-boar", weight: 2, max: 1 },
    { npc: "barrow-raven", weight: 2, max: 1 },
    { npc: "heath-adder", weight: 2, max: 1 },
  ],
  spawnChance: 0.45,
  items: [
    { item: "heather-honey", weight: 3 },
    { item: "linen-bandage", weight: 3 },
    { item: "hillman-boots", weight: 1 },
    { item: "walking-staff", weight: 1 },
    { item: "raven-quill", weight: 2 },
  ],
  itemChance: 0.2,
  landmarks: [
    {
      role: "entry",
      id: "hills-stone-stair",
      name: "The Stone Stair",
      description:
        "Rough steps of split granite climb down out of the trees from the Whispering Stones behind you and spill out onto open heath. After the green dark of the woods the sky is enormous. A weathered post at the foot of the steps has been carved, by several hands over many years, with a crook, a sword and a crude door. The stair climbs back up to the stones.",
      exits: { stones: "whispering-woods:stone-circle" },
      spawns: [{ npc: "hill-pedlar", count: 1 }],
    },
    {
      role: "farthest",
      id: "barrow-mouth",
      name: "The Barrow Mouth",
      description:
        "The greatest barrow in the hills rises here, higher than a house and long as a village street. Its doorway, two uprights and a lintel of black stone, has been forced: the slab that sealed it lies cracked in the grass, and a breath of cold, dry air comes up out of the dark. Whoever goes into the barrow goes with their own company and no one else's.",
      exits: { barrow: "sleeper-barrow:barrow-door" },
      instanced: ["barrow"],
    },
    {
      role: "leaf",
      id: "briar-camp",
      name: "The Briar Band's Camp",
      description:
        "A hollow screened by walls of gorse hides a camp of lean-tos, a fire pit and a rack of stolen cloaks drying in the smoke. Bones from other people's sheep lie everywhere. This is where the Briar Band divides what it takes from travellers on the hill roads, and it does not welcome visitors.",
      spawns: [
        { npc: "briar-captain", count: 1 },
        { npc: "briar-outlaw", count: 2 },
      ],
      items: ["bandit-ledger"],
    },
    {
      role: "leaf",
      id: "shepherds-fold",
      name: "Tamsin's Fold",
      description:
        "Dry-stone walls make a round fold against the hillside, with a turf-roofed bothy built into one side and a dog asleep in its doorway. The sheep inside are fewer than the fold was built for. A crook leans by the door, and a pot of something smoky hangs over a peat fire.",
      spawns: [{ npc: "hill-shepherd", count: 1 }],
      items: ["heather-honey"],
    },
    {
      role: "leaf",
      id: "downs-edge",
      name: "The Edge of the Downs",
      description:
        "The heath ends at a lip of chalk, and below it the Gorse Downs open out: a wide bare country of white tracks and yellow gorse, where things that live in the open run down whatever they see. A stepped path cut into the chalk leads down onto them.",
      exits: { downs: "gorse-downs:hills" },
    },
  ],
};
