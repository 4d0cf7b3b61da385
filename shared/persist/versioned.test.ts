import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readVersioned, type VersionedSpec, versionOf, writeVersioned } from "./versioned";

/** A row kind at version 2: version 0 had `n` as a string, version 1 renamed it `count`. */
const spec: VersionedSpec<{ count: number }> = {
  name: "counter",
  current: 2,
  upgrades: [
    (row) => ({ ...(row as object), n: Number((row as { n: string }).n) }),
    (row) => {
      const { n, ...rest } = row as { n: number };
      return { ...rest, count: n };
    },
  ],
  schema: z.object({ count: z.number().int() }),
};

describe("versioned rows", () => {
  it("reads a payload without `v` as version 0 and upgrades it step by step", () => {
    expect(versionOf({ n: "3" })).toBe(0);
    expect(readVersioned(spec, { n: "3" })).toEqual({ ok: true, value: { count: 3 } });
    expect(readVersioned(spec, { v: 1, n: 4 })).toEqual({ ok: true, value: { count: 4 } });
  });

  it("writes the current version, and reads back what it wrote", () => {
    const row = writeVersioned(spec, { count: 5 });
    expect(row).toEqual({ v: 2, count: 5 });
    expect(readVersioned(spec, JSON.parse(JSON.stringify(row)))).toEqual({ ok: true, value: { count: 5 } });
  });

  it("refuses a row that does not validate, naming the row and the field", () => {
    expect(readVersioned(spec, { v: 2, count: "many" })).toEqual({
      ok: false,
      error: expect.stringMatching(/^counter: count: /),
    });
  });

  it("refuses a version newer than the code, and a `v` that is no version", () => {
    expect(readVersioned(spec, { v: 3, count: 1 })).toEqual({
      ok: false,
      error: "counter: version 3 is newer than this code reads (2)",
    });
    expect(readVersioned(spec, { v: "one", count: 1 })).toEqual({
      ok: false,
      error: 'counter: "v" is not a schema version',
    });
  });

  it("refuses a row whose upgrade throws, with the version it failed from", () => {
    const throwing = {
      ...spec,
      upgrades: [
        () => {
          throw new Error("bad");
        },
        ...spec.upgrades.slice(1),
      ],
    };
    expect(readVersioned(throwing, {})).toEqual({
      ok: false,
      error: "counter: upgrade from version 0 failed: Error: bad",
    });
  });

  it("refuses what is not a row at all (null, an array, a string)", () => {
    for (const raw of [null, [1], "text"]) expect(readVersioned(spec, raw).ok).toBe(false);
  });
});
