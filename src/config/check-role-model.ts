/**
 * Rules of the role model that go beyond "this identifier exists" (check-references.ts does that
 * for every x-ref): the properties a resource type's rules, a record section and a dimension name
 * belong to the entity type they are read on; dimension-indexed attributes (D<n>, L<n>, B<n>, R<n>,
 * P<n>) name a declared dimension; a navigation rule says what it assigns. Each rule is written
 * in the README (Role model).
 */
import { position } from "./check-attributes.js";
import { memberIdentifiers, type ConfigElement, type Configuration } from "./configuration.js";
import { closestName } from "./did-you-mean.js";
import { formatPosition, type Problem } from "./problems.js";
import { findAttribute } from "./xml-tree.js";

/** The rule children of a ResourceType that name a property of its TargetEntityType. */
const TARGET_PROPERTY_RULES: ReadonlySet<string> = new Set(["NavigationRule", "QueryRule", "ScalarRule", "BinaryRule"]);

/** Properties every entity type has without declaring them. */
const BUILT_IN_PROPERTY = /^(Id|InternalDisplayName(_L\d+)?)$/;

/** base32hex digits of a dimension-indexed attribute's suffix: D0…D9, DA…DV, D10…D3V. */
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUV";

export function checkRoleModel(configuration: Configuration, problems: Problem[]): void {
  new RoleModelChecker(configuration.models, problems).check();
}

/** The dimension (ColumnMapping) a dimension-indexed attribute's suffix names: DA → 10, D10 → 32. */
export function dimensionColumn(suffix: string): number {
  return [...suffix].reduce((n, c) => n * 32 + DIGITS.indexOf(c), 0);
}

class RoleModelChecker {
  readonly entityTypes = new Map<string, ConfigElement>();
  /** ColumnMapping → the first Dimension that takes it. */
  readonly columns = new Map<number, ConfigElement>();

  constructor(
    readonly models: ConfigElement[],
    readonly problems: Problem[],
  ) {
    for (const model of models) {
      if (model.spec.name === "EntityType" && typeof model.attributes.Identifier === "string" && !this.entityTypes.has(model.attributes.Identifier)) {
        this.entityTypes.set(model.attributes.Identifier, model);
      }
    }
  }

  check(): void {
    for (const model of this.models) if (model.spec.name === "Dimension") this.#dimension(model);
    for (const model of this.models) {
      if (model.spec.name === "ResourceType") this.#resourceType(model);
      else if (model.spec.name === "RecordSection") this.#recordSection(model);
      this.#dimensionAttributes(model);
    }
  }

  #dimension(dimension: ConfigElement): void {
    const column = dimension.attributes.ColumnMapping;
    if (typeof column === "number") {
      const first = this.columns.get(column);
      if (first === undefined) this.columns.set(column, dimension);
      else {
        this.#warn(dimension, "ColumnMapping", "duplicate-identifier",
          `Dimension "${String(dimension.attributes.Identifier)}" ColumnMapping="${column}": Dimension "${String(first.attributes.Identifier)}" at ${formatPosition(position(first.xml))} already takes column ${column}; rules could not tell the two apart`);
      }
    }
    const parent = dimension.attributes.ParentProperty;
    if (typeof parent === "string") this.#property(dimension, "ParentProperty", parent, dimension.attributes.EntityType);
    else if (dimension.attributes.IsHierarchical === true) {
      this.#warn(dimension, "IsHierarchical", "missing-attribute",
        `Dimension "${String(dimension.attributes.Identifier)}" IsHierarchical="true" without ParentProperty: the reference requires the navigation that forms the tree`);
    }
  }

  #resourceType(resourceType: ConfigElement): void {
    const target = resourceType.attributes.TargetEntityType;
    for (const rule of resourceType.children) {
      if (TARGET_PROPERTY_RULES.has(rule.spec.name) && typeof rule.attributes.Property === "string") {
        this.#property(rule, "Property", rule.attributes.Property, target);
      }
      if (rule.spec.name === "NavigationRule") this.#navigationRule(rule);
    }
  }

  #navigationRule(rule: ConfigElement): void {
    const { Resource: resource, ResourceFromDimension: fromDimension, SingleRole: role } = rule.attributes;
    if (resource !== undefined && fromDimension !== undefined) {
      this.#warn(rule, "ResourceFromDimension", "invalid-value", "NavigationRule has both Resource and ResourceFromDimension: the reference allows one of them");
    } else if (resource === undefined && fromDimension === undefined) {
      this.#warn(rule, undefined, "missing-attribute", "NavigationRule has neither Resource nor ResourceFromDimension: it assigns nothing");
    } else if (fromDimension !== undefined && role === undefined) {
      this.#warn(rule, "ResourceFromDimension", "missing-attribute", "NavigationRule with ResourceFromDimension has no SingleRole: the reference requires one");
    }
  }

  #recordSection(section: ConfigElement): void {
    const type = section.attributes.ResourceEntityType;
    for (const name of ["StartProperty", "EndProperty"]) {
      const value = section.attributes[name];
      if (typeof value === "string") this.#property(section, name, value, type);
    }
    for (const property of section.children) {
      if (typeof property.attributes.Property === "string") this.#property(property, "Property", property.attributes.Property, type);
    }
  }

  /**
   * `value` names a property of the entity type `owner`: bare, or written `owner:name`. An entity
   * type the configuration does not declare was reported by check-references; nothing more here.
   */
  #property(element: ConfigElement, name: string, value: string, owner: unknown): void {
    if (typeof owner !== "string") return;
    const type = this.entityTypes.get(owner);
    if (type === undefined) return;
    const separator = value.indexOf(":");
    const [written, property] = separator > 0 ? [value.slice(0, separator), value.slice(separator + 1)] : [owner, value];
    const attr = findAttribute(element.xml, name) ?? element.xml;
    if (written !== owner) {
      this.problems.push({
        code: "unresolved-reference", severity: "error", ...position(attr),
        message: `${element.spec.name} ${name}="${value}": ${written} is not ${owner}, the entity type this property is read on`,
        hint: `write ${property} or ${owner}:${property}`,
      });
      return;
    }
    const properties = memberIdentifiers(type, "Property");
    if (properties.includes(property) || BUILT_IN_PROPERTY.test(property)) return;
    const closest = closestName(property, properties);
    this.problems.push({
      code: "unresolved-reference", severity: "error", ...position(attr),
      message: `${element.spec.name} ${name}="${value}": EntityType ${owner} has no Property ${property}`,
      ...(closest === undefined ? {} : { hint: `did you mean ${separator > 0 ? `${owner}:` : ""}${closest}?` }),
    });
  }

  /** D<n>, L<n>, B<n>, R<n>, P<n> name dimension n: a warning when no Dimension takes that column (it may come from a module not given). */
  #dimensionAttributes(element: ConfigElement): void {
    for (const name of Object.keys(element.attributes)) {
      const spec = element.spec.attributes.get(name);
      if (spec?.group === undefined || !spec.group.startsWith("Dimension")) continue;
      const column = dimensionColumn(name.slice(1));
      if (this.columns.has(column)) continue;
      this.#warn(element, name, "unresolved-reference",
        `${element.spec.name} ${name}: no Dimension has ColumnMapping="${column}" (the column ${name.slice(1)} names, in base32hex)`);
    }
    for (const child of element.children) this.#dimensionAttributes(child);
  }

  #warn(element: ConfigElement, name: string | undefined, code: Problem["code"], message: string): void {
    const at = name === undefined ? element.xml : findAttribute(element.xml, name) ?? element.xml;
    this.problems.push({ code, severity: "warning", message, ...position(at) });
  }
}
