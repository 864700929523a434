/**
 * Rules of the entity model and its synchronization mappings that go beyond "this identifier
 * exists" (check-references.ts does that, for every x-ref of the schemas): reserved identifiers,
 * keys, storage columns, association ends, and that a mapping, its connector, its connection
 * table and its association agree. Each rule is written in the README (Model elements).
 */
import { position } from "./check-attributes.js";
import { memberIdentifiers, type ConfigElement, type Configuration } from "./configuration.js";
import { closestName } from "./did-you-mean.js";
import { formatPosition, type Problem, type ProblemCode } from "./problems.js";
import { valueFormat } from "./value-formats.js";
import { findAttribute, type XmlAttribute, type XmlElement } from "./xml-tree.js";

/** Identifiers an entity type or property cannot take, in any case (the reference's list). */
export const RESERVED_IDENTIFIERS = [
  "Id", "if", "for", "while", "return", "break", "else", "continue", "ref", "out", "class", "interface", "struct",
  "foreach", "do", "char", "byte", "string", "int", "long", "null", "public", "private", "protected", "static",
  "const", "abstract", "try", "catch", "sealed", "void", "true", "false", "finally", "throw", "Exception", "override",
  "readonly", "enum", "delegate",
];
const RESERVED = new Set(RESERVED_IDENTIFIERS.map((r) => r.toLowerCase()));

/** Property types an association end may have: ForeignKey, and Int64 as the reference's examples write navigations. */
const NAVIGATION_TYPES = new Set(["ForeignKey", "Int64"]);
const OPTIMIZED_NAVIGATION = { from: 128, to: 152 };
const MAX_UNIQUE_KEYS = 3;

export function checkModel(configuration: Configuration, problems: Problem[]): void {
  new ModelChecker(configuration.models, problems).check();
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** `EntityType:Property` split in two, or undefined when the value is not written that way. */
function splitMember(value: unknown): [string, string] | undefined {
  if (typeof value !== "string") return undefined;
  const i = value.indexOf(":");
  return i > 0 && i < value.length - 1 ? [value.slice(0, i), value.slice(i + 1)] : undefined;
}

class ModelChecker {
  /** Kind → identifier → the first element (later duplicates are check-references' problem). */
  readonly byKind = new Map<string, Map<string, ConfigElement>>();
  /** `EntityType:Property` of every association end → where it was first used. */
  readonly ends = new Map<string, { association: ConfigElement; attr: XmlAttribute }>();

  constructor(
    readonly models: ConfigElement[],
    readonly problems: Problem[],
  ) {
    for (const model of models) {
      const id = model.attributes[model.spec.identifierAttribute!];
      if (id === undefined) continue;
      let defs = this.byKind.get(model.spec.name);
      if (!defs) this.byKind.set(model.spec.name, (defs = new Map()));
      if (!defs.has(String(id))) defs.set(String(id), model);
    }
  }

  check(): void {
    for (const model of this.models) {
      switch (model.spec.name) {
        case "EntityType":
          this.#entityType(model);
          break;
        case "EntityAssociation":
          this.#association(model);
          break;
        case "EntityTypeMapping":
          this.#entityTypeMapping(model);
          break;
        case "EntityAssociationMapping":
          this.#associationMapping(model);
          break;
        case "Connection":
          this.#connection(model);
          break;
      }
    }
  }

  #get(kind: string, identifier: string | undefined): ConfigElement | undefined {
    return identifier === undefined ? undefined : this.byKind.get(kind)?.get(identifier);
  }

  #children(element: ConfigElement, name: string): ConfigElement[] {
    return element.children.filter((c) => c.spec.name === name);
  }

  #member(element: ConfigElement | undefined, childName: string, identifier: string): ConfigElement | undefined {
    return element && this.#children(element, childName).find((c) => c.attributes.Identifier === identifier);
  }

  #report(code: ProblemCode, at: XmlElement | XmlAttribute, message: string, hint?: string, related?: XmlElement | XmlAttribute): void {
    this.problems.push({
      code, severity: "error", message, ...position(at),
      ...(hint ? { hint } : {}),
      ...(related ? { related: [position(related)] } : {}),
    });
  }

  /** The attribute `name` of an element, for positions; the element itself when it is not written. */
  #at(element: ConfigElement, name: string): XmlElement | XmlAttribute {
    return findAttribute(element.xml, name) ?? element.xml;
  }

  #reserved(element: ConfigElement): void {
    const id = text(element.attributes.Identifier);
    if (id === undefined || !RESERVED.has(id.toLowerCase())) return;
    this.#report("invalid-value", this.#at(element, "Identifier"),
      `${element.spec.name} Identifier="${id}" is not valid: ${id} is a reserved identifier`,
      "Id and the C# keywords (class, string, return…) are reserved, in any case: choose another name");
  }

  #entityType(type: ConfigElement): void {
    this.#reserved(type);
    const typeId = String(type.attributes.Identifier);
    const properties = this.#children(type, "Property");
    if (properties.length > 0 && !properties.some((p) => p.attributes.IsKey === true)) {
      this.#report("missing-attribute", type.xml, `EntityType "${typeId}" has no key: none of its properties has IsKey="true"`,
        `set IsKey="true" on the property that names its resources in the configuration (e.g. a code); each entity type needs one`);
    }
    const columns = new Map<number, ConfigElement>();
    const names = memberIdentifiers(type, "Property");
    for (const property of properties) {
      this.#reserved(property);
      const id = String(property.attributes.Identifier);
      const kind = String(property.attributes.Type);
      const index = property.attributes.TargetColumnIndex;
      if (typeof index === "number" && index !== -1) {
        const first = columns.get(index);
        if (first) {
          this.#report("duplicate-identifier", this.#at(property, "TargetColumnIndex"),
            `EntityType "${typeId}": TargetColumnIndex ${index} of property ${id} is already used by property ${String(first.attributes.Identifier)} at ${formatPosition(position(first.xml))}`,
            "each stored column holds one property: choose a free index", first.xml);
        } else columns.set(index, property);
        if (index >= OPTIMIZED_NAVIGATION.from && index <= OPTIMIZED_NAVIGATION.to && !NAVIGATION_TYPES.has(kind)) {
          this.#report("invalid-value", this.#at(property, "TargetColumnIndex"),
            `Property TargetColumnIndex="${index}" is not valid: ${OPTIMIZED_NAVIGATION.from}-${OPTIMIZED_NAVIGATION.to} hold mono-valued navigation properties, and ${typeId}:${id} is a ${kind}`,
            "a scalar takes 4-127 (0-3 for values over 443 characters)");
        } else if (kind === "Binary") {
          this.#report("invalid-value", this.#at(property, "TargetColumnIndex"),
            `Property TargetColumnIndex="${index}" is not valid: ${typeId}:${id} is a Binary, stored apart from the resource's columns`,
            "leave TargetColumnIndex out (-1)");
        }
      }
      const neutral = text(property.attributes.NeutralProperty);
      if (neutral !== undefined && !names.includes(neutral)) {
        const closest = closestName(neutral, names);
        this.#report("unresolved-reference", this.#at(property, "NeutralProperty"),
          `Property NeutralProperty="${neutral}": EntityType ${typeId} has no Property ${neutral}`, closest ? `did you mean ${closest}?` : undefined);
      }
    }
  }

  #association(association: ConfigElement): void {
    for (const side of [1, 2] as const) {
      const name = `Property${side}`;
      const member = splitMember(association.attributes[name]);
      const property = member && this.#member(this.#get("EntityType", member[0]), "Property", member[1]);
      if (!member || !property) continue; // not written EntityType:Property, or unresolved: reported already
      const attr = findAttribute(association.xml, name)!;
      const value = `${member[0]}:${member[1]}`;
      const kind = String(property.attributes.Type);
      if (!NAVIGATION_TYPES.has(kind)) {
        this.#report("invalid-value", attr, `EntityAssociation ${name}="${value}" is not valid: ${member[1]} is a ${kind} property; an association links navigation properties`,
          `declare ${member[1]} with Type="ForeignKey"`, property.xml);
      }
      const collection = association.attributes[`IsProperty${side}Collection`] === true;
      const index = property.attributes.TargetColumnIndex;
      if (collection && typeof index === "number" && index !== -1) {
        this.#report("invalid-value", this.#at(association, `IsProperty${side}Collection`),
          `EntityAssociation IsProperty${side}Collection="true" is not valid: ${value} has TargetColumnIndex ${index}, a column holds one resource`,
          `leave TargetColumnIndex out (-1) on ${value}, or make this side mono-valued`, property.xml);
      }
      const first = this.ends.get(value);
      if (first) {
        this.#report("duplicate-identifier", attr,
          `EntityAssociation ${name}="${value}": ${value} is already an end of EntityAssociation "${String(first.association.attributes.Identifier)}" at ${formatPosition(position(first.attr))}`,
          "a navigation property belongs to one association: declare another property for this one", first.attr);
      } else this.ends.set(value, { association, attr });
    }
  }

  #entityTypeMapping(mapping: ConfigElement): void {
    const mappingId = String(mapping.attributes.Identifier);
    const type = this.#get("EntityType", mappingId);
    const names = memberIdentifiers(type, "Property");
    const properties = this.#children(mapping, "Property");
    for (const property of properties) {
      const id = String(property.attributes.Identifier);
      if (type && !names.includes(id)) {
        const closest = closestName(id, names);
        this.#report("unresolved-reference", this.#at(property, "Identifier"),
          `Property Identifier="${id}": EntityType ${mappingId} has no Property ${id}`, closest ? `did you mean ${closest}?` : undefined);
      }
      const format = property.attributes.Format;
      if (typeof format === "string" && format !== "") {
        try {
          valueFormat(format);
        } catch (error) {
          this.#report("invalid-value", this.#at(property, "Format"), `Property Format="${format}" is not valid: ${(error as Error).message}`,
            "1601date or DateTime (LDAP dates), a pattern of yyyy, MM, dd, HH, mm, ss, fff such as yyyy-MM-dd, or one of the product's formats: " +
            "Bool, Byte, Bytes, Binary, Date, Double, Guid, Int16, Int32, Int64, MultivaluedText, RDN, SID, Concat:<separator>, Bit:<attribute>:<bit>");
        }
      }
    }
    const primary = properties.filter((p) => p.attributes.IsPrimaryKey === true);
    if (properties.length === 0) {
      // The product deploys it: a type whose resources are provisioned by hand maps no column.
      this.problems.push({
        code: "missing-attribute", severity: "warning", ...position(mapping.xml),
        message: `EntityTypeMapping "${mappingId}" maps no property: synchronization leaves it out (a type provisioned by hand needs none)`,
      });
    } else if (primary.length === 0) {
      this.#report("missing-attribute", mapping.xml, `EntityTypeMapping "${mappingId}" has no primary key: none of its properties has IsPrimaryKey="true"`,
        "set IsPrimaryKey=\"true\" on the one property whose column identifies a row, uniquely and for ever");
    }
    for (const extra of primary.slice(1)) {
      this.#report("invalid-value", this.#at(extra, "IsPrimaryKey"),
        `Property IsPrimaryKey="true" is not valid: EntityTypeMapping "${mappingId}" already has its primary key ${String(primary[0]!.attributes.Identifier)} at ${formatPosition(position(primary[0]!.xml))}`,
        "a mapping has exactly one primary key; other keys take IsUniqueKey=\"true\"", primary[0]!.xml);
    }
    const unique = properties.filter((p) => p.attributes.IsUniqueKey === true && p.attributes.IsPrimaryKey !== true);
    for (const extra of unique.slice(MAX_UNIQUE_KEYS)) {
      const kept = unique.slice(0, MAX_UNIQUE_KEYS).map((p) => String(p.attributes.Identifier)).join(", ");
      this.#report("invalid-value", this.#at(extra, "IsUniqueKey"),
        `Property IsUniqueKey="true" is not valid: EntityTypeMapping "${mappingId}" already has ${MAX_UNIQUE_KEYS} unique keys besides its primary key (${kept})`,
        `a mapping has at most ${MAX_UNIQUE_KEYS} unique keys besides the primary key`);
    }
    this.#connectionTable(mapping);
  }

  #associationMapping(mapping: ConfigElement): void {
    const mappingId = String(mapping.attributes.Identifier);
    const connector = text(mapping.attributes.Connector);
    const association = this.#get("EntityAssociation", mappingId);
    const sides = ([1, 2] as const).map((side) => splitMember(association?.attributes[`Property${side}`])?.[0]);
    for (const side of [1, 2] as const) {
      const name = `EntityPropertyMapping${side}`;
      const member = splitMember(mapping.attributes[name]);
      const typeMapping = member && this.#get("EntityTypeMapping", member[0]);
      const property = member && this.#member(typeMapping, "Property", member[1]);
      if (!member || !typeMapping || !property) continue; // reported by check-references
      const attr = findAttribute(mapping.xml, name)!;
      const value = `${member[0]}:${member[1]}`;
      const otherConnector = text(typeMapping.attributes.Connector);
      if (connector !== undefined && otherConnector !== connector) {
        // The product deploys an association end mapped by another connector (one its ConnectorMappings generates).
        this.problems.push({
          code: "unresolved-reference", severity: "warning", ...position(attr),
          message: `EntityAssociationMapping ${name}="${value}": EntityTypeMapping ${member[0]} ${otherConnector === undefined ? "has no Connector" : `belongs to Connector "${otherConnector}"`}, not "${connector}"`,
          hint: "accepted, as the product accepts it; usually both sides of an association mapping are mapped by its connector",
          related: [position(typeMapping.xml)],
        });
      }
      if (property.attributes.IsPrimaryKey !== true && property.attributes.IsUniqueKey !== true) {
        this.#report("invalid-value", attr,
          `EntityAssociationMapping ${name}="${value}" is not valid: ${member[1]} is neither the primary key nor a unique key of EntityTypeMapping ${member[0]}`,
          `associations are resolved through keys: set IsUniqueKey="true" on that Property`, property.xml);
      }
      const expected = sides[side - 1];
      if (expected !== undefined && expected !== member[0]) {
        const swapped = sides[2 - side] === member[0];
        this.#report("invalid-value", attr,
          `EntityAssociationMapping ${name}="${value}" is not valid: side ${side} of EntityAssociation "${mappingId}" is ${expected} (Property${side}="${String(association!.attributes[`Property${side}`])}")`,
          swapped ? "swap EntityPropertyMapping1 and EntityPropertyMapping2, and Column1 and Column2" : `name a key of EntityTypeMapping ${expected}`,
          findAttribute(association!.xml, `Property${side}`));
      }
    }
    this.#connectionTable(mapping);
  }

  /**
   * A mapping's ConnectionTable is a table of one of its connector's connections: the
   * connection's identifier (a CSV file), `<Connection>_<dataset>`, or a ConnectionTable declared
   * for such a connection.
   */
  #connectionTable(mapping: ConfigElement): void {
    // ConnectorMappings reads files named after the entity type (and <type>_<navigation>), whatever its connections.
    if (mapping.generatedBy === "ConnectorMappings") return;
    const table = text(mapping.attributes.ConnectionTable);
    const connector = text(mapping.attributes.Connector);
    if (table === undefined || connector === undefined || !this.#get("Connector", connector)) return;
    const connectionsOf = (c: string): string[] =>
      [...(this.byKind.get("Connection")?.values() ?? [])].filter((e) => e.attributes.Connector === c).map((e) => String(e.attributes.Identifier));
    const tablesOf = (connections: string[]): string[] =>
      [...(this.byKind.get("ConnectionTable")?.values() ?? [])].filter((e) => connections.includes(String(e.attributes.Connection))).map((e) => String(e.attributes.Identifier));
    const matches = (connections: string[]): boolean =>
      connections.some((c) => table === c || table.startsWith(`${c}_`)) || tablesOf(connections).includes(table);
    const connections = connectionsOf(connector);
    if (matches(connections)) return;
    const prefix = table.includes("_") ? table.slice(0, table.indexOf("_")) : undefined;
    const closestPrefix = prefix === undefined ? undefined : closestName(prefix, connections);
    const closest = closestName(table, [...connections, ...tablesOf(connections)]) ??
      (closestPrefix === undefined ? undefined : `${closestPrefix}${table.slice(prefix!.length)}`);
    const owner = [...(this.byKind.get("Connector")?.keys() ?? [])].find((c) => c !== connector && matches(connectionsOf(c)));
    const message = connections.length === 0
      ? `Connector "${connector}" has no Connection, so no table`
      : `no Connection of Connector "${connector}" (${connections.join(", ")}) has this table` + (owner ? `; it belongs to Connector "${owner}"` : "");
    this.#report("unresolved-reference", this.#at(mapping, "ConnectionTable"), `${mapping.spec.name} ConnectionTable="${table}": ${message}`,
      closest !== undefined ? `did you mean ${closest}?`
        : connections.length === 0 ? `declare a <Connection Connector="${connector}" .../> that exports it`
        : "write a Connection's identifier (its CSV file), <Connection>_<dataset>, or a ConnectionTable declared for one of them");
  }

  #connection(connection: ConfigElement): void {
    const id = String(connection.attributes.Identifier);
    for (const transformation of this.#children(connection, "Transformation")) {
      const table = text(transformation.attributes.Table);
      if (table === undefined || table === id || table.startsWith(`${id}_`)) continue;
      this.#report("invalid-value", this.#at(transformation, "Table"),
        `Transformation Table="${table}" is not valid: expected ${id}_<dataset> or ${id}, a table of Connection ${id} (case-sensitive)`);
    }
  }
}
