/**
 * The stored form of a resource's properties and its hash. Properties are stored as canonical JSON
 * (keys sorted, absent and null values left out, dates as ISO 8601 UTC text) and `hash` is the
 * SHA-256 of the synchronized properties' text: two resources have the same synchronized properties
 * exactly when their hashes are equal, which is all a Complete diff compares. The stored text may
 * also hold computed properties (UpdateEntityPropertyExpressions writes them without changing the
 * hash); a synchronization keeps them when it writes a new version.
 */
import { hash } from "node:crypto";
import type { PropertyValue } from "../../store/entities.js";

export type PropertyInput = PropertyValue | Date | null | undefined;
export type Properties = Record<string, PropertyValue>;

/** The stored form of a resource's properties (see the top of this file). */
export function encodeProperties(properties: Readonly<Record<string, PropertyInput>>): string {
  const sorted: Properties = {};
  for (const name of Object.keys(properties).sort()) {
    const value = properties[name];
    if (value === null || value === undefined) continue;
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`property ${name} is ${value}: only finite numbers can be stored`);
    sorted[name] = value instanceof Date ? value.toISOString() : value;
  }
  return JSON.stringify(sorted);
}

/** Properties already in their stored form (encodeProperties' text), written as they are. */
export class EncodedProperties {
  constructor(readonly text: string) {}
}

/** Properties to write: values to encode, or text already encoded. */
export type PropertiesInput = Readonly<Record<string, PropertyInput>> | EncodedProperties;

export function storedText(properties: PropertiesInput): string {
  return properties instanceof EncodedProperties ? properties.text : encodeProperties(properties);
}

export function decodeProperties(json: string): Properties {
  return JSON.parse(json) as Properties;
}

/** SHA-256 (hex) of the stored properties text; the one-shot hash() costs half of createHash() per call, and sync calls it per row. */
export function hashProperties(encoded: string): string {
  return hash("sha256", encoded, "hex");
}
