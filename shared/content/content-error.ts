/** One problem in a content pack, precise enough to fix without reading the validator. */
export interface ContentError {
  /** The file as given to `validateContentPack` (e.g. "shared/content/arcane-realms/items.json"). */
  file: string;
  /** Dotted path to the field inside the file ("rooms.3.exits.north"); "" means the whole file. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}
