/**
 * Rules of the access control and access certification elements beyond their schemas and
 * references (README, Access control): the entry the product refuses to deploy, the properties an
 * AccessControlEntityType groups, and the attribute pairs the reference says go together.
 */
import { position } from "./check-attributes.js";
import { memberIdentifiers, type ConfigElement } from "./configuration.js";
import { closestName } from "./did-you-mean.js";
import type { Problem } from "./problems.js";
import { findAttribute } from "./xml-tree.js";

export function checkAccessControl(models: readonly ConfigElement[], problems: Problem[]): void {
  const entityTypes = new Map<string, ConfigElement>();
  for (const m of models) {
    if (m.spec.name === "EntityType" && typeof m.attributes.Identifier === "string" && !entityTypes.has(m.attributes.Identifier)) {
      entityTypes.set(m.attributes.Identifier, m);
    }
  }
  for (const model of models) {
    if (model.spec.name === "AccessControlRule") rootEntries(model, problems);
    else if (model.spec.name === "AccessControlEntityType") groupedProperties(model, entityTypes, problems);
    else if (model.spec.name === "ProfileRuleContext") evaluatedOn(model, problems);
    else if (model.spec.name === "AccessCertificationOwnerFilter") modificationPair(model, problems);
  }
}

/** `Permission="/"` with CanExecute gives a profile every right: the product's deploy refuses it. */
function rootEntries(rule: ConfigElement, problems: Problem[]): void {
  for (const entry of rule.children) {
    if (entry.spec.name !== "Entry" || entry.attributes.Permission !== "/" || entry.attributes.CanExecute !== true) continue;
    problems.push({
      code: "invalid-value", severity: "error", ...position(findAttribute(entry.xml, "CanExecute") ?? entry.xml),
      message: `AccessControlRule "${String(rule.attributes.Identifier)}": an Entry with Permission="/" and CanExecute="true" gives every right; the product refuses to deploy it`,
      hint: "grant the permissions the profile needs (/Custom/Resources/<EntityType>/View...), or drop CanExecute to give the root only for its property groups",
    });
  }
}

/** The grouped properties belong to the entity type, when the configuration declares it (a built-in one is not checked). */
function groupedProperties(element: ConfigElement, entityTypes: Map<string, ConfigElement>, problems: Problem[]): void {
  const entityType = entityTypes.get(String(element.attributes.Identifier));
  if (entityType === undefined) return;
  const properties = memberIdentifiers(entityType, "Property");
  for (const child of element.children) {
    const id = String(child.attributes.Identifier);
    if (properties.includes(id)) continue;
    const closest = closestName(id, properties);
    problems.push({
      code: "unresolved-reference", severity: "error", ...position(findAttribute(child.xml, "Identifier") ?? child.xml),
      message: `AccessControlEntityType ${entityType.attributes.Identifier as string}: the entity type has no Property ${id}`,
      ...(closest ? { hint: `did you mean ${closest}?` } : {}),
    });
  }
}

/** Rules are evaluated on the owners of ResourceType, else on EntityType: with neither, on nothing. */
function evaluatedOn(context: ConfigElement, problems: Problem[]): void {
  if (context.attributes.ResourceType !== undefined || context.attributes.EntityType !== undefined) return;
  problems.push({
    code: "missing-attribute", severity: "warning", ...position(context.xml),
    message: "ProfileRuleContext names neither ResourceType nor EntityType: its profile rules have nothing to be evaluated on",
  });
}

/** OwnerLastModificationDate selects the owners whose OwnerLastModificationDateBinding changed since: one without the other means nothing. */
function modificationPair(filter: ConfigElement, problems: Problem[]): void {
  const [date, binding] = ["OwnerLastModificationDate", "OwnerLastModificationDateBinding"];
  const has = (name: string): boolean => filter.attributes[name] !== undefined;
  if (has(date) === has(binding)) return;
  const [present, missing] = has(date) ? [date, binding] : [binding, date];
  problems.push({
    code: "missing-attribute", severity: "warning", ...position(findAttribute(filter.xml, present) ?? filter.xml),
    message: `AccessCertificationOwnerFilter has ${present} without ${missing}: the reference says to set both`,
  });
}
