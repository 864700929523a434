/**
 * Rules of EntityPropertyExpression (README, Entity property expressions): the target property
 * exists and is not synchronized, one expression per property, and the expression is one idm-toolkit
 * runs: CEL or C# that parses and whose `resource.X.Y` chains name properties (through navigations to
 * their target types), or a literal of the property's type. Problems inside an Expression or
 * Binding point at the offending character of the value.
 */
import { RESOURCE_VARIABLE } from "../domain/expressions/resource-variable.js";
import { FUNCTION_BODY_START, functionAsCSharp, literalValue, readExpressionForm, type ExpressionForm } from "../domain/expressions/expression-forms.js";
import { compileCSharp, storableKind } from "../domain/expressions/csharp/compile-csharp.js";
import { resolveChain, resourceChains, type ResourceChain } from "../domain/expressions/resource-paths.js";
import type { EntityModel, EntityTypeDefinition, PropertyModel, PropertyType } from "../domain/resources/entity-model.js";
import { attributeValuePosition } from "./attribute-value-position.js";
import { parseCel } from "./cel-syntax.js";
import { position } from "./check-attributes.js";
import type { ConfigElement, Configuration } from "./configuration.js";
import { closestName } from "./did-you-mean.js";
import { formatPosition, type Problem, type ProblemCode, type SourcePosition } from "./problems.js";
import { findAttribute, type XmlAttribute } from "./xml-tree.js";

/** The text of a configuration file (relative path), to place problems inside attribute values. */
export type SourceReader = (file: string) => string | undefined;

const INTERNAL_DISPLAY_NAME = "InternalDisplayName";
const NAVIGATION_TYPES = new Set(["ForeignKey", "Int64"]);

export function checkExpressions(configuration: Configuration, problems: Problem[], readSource: SourceReader): void {
  const expressions = configuration.models.filter((m) => m.spec.name === "EntityPropertyExpression");
  if (expressions.length === 0) return;
  const sources = new Map<string, string | undefined>();
  const cachedSource: SourceReader = (file) => {
    if (!sources.has(file)) sources.set(file, readSource(file));
    return sources.get(file);
  };
  new ExpressionChecker(configuration.models, problems, cachedSource).check(expressions);
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** The entity model as written in the configuration, in the deployed model's shape (resources/entity-model.ts). */
export function configurationEntityModel(models: readonly ConfigElement[]): EntityModel {
  const entityTypes = new Map<string, EntityTypeDefinition>();
  for (const type of models.filter((m) => m.spec.name === "EntityType")) {
    const identifier = text(type.attributes.Identifier);
    if (identifier === undefined || entityTypes.has(identifier)) continue;
    const properties = new Map<string, PropertyModel>();
    for (const p of type.children.filter((c) => c.spec.name === "Property")) {
      const id = text(p.attributes.Identifier);
      if (id !== undefined) properties.set(id, { identifier: id, type: (text(p.attributes.Type) ?? "String") as PropertyType, isKey: p.attributes.IsKey === true });
    }
    if (!properties.has(INTERNAL_DISPLAY_NAME)) properties.set(INTERNAL_DISPLAY_NAME, { identifier: INTERNAL_DISPLAY_NAME, type: "String", isKey: false });
    entityTypes.set(identifier, { identifier, properties });
  }
  const associations: EntityModel["associations"] = new Map();
  for (const a of models.filter((m) => m.spec.name === "EntityAssociation")) {
    const end = (n: 1 | 2) => {
      const [entityType, property] = (text(a.attributes[`Property${n}`]) ?? "").split(":");
      return entityType && property ? { entityType, property, collection: a.attributes[`IsProperty${n}Collection`] === true } : undefined;
    };
    const from = end(1);
    const to = end(2);
    const identifier = text(a.attributes.Identifier);
    if (!from || !to || identifier === undefined) continue;
    associations.set(identifier, { identifier, from, to });
    for (const [side, other, linkEnd] of [[from, to, "from"], [to, from, "to"]] as const) {
      const property = entityTypes.get(side.entityType)?.properties.get(side.property);
      if (property) property.navigation = { association: identifier, end: linkEnd, target: other.entityType, inverse: other.property, collection: side.collection };
    }
  }
  return { entityTypes, associations };
}

class ExpressionChecker {
  readonly model: EntityModel;
  /** `EntityType:Property` → the EntityTypeMapping Property that synchronizes it. */
  readonly synchronized = new Map<string, ConfigElement>();

  constructor(
    models: readonly ConfigElement[],
    readonly problems: Problem[],
    readonly readSource: SourceReader,
  ) {
    this.model = configurationEntityModel(models);
    for (const mapping of models.filter((m) => m.spec.name === "EntityTypeMapping")) {
      for (const p of mapping.children.filter((c) => c.spec.name === "Property")) {
        this.synchronized.set(`${String(mapping.attributes.Identifier)}:${String(p.attributes.Identifier)}`, p);
      }
    }
  }

  check(expressions: readonly ConfigElement[]): void {
    const targets = new Map<string, ConfigElement>();
    for (const element of expressions) {
      const entityType = text(element.attributes.EntityType);
      const property = text(element.attributes.Property);
      const type = entityType === undefined ? undefined : this.model.entityTypes.get(entityType);
      // An unknown EntityType is check-references' unresolved-reference (x-ref).
      if (!type || property === undefined) continue;
      const target = this.#target(element, type, property);
      if (!target) continue;
      const key = `${entityType}:${property}`;
      const first = targets.get(key);
      if (first) {
        this.#report("duplicate-identifier", this.#at(element, "Property"),
          `EntityPropertyExpression "${String(element.attributes.Identifier)}": ${key} is already computed by EntityPropertyExpression "${String(first.attributes.Identifier)}" at ${formatPosition(position(first.xml))}`,
          "a property has one expression: remove one, or merge them with a conditional (a ? b : c)", position(first.xml));
      } else targets.set(key, element);
      this.#expression(element, type, target);
    }
  }

  #target(element: ConfigElement, type: EntityTypeDefinition, property: string): PropertyModel | undefined {
    const at = this.#at(element, "Property");
    const target = type.properties.get(property);
    if (!target) {
      const closest = closestName(property, type.properties.keys());
      this.#report("unresolved-reference", at, `EntityPropertyExpression Property="${property}": EntityType ${type.identifier} has no Property ${property}`,
        closest === undefined ? undefined : `did you mean ${closest}?`);
      return undefined;
    }
    if (NAVIGATION_TYPES.has(target.type) && target.navigation) {
      this.#report("invalid-value", at, `EntityPropertyExpression Property="${property}" is not valid: ${type.identifier}:${property} is a navigation property; idm-toolkit computes scalar properties only (PropertyCriteria is not supported)`);
      return undefined;
    }
    const mapped = this.synchronized.get(`${type.identifier}:${property}`);
    if (mapped) {
      this.#report("invalid-value", at,
        `EntityPropertyExpression Property="${property}" is not valid: ${type.identifier}:${property} is synchronized by EntityTypeMapping ${type.identifier} (${formatPosition(position(mapped.xml))}); a property is either synchronized or computed`,
        "compute another property, or remove it from the EntityTypeMapping", position(mapped.xml));
      return undefined;
    }
    return target;
  }

  #expression(element: ConfigElement, type: EntityTypeDefinition, target: PropertyModel): void {
    const id = String(element.attributes.Identifier);
    const form = readExpressionForm(text(element.attributes.Expression), text(element.attributes.Binding));
    const expressionAt = this.#at(element, "Expression");
    switch (form.kind) {
      case "none":
        this.#report("missing-attribute", element.xml, `EntityPropertyExpression "${id}" needs an Expression or a Binding`,
          `e.g. Expression="CEL:${RESOURCE_VARIABLE}.LastName + &quot; &quot; + ${RESOURCE_VARIABLE}.FirstName"`);
        return;
      case "literal":
        try {
          literalValue(form.value, target.type);
        } catch (error) {
          this.#report("invalid-value", expressionAt, `EntityPropertyExpression "${id}" Expression is not valid: ${(error as Error).message} (${type.identifier}:${target.identifier} is a ${target.type})`);
        }
        return;
      case "csharp":
        this.#csharp(element, type, target, form);
        return;
      case "function":
        this.#function(element, type, form);
        return;
      case "unknown":
        this.#report("invalid-expression", expressionAt, `EntityPropertyExpression "${id}" Expression="${form.text}": an Expression starts with CEL: or Literal:`,
          `e.g. Expression="CEL:${RESOURCE_VARIABLE}.LastName"`);
        return;
      case "cel":
        this.#cel(element, type, form);
    }
  }

  /** The position of a character of an attribute's value (`index` from the start of the value). */
  #inValue(element: ConfigElement, attribute: string): (index: number) => SourcePosition {
    const attr = findAttribute(element.xml, attribute);
    return (index) => {
      const source = attr && this.readSource(attr.span.file);
      return attr && source !== undefined ? attributeValuePosition(source, attr, Math.max(0, index)) : position(attr ?? element.xml);
    };
  }

  #csharp(element: ConfigElement, type: EntityTypeDefinition, target: PropertyModel, form: Extract<ExpressionForm, { kind: "csharp" }>): void {
    const id = String(element.attributes.Identifier);
    const inValue = this.#inValue(element, "Expression");
    const { program, problems } = compileCSharp(form.variable, form.body, { model: this.model, entityType: type.identifier });
    for (const problem of problems) {
      this.#reportAt("invalid-expression", inValue(form.offset + problem.start), `EntityPropertyExpression "${id}" Expression is not valid C#: ${problem.message}`, problem.hint);
    }
    if (!program) return;
    if (form.variable !== undefined) this.#chains(id, "Expression", type, form.variable, program.chains, (index) => inValue(form.offset + index));
    for (const shape of program.returns.filter((r) => !storableKind(r.kind, target.type))) {
      this.#reportAt("invalid-expression", inValue(form.offset + shape.start),
        `EntityPropertyExpression "${id}" Expression returns a ${shape.kind === "bool" ? "bool" : shape.kind === "date" ? "DateTime" : shape.kind} where ${type.identifier}:${target.identifier} is a ${target.type}`);
    }
  }

  /** `ToUpper` with a Binding: the C# `resource.<Binding>.ToUpper()`; the Binding's names are reported where it is written. */
  #function(element: ConfigElement, type: EntityTypeDefinition, form: Extract<ExpressionForm, { kind: "function" }>): void {
    const id = String(element.attributes.Identifier);
    if (form.binding === undefined) {
      this.#report("missing-attribute", element.xml, `EntityPropertyExpression "${id}": the function ${form.name} applies to the value of a Binding, and there is none`,
        `add Binding="<property path>", e.g. Binding="LastName"`);
      return;
    }
    const { variable, body } = functionAsCSharp(form, form.binding);
    const { program, problems } = compileCSharp(variable, body, { model: this.model, entityType: type.identifier });
    const expressionAt = position(this.#at(element, "Expression"));
    for (const problem of problems) {
      this.#reportAt("invalid-expression", expressionAt, `EntityPropertyExpression "${id}" Expression="${String(element.attributes.Expression)}" is not valid: ${problem.message}`, problem.hint);
    }
    const bindingAt = this.#inValue(element, "Binding");
    if (program) this.#chains(id, "Binding", type, RESOURCE_VARIABLE, program.chains, (index) => bindingAt(index - FUNCTION_BODY_START.length));
  }

  #cel(element: ConfigElement, type: EntityTypeDefinition, form: Extract<ExpressionForm, { kind: "cel" }>): void {
    const id = String(element.attributes.Identifier);
    const valueAt = this.#inValue(element, form.attribute);
    const inValue = (index: number): SourcePosition => valueAt(index + form.offset);
    let parsed;
    try {
      parsed = parseCel(form.source);
    } catch (error) {
      const e = error as Error & { rawMessage?: string; location?: { start?: { offset?: number } } };
      this.#reportAt("invalid-expression", inValue(e.location?.start?.offset ?? 0),
        `EntityPropertyExpression "${id}" ${form.attribute} is not valid ${form.attribute === "Binding" ? "(a path of properties, e.g. Manager.LastName)" : "CEL"}: ${e.rawMessage ?? e.message}`);
      return;
    }
    this.#chains(id, form.attribute, type, RESOURCE_VARIABLE, resourceChains(parsed, form.source), inValue);
  }

  /** Each `<variable>.A.B…` chain must name properties, through navigations to their target types. */
  #chains(id: string, attribute: string, type: EntityTypeDefinition, variable: string, chains: readonly ResourceChain[], inValue: (index: number) => SourcePosition): void {
    for (const chain of chains) {
      const resolved = resolveChain(this.model, type.identifier, chain.fields, chain.elements);
      if (resolved.ok) continue;
      if (attribute === "Binding" && this.#namesFileId(resolved.entityType, chain.fields, resolved.index)) {
        const binary = chain.fields[resolved.index - 1]!;
        this.problems.push({
          code: "unsupported-expression", severity: "warning", ...inValue(chain.offsets[resolved.index]!),
          message: `EntityPropertyExpression "${id}" Binding="${chain.fields.join(".")}" names the file of the Binary property ${resolved.entityType}:${binary}, as the product accepts; ` +
            "idm-toolkit does not store files apart from their property: the expression is deployed, and UpdateEntityPropertyExpressionsTask fails on it",
          hint: `Binding="${chain.fields.slice(0, -1).join(".")}" copies the binary value itself`,
        });
        continue;
      }
      const name = chain.fields[resolved.index]!;
      const path = `${variable}.${chain.fields.slice(0, resolved.index + 1).join(".")}`;
      const closest = resolved.through === undefined ? closestName(name, resolved.candidates) : undefined;
      this.#reportAt("unresolved-reference", inValue(chain.offsets[resolved.index]!),
        `EntityPropertyExpression "${id}" ${attribute}: ${path}: ${resolved.through ?? `EntityType ${resolved.entityType} has no Property ${name}`}`,
        closest === undefined ? undefined : `did you mean ${closest}?`);
    }
  }

  /** `….Photo.Id` where Photo is a Binary property: the product's id of the stored file. */
  #namesFileId(entityType: string, fields: readonly string[], index: number): boolean {
    if (index !== fields.length - 1 || index === 0 || fields[index] !== "Id") return false;
    return this.model.entityTypes.get(entityType)?.properties.get(fields[index - 1]!)?.type === "Binary";
  }

  #at(element: ConfigElement, name: string): XmlAttribute | ConfigElement["xml"] {
    return findAttribute(element.xml, name) ?? element.xml;
  }

  #report(code: ProblemCode, at: XmlAttribute | ConfigElement["xml"], message: string, hint?: string, related?: SourcePosition): void {
    this.#reportAt(code, position(at), message, hint, related);
  }

  #reportAt(code: ProblemCode, at: SourcePosition, message: string, hint?: string, related?: SourcePosition): void {
    this.problems.push({ code, severity: "error", message, ...at, ...(hint ? { hint } : {}), ...(related ? { related: [related] } : {}) });
  }
}
