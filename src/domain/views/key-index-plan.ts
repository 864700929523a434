/**
 * The key indexes ManageConfigurationIndexesTask keeps on idm_resources (pure: planned from the
 * entity model and the names the catalog lists).
 *
 * Rule: one index per property declared IsKey="true" (the key the configuration uses to name a
 * type's resources, as in `SingleRoleRule D1="TITLE0000"`: the lookups by key the product does), on
 * the property's text (DialectSql.keyText, the expression the zz_ view's column of a text key is),
 * restricted to the property's entity type (a partial / filtered index: `WHERE entity_type = 'T'`).
 * Keys of other types are indexed on their text too, which serves lookups by the key's text; their
 * typed view columns do not use the index. Navigations and Binary/Bytes keys get none.
 *
 * Name: `IXC_<EntityType>_<Property>`. When that is longer than the dialect allows, or when two keys
 * would get the same name (`A_B` + `C` and `A` + `B_C`), it is cut and ends with `_` and 8 hex
 * digits of SHA-256("EntityType:Property"): stable across runs, different per key.
 */
import { createHash } from "node:crypto";
import type { EntityModel } from "../resources/entity-model.js";
import type { Dialect } from "../../store/database-url.js";
import { DIALECT_SQL } from "./dialect-sql.js";
import { DIALECTS } from "../../store/dialects/index.js";
import { identifierLength, jsonMemberProblem, stringLiteral } from "./sql-text.js";
import { COLUMN, INDEX_PREFIX, qualified, RESOURCES, type SqlTarget } from "./store-tables.js";

export interface KeyIndex {
  name: string;
  entityType: string;
  property: string;
}

export interface KeyAction {
  kind: "create-column" | "create-index" | "drop-index" | "drop-column";
  name: string;
  sql: string;
}

const HASH_LENGTH = 8;

function cut(dialect: Dialect, text: string, length: number): string {
  let result = "";
  for (const char of text) {
    if (identifierLength(dialect, result + char) > length) break;
    result += char;
  }
  return result;
}

function hashedName(dialect: Dialect, entityType: string, property: string): string {
  const hash = createHash("sha256").update(`${entityType}:${property}`).digest("hex").slice(0, HASH_LENGTH);
  const limit = DIALECTS[dialect].identifierLimit?.length;
  const base = `${INDEX_PREFIX}${entityType}_${property}`;
  return `${limit === undefined ? base : cut(dialect, base, limit - HASH_LENGTH - 1)}_${hash}`;
}

/** The key indexes the model declares, named; and the keys that cannot be indexed. */
export function declaredKeyIndexes(model: EntityModel, dialect: Dialect): { indexes: KeyIndex[]; problems: string[] } {
  const keys: { entityType: string; property: string }[] = [];
  const problems: string[] = [];
  for (const type of model.entityTypes.values()) {
    for (const property of type.properties.values()) {
      if (!property.isKey || property.navigation !== undefined || ["ForeignKey", "Binary", "Bytes"].includes(property.type)) continue;
      const problem = jsonMemberProblem(property.identifier);
      if (problem === undefined) keys.push({ entityType: type.identifier, property: property.identifier });
      else problems.push(`EntityType ${type.identifier}: key property "${property.identifier}" has ${problem}`);
    }
  }
  const plain = (k: (typeof keys)[number]) => `${INDEX_PREFIX}${k.entityType}_${k.property}`;
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(plain(k).toLowerCase(), (counts.get(plain(k).toLowerCase()) ?? 0) + 1);
  const limit = DIALECTS[dialect].identifierLimit?.length;
  const indexes = keys.map((k) => {
    const name = plain(k);
    const fits = limit === undefined || identifierLength(dialect, name) <= limit;
    return { ...k, name: fits && counts.get(name.toLowerCase()) === 1 ? name : hashedName(dialect, k.entityType, k.property) };
  });
  return { indexes, problems };
}

/** What the index is built on, over the table's own column (no alias). */
export function keyExpression(dialect: Dialect, target: SqlTarget, property: string): string {
  return DIALECT_SQL[dialect].keyText(target.quote(COLUMN.properties), property);
}

function createActions(dialect: Dialect, target: SqlTarget, index: KeyIndex, columnExists: boolean): KeyAction[] {
  const where = `WHERE ${target.quote(COLUMN.entityType)} = ${stringLiteral(dialect, index.entityType)}`;
  const on = { target, table: qualified(target, RESOURCES), expression: keyExpression(dialect, target, index.property), where, columnExists };
  return DIALECT_SQL[dialect].createKeyIndex(index, on);
}

/**
 * The statements that bring the table to the declared indexes: drops first (an index no longer
 * declared, then its SQL Server column), then creates. Declared indexes that exist are left alone.
 */
export function planKeyIndexes(
  dialect: Dialect, target: SqlTarget, declared: readonly KeyIndex[], existing: { indexes: readonly string[]; columns: readonly string[] },
): KeyAction[] {
  const q = target.quote;
  const table = qualified(target, RESOURCES);
  const wanted = new Set(declared.map((d) => d.name));
  const indexes = new Set(existing.indexes);
  const columns = new Set(existing.columns);
  const actions: KeyAction[] = [];
  for (const name of existing.indexes) {
    if (wanted.has(name)) continue;
    actions.push({ kind: "drop-index", name, sql: DIALECT_SQL[dialect].dropIndex(name, { target, table }) });
  }
  for (const name of existing.columns) {
    if (!wanted.has(name)) actions.push({ kind: "drop-column", name, sql: `ALTER TABLE ${table} DROP COLUMN ${q(name)}` });
  }
  for (const index of declared) {
    if (!indexes.has(index.name)) actions.push(...createActions(dialect, target, index, columns.has(index.name)));
  }
  return actions;
}
