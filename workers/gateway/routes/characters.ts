/** `/characters`: create (classes from content, attributes rolled by the seeded core), list, delete. */

import { Hono } from "hono";
import { z } from "zod";
import type { AccessClaims } from "../../../shared/auth/jwt";
import { audit } from "../../../shared/db/accounts";
import { type Character, createCharacter, deleteCharacter, listCharacters } from "../../../shared/db/characters";
import { withDatabase } from "../../../shared/db/client";
import { PlayerName } from "../../../shared/protocol/messages";
import { classDefinition, classIds, rollStartingAttributes, STARTING_ZONE } from "../../../shared/rules/classes";
import { derivedPools } from "../../../shared/rules/stats";
import { createRng } from "../../../shared/sim/rng";
import type { GatewayVariables } from "../context";
import type { Env } from "../env";
import { requireAuth, requireLiveLogin } from "../middleware/auth";
import { gatewaySettings, requireDatabase } from "../settings";
import { fail, jsonBody } from "../validate";

const CreateBody = z.object({
  name: PlayerName,
  class: z
    .string()
    .refine((id) => classDefinition(id) !== undefined, { error: () => `one of: ${classIds().join(", ")}` }),
});

/** The owner's view of a character. */
export function characterView(row: Character) {
  // The skeleton is a uniqueness key, not part of the character (docs/accounts.md#names).
  const { accountId: _account, version: _version, nameSkeleton: _skeleton, createdAt, updatedAt, ...visible } = row;
  return { ...visible, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
}

export const characterRoutes = new Hono<{ Bindings: Env; Variables: GatewayVariables & { account: AccessClaims } }>()
  .use("*", requireAuth())
  .post("/", async (c) => {
    const body = await jsonBody(c, CreateBody);
    const definition = classDefinition(body.class);
    if (!definition) throw fail(400, "invalid", "unknown class", "class");
    const seed = crypto.getRandomValues(new Uint32Array(1))[0] as number;
    const attributes = rollStartingAttributes(definition, createRng(seed));
    const pools = derivedPools(attributes, 1);
    const accountId = c.get("account").sub;
    const result = await withDatabase(requireDatabase(c.env), async (db) => {
      await requireLiveLogin(db, c.get("account"));
      const created = await createCharacter(
        db,
        accountId,
        {
          name: body.name,
          class: definition.id,
          ...attributes,
          hp: pools.maxHp,
          mp: pools.maxMp,
          zoneId: STARTING_ZONE,
        },
        gatewaySettings(c.env).charactersPerAccount,
      );
      if (created.ok) {
        await audit(db, { event: "character_created", accountId, detail: { characterId: created.value.id } });
      }
      return created;
    });
    if (!result.ok) {
      if (result.error === "name_taken") throw fail(409, "name_taken", "that character name is taken", "name");
      throw fail(
        409,
        "limit_reached",
        `an account may own at most ${gatewaySettings(c.env).charactersPerAccount} characters`,
      );
    }
    return c.json(characterView(result.value), 201);
  })
  .get("/", async (c) => {
    const rows = await withDatabase(requireDatabase(c.env), async (db) => {
      await requireLiveLogin(db, c.get("account"));
      return listCharacters(db, c.get("account").sub);
    });
    return c.json({ characters: rows.map(characterView) });
  })
  .delete("/:id", async (c) => {
    const id = c.req.param("id");
    if (!z.string().uuid().safeParse(id).success) throw fail(404, "not_found", "no such character");
    const accountId = c.get("account").sub;
    const deleted = await withDatabase(requireDatabase(c.env), async (db) => {
      await requireLiveLogin(db, c.get("account"));
      const done = await deleteCharacter(db, accountId, id);
      if (done) await audit(db, { event: "character_deleted", accountId, detail: { characterId: id } });
      return done;
    });
    if (!deleted) throw fail(404, "not_found", "no such character on this account");
    return c.body(null, 204);
  });
