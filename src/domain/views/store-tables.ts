/**
 * The store's tables and columns the views and key indexes read (migrations/0003-resource-store.ts,
 * frozen: these names do not change), and how to name them in the store's schema.
 */
import type { Quote } from "./sql-text.js";

export const RESOURCES = "idm_resources";
export const LINKS = "idm_resource_links";
/** Prefix of the key indexes and of SQL Server's computed columns behind them. */
export const INDEX_PREFIX = "IXC_";

export const COLUMN = {
  id: "id", entityType: "entity_type", sourceKey: "source_key", validFrom: "valid_from", properties: "properties",
  association: "association", fromResourceId: "from_resource_id", toResourceId: "to_resource_id",
} as const;

/** Where the statements go: the dialect's quoting and the schema that holds idm_resources (none on SQLite). */
export interface SqlTarget {
  quote: Quote;
  schema: string | undefined;
}

export function qualified(target: SqlTarget, name: string): string {
  return target.schema === undefined ? target.quote(name) : `${target.quote(target.schema)}.${target.quote(name)}`;
}
