/**
 * ConnectorMappings (the vendor's page and its "Generated XML"): the synchronization mapping of an
 * entity type in a connector, read from CSV files named after the entity type.
 *
 * - a Connection named after the connector (Package as written, else Usercube.CSV@0000001), once
 *   per connector whatever the number of its ConnectorMappings;
 * - an EntityTypeMapping of the entity type, table = the entity type, one Property per scalar
 *   property (not a navigation, not excluded), column = the property's identifier, sorted; the
 *   entity type's first key property is the primary key;
 * - an EntityAssociationMapping per association whose end on this entity type is mono-valued
 *   (column = the navigation property, holding the other side's key), and per many-to-many
 *   association (table `<EntityType>_<navigation>`); once per association. The other side's key is
 *   the primary key of its EntityTypeMapping, else its entity type's first key property.
 *
 * `ExcludedProperty` leaves a property (or a navigation) out. `IsIncremental` and `MappingPath`
 * say how the files are written; they change nothing in the generated elements.
 */
import type { AttributeValue } from "../coerce-attribute.js";
import type { ConfigElement, Configuration } from "../configuration.js";
import type { ElementPlan } from "./generated-elements.js";
import { compareOrdinal } from "./scaffolding-model.js";

const DEFAULT_PACKAGE = "Usercube.CSV@0000001";

interface AssociationEnd {
  association: string;
  side: 1 | 2;
  collection: boolean;
  other: { entityType: string; property: string; collection: boolean };
}

export class ConnectorMappingsPlanner {
  readonly #entityTypes = new Map<string, ConfigElement>();
  readonly #mappings = new Map<string, ConfigElement>();
  readonly #connectors = new Set<string>();
  /** `EntityType:Property` of every association end. */
  readonly #ends = new Map<string, AssociationEnd>();
  readonly #connections = new Set<string>();
  readonly #associations = new Set<string>();

  constructor(configuration: Configuration) {
    for (const model of configuration.models) {
      const id = model.attributes.Identifier;
      if (typeof id !== "string") continue;
      if (model.spec.name === "EntityType" && !this.#entityTypes.has(id)) this.#entityTypes.set(id, model);
      else if (model.spec.name === "EntityTypeMapping" && !this.#mappings.has(id)) this.#mappings.set(id, model);
      else if (model.spec.name === "Connector") this.#connectors.add(id);
      else if (model.spec.name === "EntityAssociation") this.#association(id, model.attributes);
    }
  }

  plan(scaffolding: ConfigElement): ElementPlan[] {
    const { Connector: connector, EntityType: entityType, Package: pkg } = scaffolding.attributes;
    const type = typeof entityType === "string" ? this.#entityTypes.get(entityType) : undefined;
    // An unknown Connector or EntityType is the reference check's error; nothing is generated from it.
    if (typeof connector !== "string" || !this.#connectors.has(connector) || type === undefined) return [];
    const et = entityType as string;
    const excluded = new Set(scaffolding.children.filter((c) => c.spec.name === "ExcludedProperty").map((c) => String(c.attributes.Property)));
    const plans: ElementPlan[] = [];
    if (!this.#connections.has(connector)) {
      this.#connections.add(connector);
      plans.push({ name: "Connection", attributes: { Identifier: connector, DisplayName_L1: connector, Connector: connector, Package: typeof pkg === "string" ? pkg : DEFAULT_PACKAGE } });
    }
    const properties = type.children.filter((p) => p.spec.name === "Property");
    const scalar = properties
      .filter((p) => p.attributes.Type !== "ForeignKey" && !this.#ends.has(`${et}:${String(p.attributes.Identifier)}`) && !excluded.has(String(p.attributes.Identifier)))
      .map((p) => String(p.attributes.Identifier));
    const key = keyOf(type);
    plans.push({
      name: "EntityTypeMapping",
      attributes: { Identifier: et, Connector: connector, ConnectionTable: et },
      children: [...scalar].sort(compareOrdinal).map((p) => ({ name: "Property", attributes: { Identifier: p, ConnectionColumn: p, ...(p === key ? { IsPrimaryKey: true } : {}) } })),
    });
    if (key === undefined) return plans;
    const navigations = properties.map((p) => String(p.attributes.Identifier)).filter((p) => !excluded.has(p) && this.#ends.has(`${et}:${p}`));
    for (const navigation of navigations.sort(compareOrdinal)) {
      const plan = this.#associationMapping(connector, et, key, navigation);
      if (plan !== undefined) plans.push(plan);
    }
    return plans;
  }

  #association(id: string, a: Record<string, AttributeValue>): void {
    const one = member(a.Property1);
    const two = member(a.Property2);
    if (one === undefined || two === undefined) return;
    const [c1, c2] = [a.IsProperty1Collection === true, a.IsProperty2Collection === true];
    this.#ends.set(one.join(":"), { association: id, side: 1, collection: c1, other: { entityType: two[0], property: two[1], collection: c2 } });
    this.#ends.set(two.join(":"), { association: id, side: 2, collection: c2, other: { entityType: one[0], property: one[1], collection: c1 } });
  }

  /** The mapping of the association ending at `<entityType>:<navigation>`, when this side carries it. */
  #associationMapping(connector: string, entityType: string, key: string, navigation: string): ElementPlan | undefined {
    const end = this.#ends.get(`${entityType}:${navigation}`)!;
    // A one-to-many association is mapped from its mono-valued side, whose file holds the link.
    if (end.collection && !end.other.collection) return undefined;
    if (this.#associations.has(end.association)) return undefined;
    const otherKey = this.#otherKey(end.other.entityType);
    if (otherKey === undefined) return undefined;
    this.#associations.add(end.association);
    const [own, other] = [end.side, end.side === 1 ? 2 : 1];
    return {
      name: "EntityAssociationMapping",
      attributes: {
        Identifier: end.association,
        Connector: connector,
        ConnectionTable: end.collection ? `${entityType}_${navigation}` : entityType,
        [`Column${own}`]: key,
        [`Column${other}`]: navigation,
        [`EntityPropertyMapping${own}`]: `${entityType}:${key}`,
        [`EntityPropertyMapping${other}`]: `${end.other.entityType}:${otherKey}`,
      },
    };
  }

  #otherKey(entityType: string): string | undefined {
    const mapped = this.#mappings.get(entityType)?.children.find((p) => p.spec.name === "Property" && p.attributes.IsPrimaryKey === true);
    if (mapped !== undefined) return String(mapped.attributes.Identifier);
    const type = this.#entityTypes.get(entityType);
    return type === undefined ? undefined : keyOf(type);
  }
}

/** The entity type's first key property. */
function keyOf(type: ConfigElement): string | undefined {
  const key = type.children.find((p) => p.spec.name === "Property" && p.attributes.IsKey === true);
  return key === undefined ? undefined : String(key.attributes.Identifier);
}

function member(value: AttributeValue | undefined): [string, string] | undefined {
  if (typeof value !== "string") return undefined;
  const i = value.indexOf(":");
  return i > 0 && i < value.length - 1 ? [value.slice(0, i), value.slice(i + 1)] : undefined;
}
