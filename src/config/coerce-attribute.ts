/**
 * XML attribute values are strings; the schemas speak JSON types. The reference product accepts
 * booleans as true/false/1/0 and enums by name or number, so values are converted here, before
 * schema validation. A value that cannot be converted is left as the original string, and the
 * schema then reports it as invalid.
 */
import type { AttributeSpec } from "./schema/catalog.js";

export type AttributeValue = string | number | boolean;

const TRUE = /^(true|1)$/i;
const FALSE = /^(false|0)$/i;
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function coerceAttribute(spec: AttributeSpec, raw: string): AttributeValue {
  const value = raw.trim();
  switch (spec.type) {
    case "boolean":
      return TRUE.test(value) ? true : FALSE.test(value) ? false : raw;
    case "integer":
      return INTEGER.test(value) ? Number(value) : raw;
    case "number":
      return NUMBER.test(value) ? Number(value) : raw;
    case "enum":
      return enumName(spec, value) ?? raw;
    case "string":
      return raw;
  }
}

/**
 * The stored name of an enum value written by name (any case) or number. Names that share a number
 * are spellings of one value (x-enum-numbers [0, 1, 1]: the reference names it in two ways); the
 * first of them is the one stored.
 */
function enumName(spec: AttributeSpec, value: string): string | undefined {
  const names = spec.enumNames ?? [];
  const numbers = spec.enumNumbers;
  const lower = value.toLowerCase();
  const byName = names.findIndex((n) => n.toLowerCase() === lower);
  if (byName !== -1) return numbers === undefined ? names[byName] : names[numbers.indexOf(numbers[byName]!)];
  if (!INTEGER.test(value)) return undefined;
  const index = numbers?.indexOf(Number(value)) ?? -1;
  return index === -1 ? undefined : names[index];
}

/** Human description of the values an attribute accepts, for error messages. */
export function describeAccepted(spec: AttributeSpec): string {
  switch (spec.type) {
    case "boolean":
      return "true, false, 1 or 0";
    case "integer":
      return "an integer";
    case "number":
      return "a number (a dot for decimals)";
    case "enum":
      return (spec.enumNames ?? []).map((n, i) => (spec.enumNumbers ? `${n} (${spec.enumNumbers[i]})` : n)).join(", ");
    case "string":
      return "a string";
  }
}

/**
 * Reading a stored item's attribute (coerced at validation, but read back from JSON): a value that is
 * absent or empty is no value.
 */
export function attributeText(value: AttributeValue | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : String(value);
}

/** A stored boolean attribute: true, 1 or "true"/"1" in any case. */
export function isTrueAttribute(value: AttributeValue | undefined): boolean {
  return value === true || value === 1 || (typeof value === "string" && TRUE.test(value));
}
