/**
 * The zz_ views of a deployed entity model, as CREATE VIEW statements (pure: the task runs them, the
 * offline SQL Server test snapshots them).
 *
 * `zz_<EntityType>`: the *current* version of each resource of the type (idm_resources), one row per
 * resource: Id, one typed column per scalar property, one column per mono-valued navigation holding
 * the linked resource's id (in the deployed model's order), then SourceKey, ValidFrom and ValidTo (always NULL: a
 * current version has no end). Archived versions are not shown: Id stays a key that the navigation
 * columns and the association views join on, and an archived version has no linked resource of its
 * own (links are versioned apart from properties); they are in idm_resource_history.
 *
 * `zz_<EntityAssociation>`: its current links, each end's id in a column named after the navigation
 * property that reaches it (so `zz_A.Department` and `zz_HR_Person_Department.Department` hold the
 * same department id), then ValidFrom.
 *
 * Every name is checked before any statement is planned: a plan with problems is not run.
 */
import type { EntityModel, EntityTypeDefinition, PropertyModel } from "../resources/entity-model.js";
import type { Dialect } from "../../store/database-url.js";
import { DIALECT_SQL, VALUE_KIND, type ScalarColumn } from "./dialect-sql.js";
import { identifierProblem, jsonMemberProblem, stringLiteral } from "./sql-text.js";
import { COLUMN, LINKS, qualified, RESOURCES, type SqlTarget } from "./store-tables.js";

export const VIEW_PREFIX = "zz_";
/** The view columns that are not properties; a property of the same name (any case) would clash. */
export const FIXED_COLUMNS = ["Id", "SourceKey", "ValidFrom", "ValidTo"] as const;

export interface PlannedView {
  name: string;
  /** The entity type or association it shows. */
  source: string;
  /** How many columns the view has (for the log). */
  columns: number;
  sql: string;
}

export interface ViewPlan {
  views: PlannedView[];
  /** Names the database cannot take; the task fails with them and changes nothing. */
  problems: string[];
}

type Column = { name: string; expression: string };

class Planner {
  readonly problems: string[] = [];
  readonly views: PlannedView[] = [];
  readonly #viewNames = new Map<string, string>();

  constructor(readonly dialect: Dialect, readonly target: SqlTarget) {}

  checkName(name: string, what: string): void {
    const problem = identifierProblem(this.dialect, name);
    if (problem !== undefined) this.problems.push(`${what} "${name}" cannot be a ${this.dialect} name: ${problem}`);
  }

  /** View names compared without case: SQLite and SQL Server's usual collations do. */
  claimView(name: string, source: string): void {
    const known = this.#viewNames.get(name.toLowerCase());
    if (known !== undefined) this.problems.push(`view ${name} of ${source} has the name of the view of ${known}`);
    this.#viewNames.set(name.toLowerCase(), source);
    this.checkName(name, `the view of ${source}`);
  }

  checkColumns(source: string, columns: readonly string[]): void {
    const seen = new Set<string>();
    for (const column of columns) {
      if (seen.has(column.toLowerCase())) this.problems.push(`${source}: two columns of its view would be named ${column}`);
      seen.add(column.toLowerCase());
      this.checkName(column, `column of ${source}`);
    }
  }

  view(name: string, source: string, columns: Column[], from: string, where: string): void {
    const q = this.target.quote;
    const select = columns.map((c) => `  ${c.expression} AS ${q(c.name)}`).join(",\n");
    this.views.push({ name, source, columns: columns.length, sql: `CREATE VIEW ${qualified(this.target, name)} AS\nSELECT\n${select}\nFROM ${from}\nWHERE ${where}` });
  }
}

/** A mono-valued navigation's column: the id at the link's other end (MIN: one row even if the data has two). */
function navigationColumn(planner: Planner, property: PropertyModel): Column {
  const q = planner.target.quote;
  const navigation = property.navigation!;
  const [here, there] = navigation.end === "from" ? [COLUMN.fromResourceId, COLUMN.toResourceId] : [COLUMN.toResourceId, COLUMN.fromResourceId];
  const expression = `(SELECT MIN(l.${q(there)}) FROM ${qualified(planner.target, LINKS)} AS l ` +
    `WHERE l.${q(COLUMN.association)} = ${stringLiteral(planner.dialect, navigation.association)} AND l.${q(here)} = r.${q(COLUMN.id)})`;
  return { name: property.identifier, expression };
}

/** A column of an entity type's view, before its expression is known: a scalar or a navigation. */
type Slot = { scalar: ScalarColumn } | { navigation: PropertyModel };

function slotsOf(planner: Planner, type: EntityTypeDefinition): Slot[] {
  const slots: Slot[] = [];
  for (const property of type.properties.values()) {
    if (property.navigation !== undefined) {
      if (!property.navigation.collection) slots.push({ navigation: property });
      continue;
    }
    if (property.type === "ForeignKey") continue; // a navigation no association uses: nothing to show
    const problem = jsonMemberProblem(property.identifier);
    if (problem !== undefined) planner.problems.push(`EntityType ${type.identifier}: property "${property.identifier}" has ${problem}`);
    slots.push({ scalar: { name: property.identifier, kind: VALUE_KIND[property.type], key: property.isKey } });
  }
  return slots;
}

function entityTypeView(planner: Planner, type: EntityTypeDefinition): void {
  const { dialect, target } = planner;
  const q = target.quote;
  const sql = DIALECT_SQL[dialect];
  const slots = slotsOf(planner, type);
  const scalars = slots.flatMap((s) => ("scalar" in s ? [s.scalar] : []));
  const { expressions, apply } = sql.columns(`r.${q(COLUMN.properties)}`, scalars, q);
  const typed = new Map(scalars.map((s, i) => [s, expressions[i]!]));
  const columns: Column[] = [
    { name: "Id", expression: `r.${q(COLUMN.id)}` },
    ...slots.map((s) => ("scalar" in s ? { name: s.scalar.name, expression: typed.get(s.scalar)! } : navigationColumn(planner, s.navigation))),
    { name: "SourceKey", expression: `r.${q(COLUMN.sourceKey)}` },
    { name: "ValidFrom", expression: sql.timestamp(`r.${q(COLUMN.validFrom)}`) },
    { name: "ValidTo", expression: sql.nullTimestamp },
  ];
  const name = `${VIEW_PREFIX}${type.identifier}`;
  planner.claimView(name, `EntityType ${type.identifier}`);
  planner.checkColumns(`EntityType ${type.identifier}`, columns.map((c) => c.name));
  const from = `${qualified(target, RESOURCES)} AS r${apply === "" ? "" : `\n${apply}`}`;
  planner.view(name, type.identifier, columns, from, `r.${q(COLUMN.entityType)} = ${stringLiteral(dialect, type.identifier)}`);
}

type Association = EntityModel["associations"] extends Map<string, infer A> ? A : never;

function associationView(planner: Planner, association: Association): void {
  const { dialect, target } = planner;
  const q = target.quote;
  // The from-resource (Property1's type) is reached through Property2, the to-resource through Property1.
  let fromName = association.to.property;
  let toName = association.from.property;
  if (fromName.toLowerCase() === toName.toLowerCase()) {
    fromName = `${association.from.entityType}_${fromName}`;
    toName = `${association.to.entityType}_${toName}`;
  }
  const columns: Column[] = [
    { name: fromName, expression: `l.${q(COLUMN.fromResourceId)}` },
    { name: toName, expression: `l.${q(COLUMN.toResourceId)}` },
    { name: "ValidFrom", expression: DIALECT_SQL[dialect].timestamp(`l.${q(COLUMN.validFrom)}`) },
  ];
  const name = `${VIEW_PREFIX}${association.identifier}`;
  planner.claimView(name, `EntityAssociation ${association.identifier}`);
  planner.checkColumns(`EntityAssociation ${association.identifier}`, columns.map((c) => c.name));
  planner.view(name, association.identifier, columns, `${qualified(target, LINKS)} AS l`,
    `l.${q(COLUMN.association)} = ${stringLiteral(dialect, association.identifier)}`);
}

export function planViews(model: EntityModel, dialect: Dialect, target: SqlTarget): ViewPlan {
  const planner = new Planner(dialect, target);
  for (const type of model.entityTypes.values()) entityTypeView(planner, type);
  const associations = [...model.associations.values()].sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
  for (const association of associations) associationView(planner, association);
  return { views: planner.views, problems: planner.problems };
}

/** DROP VIEW of the given views: one statement on PostgreSQL and SQL Server, so that zz_ views built on each other drop together. */
export function dropViews(dialect: Dialect, target: SqlTarget, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  return DIALECT_SQL[dialect].dropViews(names.map((n) => qualified(target, n)));
}
