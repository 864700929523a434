/**
 * The SQL fulfilment package (Connection Package `Usercube.SQL`, `Usercube.SQL.PostgreSQL`,
 * `Usercube.SQL.SQLServer`): each order becomes a row of a
 * table of a database of the settings (SQLite, PostgreSQL; SQL Server's statements are checked
 * offline). Settings:
 *
 *     "Connections": { "<Connection>": {
 *       "ConnectionString": "postgres://user:password@host/db",   // or sqlite:<path>, mssql://…
 *       "Table": "accounts",                                       // or, per resource type:
 *       "Tables": { "<ResourceType>": "accounts" },
 *       "KeyColumn": "Identifier",      // the column holding the target's key (default Identifier)
 *       "KeyProperty": "sAMAccountName", // the property of an Added order's Changes that is the key (default: KeyColumn)
 *       "Links": { "<property>": {      // a multi-valued navigation, one row per (owner, value) in a table of its own
 *         "Table": "members", "OwnerColumn": "member", "ValueColumn": "group",
 *         "Lookup": { "Table": "entries", "KeyColumn": "objectGUID", "Column": "dn" } // optional
 *       } }
 *     } }
 *
 * An order's property is a column of the same name (a navigation writes its Identifier); the key
 * property goes to KeyColumn. Added: INSERT, or when a row has the key already, UPDATE it to the
 * order's values. Modified: UPDATE by key (`Resource[KeyProperty]`, else `Resource.Identifier`).
 * Deleted: DELETE by key. Each reads the row first, so an order whose effect is there already (a run
 * killed after the commit and before its outcome was recorded) ends Executed "already applied"
 * without a write. A multi-valued navigation (`<property>_add` / `_remove`) has no place in one row:
 * with `Links.<property>` its values are rows of the link table (OwnerColumn: the row's key;
 * ValueColumn: the reference's Identifier, or with Lookup the Column of the Lookup table's row whose
 * KeyColumn is the Identifier), inserted when absent and deleted when present, so that applying an
 * order twice writes nothing the second time; a Deleted order deletes its owner's link rows too.
 * Without `Links.<property>` the order is Errored, saying so. One transaction per batch, a savepoint per order (a failed order
 * is rolled back alone); the outcomes are given once the batch is committed. The connection string
 * is never logged nor put in a message.
 */
import { DataSource } from "typeorm";
import { parseDatabaseUrl, type DatabaseTarget } from "../../store/database-url.js";
import { DIALECTS } from "../../store/dialects/index.js";
import { redactReason } from "../../store/dialects/redact.js";
import type { FulfilContext, FulfilOrder, Fulfiller, FulfilPackage, FulfilRoute, OrderOutcome } from "./fulfiller.js";
import { openSession, type Steps } from "./sql-session.js";
import {
  countLink, deleteLink, deleteLinksOf, deleteRow, insertColumns, insertLink, lookupValue, savepoint, selectRow, updateColumns, type LinkTable, type SqlStatement, type SqlValue, type TargetTable,
} from "./sql-statements.js";

export interface LinkSettings {
  table: string;
  ownerColumn: string;
  valueColumn: string;
  lookup?: { table: string; keyColumn: string; column: string };
}

export interface SqlFulfilSettings {
  target: DatabaseTarget;
  table: string;
  keyColumn: string;
  keyProperty: string;
  /** Multi-valued navigation property → its link table. */
  links: Map<string, LinkSettings>;
}

const DEFAULT_KEY_COLUMN = "Identifier";

function text(raw: Record<string, unknown>, at: string, name: string): string | undefined {
  const value = raw[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") throw new Error(`${at}.${name} must be a non-empty string`);
  return value.trim();
}

/** Reads a connection's settings for one resource type; a missing or wrong one throws, naming it. */
export function readSqlFulfilSettings(connection: string, resourceType: string, raw: Readonly<Record<string, unknown>>): SqlFulfilSettings {
  const at = `settings Connections.${connection}`;
  const url = text(raw, at, "ConnectionString");
  if (url === undefined) throw new Error(`${at}.ConnectionString is missing: add the URL of the database the orders are written to (sqlite:<path>, postgres://…, mssql://…)`);
  let target: DatabaseTarget;
  try {
    target = parseDatabaseUrl(url);
  } catch (error) {
    // parseDatabaseUrl's messages hide the password already.
    throw new Error(`${at}.ConnectionString: ${(error as Error).message}`, { cause: error });
  }
  const tables = raw.Tables;
  if (tables !== undefined && (tables === null || typeof tables !== "object" || Array.isArray(tables))) {
    throw new Error(`${at}.Tables must be an object { "<ResourceType>": "<table>" }`);
  }
  const perType = tables === undefined ? undefined : text(tables as Record<string, unknown>, `${at}.Tables`, resourceType);
  const table = perType ?? text(raw, at, "Table");
  if (table === undefined) throw new Error(`${at}.Table is missing: add the table ResourceType ${resourceType}'s orders are written to (or Tables.${resourceType})`);
  const keyColumn = text(raw, at, "KeyColumn") ?? DEFAULT_KEY_COLUMN;
  return { target, table, keyColumn, keyProperty: text(raw, at, "KeyProperty") ?? keyColumn, links: readLinks(at, raw.Links) };
}

function object(at: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${at} must be an object`);
  return value as Record<string, unknown>;
}

function required(raw: Record<string, unknown>, at: string, name: string): string {
  const value = text(raw, at, name);
  if (value === undefined) throw new Error(`${at}.${name} is missing`);
  return value;
}

function readLinks(at: string, raw: unknown): Map<string, LinkSettings> {
  const links = new Map<string, LinkSettings>();
  if (raw === undefined) return links;
  for (const [property, value] of Object.entries(object(`${at}.Links`, raw))) {
    const where = `${at}.Links.${property}`;
    const link = object(where, value);
    const settings: LinkSettings = { table: required(link, where, "Table"), ownerColumn: required(link, where, "OwnerColumn"), valueColumn: required(link, where, "ValueColumn") };
    if (link.Lookup !== undefined) {
      const lookup = object(`${where}.Lookup`, link.Lookup);
      settings.lookup = { table: required(lookup, `${where}.Lookup`, "Table"), keyColumn: required(lookup, `${where}.Lookup`, "KeyColumn"), column: required(lookup, `${where}.Lookup`, "Column") };
    }
    links.set(property, settings);
  }
  return links;
}

export const sqlPackage: FulfilPackage = {
  name: "SQL",
  // The generic SQL package and the two whose databases the project's drivers reach.
  handles: (packageName) => /^Usercube\.SQL(\.PostgreSQL|\.SQLServer)?(@|$)/i.test(packageName),
  async open(route: FulfilRoute, context: FulfilContext): Promise<Fulfiller> {
    const settings = readSqlFulfilSettings(route.connection, route.resourceType, context.settings);
    const { target } = settings;
    const profile = DIALECTS[target.dialect];
    const dataSource = new DataSource({ ...target.options, logging: false });
    try {
      profile.prepareOpen(target.options);
      await dataSource.initialize();
    } catch (error) {
      throw new Error(`Connection ${route.connection}: cannot ${profile.openVerb} ${target.display}: ${redactReason(error, profile.secrets(target.options))}`);
    }
    context.log("Information", `Connection ${route.connection}: ResourceType ${route.resourceType} to table ${settings.table} of ${target.display}`);
    return new SqlFulfiller(dataSource, settings, route.connection);
  },
};

/** The values of one multi-valued navigation an order adds and removes (the references' Identifiers). */
interface LinkChanges {
  property: string;
  link: LinkSettings;
  add: SqlValue[];
  remove: SqlValue[];
}

/** A property `<name>_add` or `<name>_remove`: one side of a multi-valued navigation. */
interface MultiValued {
  name: string;
  side: "add" | "remove";
}

const MAX_PROPERTY_NAMES = 1000;
const NO_COLUMNS: readonly string[] = [];
const NO_LINKS: readonly LinkChanges[] = [];

/** Columns and their values, as two arrays of the same length (no Map nor entry arrays per order). */
interface Columns {
  columns: string[];
  values: SqlValue[];
}

/** What an order does to the row, decided before anything is sent. */
type Plan =
  | ({ kind: "upsert" | "update"; key: SqlValue; links: readonly LinkChanges[] } & Columns)
  | { kind: "delete"; key: SqlValue }
  | { kind: "error"; message: string };

class SqlFulfiller implements Fulfiller {
  readonly #target: TargetTable;
  readonly #set: SqlStatement;
  readonly #release: SqlStatement | undefined;
  readonly #rollback: SqlStatement;
  /** Each link setting's table, made once: the statement texts are cached per table object. */
  readonly #linkTables = new Map<LinkSettings, LinkTable>();
  /** Each property name's `<name>_add` / `_remove` reading (a resource type has a few, seen on every order). */
  readonly #multiValued = new Map<string, MultiValued | null>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: SqlFulfilSettings,
    private readonly connection: string,
  ) {
    const { dialect } = settings.target;
    this.#target = { dialect, table: settings.table, keyColumn: settings.keyColumn };
    const points = savepoint(dialect);
    this.#set = { sql: points.set, parameters: [] };
    this.#release = points.release === undefined ? undefined : { sql: points.release, parameters: [] };
    this.#rollback = { sql: points.rollback, parameters: [] };
    for (const link of settings.links.values()) {
      this.#linkTables.set(link, { dialect, table: link.table, ownerColumn: link.ownerColumn, valueColumn: link.valueColumn });
    }
  }

  apply(orders: readonly FulfilOrder[], signal: AbortSignal): AsyncIterable<OrderOutcome> {
    // Given once the batch is committed: an outcome recorded before the commit could name an order
    // the database never kept.
    return afterwards(() => this.applyBatch(orders, signal));
  }

  private async applyBatch(orders: readonly FulfilOrder[], signal: AbortSignal): Promise<OrderOutcome[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const session = await openSession(runner, this.#target.dialect);
      return await session.transaction(orders, (order) => this.applyOne(order), signal);
    } catch (error) {
      throw new Error(`Connection ${this.connection}: ${this.settings.target.display}: ${this.reason(error)}`, { cause: error });
    } finally {
      await runner.release();
    }
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private reason(error: unknown): string {
    const { target } = this.settings;
    return redactReason(error, DIALECTS[target.dialect].secrets(target.options));
  }

  /**
   * One order's statements. A single generator per order, the row's write decided by plain
   * functions: a generator per kind of write, delegated to with yield*, cost ~15% of the bytes
   * allocated per order and ~8% of bench:fulfill's time on SQLite.
   */
  private *applyOne({ id, order }: FulfilOrder): Steps<OrderOutcome> {
    const plan = this.plan(order.ChangeType, order.Changes, order.Resource);
    if (plan.kind === "error") return { id, state: "Errored", message: plan.message };
    const target = this.#target;
    yield this.#set;
    try {
      const row = (yield selectRow(target, plan.kind === "delete" ? NO_COLUMNS : plan.columns, plan.key))[0];
      const where = `${target.keyColumn} = ${String(plan.key)}`;
      let outcome: OrderOutcome;
      if (plan.kind === "delete") {
        if (row !== undefined) {
          yield deleteRow(target, plan.key);
          for (const table of this.#linkTables.values()) yield deleteLinksOf(table, plan.key);
        }
        outcome = deleted(id, target, where, row !== undefined);
      } else {
        const write = rowWrite(target, plan, row, where);
        if (write.statement !== undefined) yield write.statement;
        const linked = write.missing || plan.links.length === 0 ? undefined : yield* this.writeLinks(plan.key, plan.links);
        outcome = written(id, target, where, write, linked);
      }
      if (this.#release !== undefined) yield this.#release;
      return outcome;
    } catch (error) {
      yield this.#rollback;
      return { id, state: "Errored", message: `${this.settings.table}: ${this.reason(error)}` };
    }
  }

  /** Inserts the absent links and deletes the present ones the order names; what it did, or undefined when nothing. */
  private *writeLinks(owner: SqlValue, changes: readonly LinkChanges[]): Steps<string | undefined> {
    const done: string[] = [];
    for (const { property, link, add, remove } of changes) {
      const table = this.#linkTables.get(link)!;
      let added = 0;
      let removed = 0;
      const valueOf = function* (identifier: SqlValue): Steps<SqlValue> {
        if (link.lookup === undefined) return identifier;
        const found = yield lookupValue(table.dialect, link.lookup, identifier);
        const value = found[0]?.[link.lookup.column];
        if (value === undefined || value === null) throw new Error(`${property}: no row of ${link.lookup.table} has ${link.lookup.keyColumn} = ${String(identifier)} (Links.${property}.Lookup)`);
        return value as SqlValue;
      };
      const count = function* (value: SqlValue): Steps<number> {
        return Number(((yield countLink(table, owner, value)) as Array<{ n: unknown }>)[0]?.n ?? 0);
      };
      for (const identifier of add) {
        const value = yield* valueOf(identifier);
        if ((yield* count(value)) > 0) continue;
        yield insertLink(table, owner, value);
        added++;
      }
      for (const identifier of remove) {
        const value = yield* valueOf(identifier);
        if ((yield* count(value)) === 0) continue;
        yield deleteLink(table, owner, value);
        removed++;
      }
      if (added + removed > 0) done.push(`${property}: ${added} added, ${removed} removed in ${link.table}`);
    }
    return done.length === 0 ? undefined : done.join("; ");
  }

  /** `<name>_add` / `<name>_remove`, read once per property name (bounded: a resource type's properties). */
  private multiValued(property: string): MultiValued | null {
    let reading = this.#multiValued.get(property);
    if (reading === undefined) {
      const match = /^(.+)_(add|remove)$/.exec(property);
      reading = match === null ? null : { name: match[1]!, side: match[2] as "add" | "remove" };
      if (this.#multiValued.size >= MAX_PROPERTY_NAMES) this.#multiValued.clear();
      this.#multiValued.set(property, reading);
    }
    return reading;
  }
  private plan(changeType: string, changes: Readonly<Record<string, unknown>>, resource: Readonly<Record<string, unknown>> | undefined): Plan {
    const { keyColumn, keyProperty } = this.settings;
    if (changeType !== "Added" && changeType !== "Modified" && changeType !== "Deleted") return { kind: "error", message: `unknown ChangeType ${changeType}` };
    let key: SqlValue | undefined;
    if (changeType === "Added") {
      key = changes[keyProperty] === undefined ? undefined : sqlValue(changes[keyProperty], this.#target.dialect);
      if (key === undefined || key === null) return { kind: "error", message: `an Added order needs its key: Changes has no ${keyProperty} (settings Connections.${this.connection}.KeyProperty)` };
    } else {
      const raw = resource?.[keyProperty] ?? resource?.Identifier;
      key = raw === undefined ? undefined : sqlValue(raw, this.#target.dialect);
      if (key === undefined || key === null) return { kind: "error", message: `a ${changeType} order needs the target's key: its Resource has no ${keyProperty} nor Identifier` };
    }
    if (changeType === "Deleted") return { kind: "delete", key };
    const set: Columns = { columns: [], values: [] };
    let links: Map<string, LinkChanges> | undefined;
    const properties = Object.keys(changes);
    for (let i = 0; i < properties.length; i++) {
      const property = properties[i]!;
      const value = changes[property];
      if (Array.isArray(value) || (value !== null && typeof value === "object" && this.multiValued(property) !== null)) {
        const failure = this.addLinkChanges((links ??= new Map()), property, value);
        if (failure !== undefined) return failure;
        continue;
      }
      const converted = sqlValue(value, this.#target.dialect);
      if (converted === undefined) return { kind: "error", message: `the value of ${property} is not a scalar nor a reference: ${JSON.stringify(value)}` };
      setColumn(set, property === keyProperty ? keyColumn : property, converted);
    }
    if (changeType === "Added") setColumn(set, keyColumn, key);
    if (set.columns.length === 0 && links === undefined) return { kind: "error", message: `a ${changeType} order without Changes: nothing to write` };
    return { kind: changeType === "Added" ? "upsert" : "update", key, columns: set.columns, values: set.values, links: links === undefined ? NO_LINKS : [...links.values()] };
  }

  /** A multi-valued property's values added to its link's changes; the order's error when it has no Links setting or holds no references. */
  private addLinkChanges(links: Map<string, LinkChanges>, property: string, value: unknown): Plan | undefined {
    const multi = this.multiValued(property);
    const name = multi?.name ?? property;
    const link = this.settings.links.get(name);
    if (link === undefined || multi === null) {
      return {
        kind: "error",
        message: `the multi-valued property ${name} (${property}) has no place in one row of ${this.settings.table}: the SQL package writes scalar and single-valued properties; add Links.${name} to the settings (its link table), or fulfil its links through another connection`,
      };
    }
    const identifiers = (Array.isArray(value) ? value : [value]).map((v) => sqlValue(v, this.#target.dialect));
    if (identifiers.some((v) => v === undefined || v === null)) return { kind: "error", message: `${property} holds a value that is not a reference: ${JSON.stringify(value)}` };
    const changesOf = links.get(name) ?? links.set(name, { property: name, link, add: [], remove: [] }).get(name)!;
    changesOf[multi.side].push(...(identifiers as SqlValue[]));
    return undefined;
  }
}

/**
 * The items `all` gives, started at the first `next` as an async generator would be, handed out one
 * per `next` without a generator's awaits per item: once they are there, each `next` is a resolved
 * promise (an async generator, then an async `next`, cost ~500 bytes and several ticks per outcome).
 */
function afterwards<T>(all: () => Promise<readonly T[]>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      let items: readonly T[] | undefined;
      let loading: Promise<void> | undefined;
      let next = 0;
      const step = (): IteratorResult<T, undefined> => (next < items!.length ? { value: items![next++]!, done: false } : { value: undefined, done: true });
      return {
        next(): Promise<IteratorResult<T, undefined>> {
          if (items !== undefined) return Promise.resolve(step());
          loading ??= all().then(
            (ready) => {
              items = ready;
            },
            (error: unknown) => {
              // Like a generator that threw: done from then on.
              items = [];
              throw error;
            },
          );
          return loading.then(step);
        },
      };
    },
  };
}

/** The outcome of a Deleted order: its row deleted, or already gone. */
function deleted(id: number, target: TargetTable, where: string, found: boolean): OrderOutcome {
  if (!found) return { id, state: "Executed", message: `already applied: no row of ${target.table} has ${where}`, alreadyApplied: true };
  return { id, state: "Executed", message: `deleted the row of ${target.table} with ${where}` };
}

/** What an Added or Modified order writes to its row once read: the statement (none when the row has its values) and what it did. */
interface RowWrite {
  statement: SqlStatement | undefined;
  done: string | undefined;
  /** A Modified order's row is not there: nothing to write, the order errs. */
  missing: boolean;
}

function rowWrite(target: TargetTable, plan: Extract<Plan, { kind: "upsert" | "update" }>, row: Record<string, unknown> | undefined, where: string): RowWrite {
  if (row === undefined) {
    if (plan.kind === "update") return { statement: undefined, done: undefined, missing: true };
    return { statement: insertColumns(target, plan.columns, plan.values), done: `inserted the row of ${target.table} with ${where}`, missing: false };
  }
  // An Added order's row already there is updated to its values, as a Modified order's.
  const changed = changedColumns(row, plan);
  if (changed.columns.length === 0) return { statement: undefined, done: undefined, missing: false };
  return {
    statement: updateColumns(target, changed.columns, changed.values, plan.key),
    done: `updated ${changed.columns.join(", ")} of the row of ${target.table} with ${where}`,
    missing: false,
  };
}

/** The outcome of an Added or Modified order: what its row's write and its links did, "already applied" when nothing. */
function written(id: number, target: TargetTable, where: string, write: RowWrite, linked: string | undefined): OrderOutcome {
  if (write.missing) return { id, state: "Errored", message: `no row of ${target.table} has ${where}: nothing to modify` };
  const { done } = write;
  const message = linked === undefined ? done : done === undefined ? linked : `${done}; ${linked}`;
  if (message === undefined) return { id, state: "Executed", message: `already applied: the row of ${target.table} with ${where} has the order's values`, alreadyApplied: true };
  return { id, state: "Executed", message };
}

/** A column's value, set once: a second value for it replaces the first in place (as a Map would). */
function setColumn(set: Columns, column: string, value: SqlValue): void {
  const at = set.columns.indexOf(column);
  if (at === -1) {
    set.columns.push(column);
    set.values.push(value);
  } else {
    set.values[at] = value;
  }
}

/** The columns whose values the row does not hold already: `wanted` itself when it holds none of them (the usual update). */
function changedColumns(row: Record<string, unknown>, wanted: Columns): Columns {
  const { columns, values } = wanted;
  let held = 0;
  for (let i = 0; i < columns.length; i++) if (sameValue(row[columns[i]!], values[i] as SqlValue)) held++;
  if (held === 0) return wanted;
  const changed: Columns = { columns: [], values: [] };
  for (let i = 0; i < columns.length; i++) {
    if (sameValue(row[columns[i]!], values[i] as SqlValue)) continue;
    changed.columns.push(columns[i]!);
    changed.values.push(values[i] as SqlValue);
  }
  return changed;
}

/** A Changes value as bound: text, number, null; a navigation's Identifier; undefined for what has no column form. */
function sqlValue(value: unknown, dialect: TargetTable["dialect"]): SqlValue | undefined {
  if (value === null) return null;
  if (typeof value === "string" || typeof value === "number") return value;
  // SQLite has no boolean: 1 and 0, as its drivers write them; the others convert 'true' and 'false'.
  if (typeof value === "boolean") return dialect === "sqlite" ? (value ? 1 : 0) : String(value);
  if (typeof value === "object" && !Array.isArray(value) && "Identifier" in value) {
    const identifier = (value as { Identifier: unknown }).Identifier;
    return typeof identifier === "string" || typeof identifier === "number" ? identifier : undefined;
  }
  return undefined;
}

/** Whether the row's value is the order's: compared as text (drivers return numbers, dates and booleans typed). */
function sameValue(current: unknown, wanted: SqlValue): boolean {
  if (current === null || current === undefined || wanted === null) return (current ?? null) === wanted;
  if (current instanceof Date) return current.toISOString() === String(wanted);
  if (typeof current === "boolean") return String(current) === String(wanted) || String(Number(current)) === String(wanted);
  return String(current) === String(wanted);
}
