/**
 * Character creation moved into the character rulebook (shared/rules, docs/decisions.md D23);
 * these names are re-exported so existing imports keep working. New code imports shared/rules.
 */
export { rollStartingAttributes } from "../rules/classes";
export { type Attributes, derivedPools } from "../rules/stats";
