/**
 * Checks one element's attributes against its schema and returns them typed. Unknown attributes
 * are reported by the catalog's attribute list (for a did-you-mean); the rest by ajv.
 */
import type { ErrorObject } from "ajv";
import { coerceAttribute, describeAccepted, type AttributeValue } from "./coerce-attribute.js";
import { closestName } from "./did-you-mean.js";
import type { Problem } from "./problems.js";
import type { ElementSpec } from "./schema/catalog.js";
import { VENDOR_ATTRIBUTES } from "./vendor-attributes.js";
import type { XmlAttribute, XmlElement } from "./xml-tree.js";

/** Namespace declarations and xsi:* are XML plumbing, not configuration. */
function isXmlPlumbing(name: string): boolean {
  return name === "xmlns" || name.startsWith("xmlns:") || name.startsWith("xsi:");
}

/** `partial`: an overlay fragment (Merge, Delete), whose required attributes the item it changes holds. */
export function checkAttributes(xml: XmlElement, spec: ElementSpec, problems: Problem[], partial = false): Record<string, AttributeValue> {
  const values: Record<string, AttributeValue> = {};
  const unknown: XmlAttribute[] = [];
  for (const attr of xml.attributes) {
    if (isXmlPlumbing(attr.name)) continue;
    const attrSpec = spec.attributes.get(attr.name);
    // Read by the configuration reader (vendor-attributes.ts), never taken for a misnamed attribute.
    if (!attrSpec && VENDOR_ATTRIBUTES.has(attr.name)) continue;
    if (attrSpec) values[attr.name] = coerceAttribute(attrSpec, attr.value);
    else unknown.push(attr);
  }
  const missing = new Set<string>();
  if (!spec.validate(values)) {
    for (const error of spec.validate.errors ?? []) {
      if (error.keyword === "required" && !partial) missing.add((error.params as { missingProperty: string }).missingProperty);
    }
    reportInvalidValues(xml, spec, spec.validate.errors ?? [], problems);
  }
  // One misnamed attribute standing for the one missing required attribute is one mistake
  // (the vendor's own pages write <TaskEntityType Identifier="X"/> for EntityType="X").
  const renamed = unknown.length === 1 && missing.size === 1 ? [...missing][0] : undefined;
  for (const attr of unknown) reportUnknown(xml, spec, attr, renamed, problems);
  if (renamed !== undefined) missing.delete(renamed);
  for (const name of missing) {
    problems.push({
      code: "missing-attribute",
      severity: "error",
      message: `${xml.name} requires the attribute ${name}`,
      ...position(xml),
    });
  }
  return values;
}

export function applyDefaults(spec: ElementSpec, values: Record<string, AttributeValue>): void {
  for (const attr of spec.attributes.values()) {
    if (attr.default !== undefined && !(attr.name in values)) values[attr.name] = attr.default;
  }
}

function reportUnknown(xml: XmlElement, spec: ElementSpec, attr: XmlAttribute, missingRenamed: string | undefined, problems: Problem[]): void {
  // A name another reference page gives this attribute, or the one missing required attribute.
  const renamed = spec.renamed[attr.name] ?? missingRenamed;
  const closest = renamed ?? closestName(attr.name, spec.attributes.keys());
  const hint = renamed !== undefined
    ? `write ${renamed}="${attr.value}" (${xml.name} has no ${attr.name} attribute)`
    : closest !== undefined ? `did you mean ${closest}?` : undefined;
  problems.push({
    code: "unknown-attribute",
    severity: spec.open ? "warning" : "error",
    message: spec.open
      ? `${xml.name} attribute ${attr.name} is not modelled by idm-toolkit yet and is ignored`
      : `${xml.name} has no attribute ${attr.name}`,
    ...position(attr),
    ...(hint ? { hint } : {}),
  });
}

function reportInvalidValues(xml: XmlElement, spec: ElementSpec, errors: ErrorObject[], problems: Problem[]): void {
  const reported = new Set<string>();
  for (const error of errors) {
    const name = error.instancePath.slice(1);
    if (!name || reported.has(name)) continue;
    reported.add(name);
    const attrSpec = spec.attributes.get(name)!;
    const attr = xml.attributes.find((a) => a.name === name)!;
    const accepted = ["type", "enum"].includes(error.keyword) ? describeAccepted(attrSpec)
      : error.keyword === "pattern" ? attrSpec.expected : undefined;
    const closest = attrSpec.type === "enum" ? closestName(attr.value, attrSpec.enumNames ?? []) : undefined;
    problems.push({
      code: "invalid-value",
      severity: "error",
      message: accepted
        ? `${xml.name} ${name}="${attr.value}" is not valid: expected ${accepted}`
        : `${xml.name} ${name}="${attr.value}" is not valid: ${error.message}`,
      ...position(attr),
      ...(closest ? { hint: `did you mean ${closest}?` } : {}),
    });
  }
}

export function position(node: XmlElement | XmlAttribute): { file: string; line: number; column: number } {
  return { file: node.span.file, line: node.span.line, column: node.span.column };
}
