/**
 * The statements of the SQL fulfilment package (sql-package.ts), as text and parameters per dialect:
 * identifiers (the table, the key column, the columns named by the orders' properties) quoted as the
 * dialect quotes a foreign database's names, every value bound. Pure, so that SQL Server's are
 * checked offline (test/connectors/fulfil/snapshots/mssql-sql-package.sql).
 */
import type { Dialect } from "../../store/database-url.js";
import { DIALECTS } from "../../store/dialects/index.js";

export type SqlValue = string | number | null;

export interface SqlStatement {
  sql: string;
  parameters: SqlValue[];
}

/** A table of the target database, its key column, and the dialect that reaches it. */
export interface TargetTable {
  dialect: Dialect;
  /** As written in the settings: `accounts`, or `schema.accounts` (each part quoted apart). */
  table: string;
  keyColumn: string;
}

/** TypeORM's placeholders: better-sqlite3's `?`, pg's `$1`, the mssql driver's `@0`. */
function placeholder(dialect: Dialect, index: number): string {
  if (dialect === "sqlite") return "?";
  return dialect === "postgres" ? `$${index + 1}` : `@${index}`;
}

function quote(dialect: Dialect, name: string): string {
  return DIALECTS[dialect].quoteForeignIdentifier(name);
}

/**
 * Statement texts already written, per target object (a Fulfiller keeps its own, unchanged, for its
 * life), kind and columns: a Fulfiller writes the same few texts for thousands of orders, and quoting
 * every name again cost as much as SQLite running the statement (npm run bench:fulfill). A tree walked
 * column by column, so that a lookup builds no key (joining the names per statement cost ~16 ms of
 * 10,000 orders). Bounded: the column sets an order can name are a resource type's properties.
 */
interface TextNode {
  sql?: string;
  readonly next: Map<string, TextNode>;
}
interface Texts {
  readonly kinds: Map<string, TextNode>;
  size: number;
}
const TEXTS = new WeakMap<TargetTable, Texts>();
const MAX_TEXTS = 1000;

const NO_COLUMNS: readonly string[] = [];

/** The place of a kind and columns' text (its `sql` there once written). */
function slot(target: TargetTable, kind: string, columns: readonly string[]): TextNode {
  let texts = TEXTS.get(target);
  if (texts === undefined) TEXTS.set(target, (texts = { kinds: new Map(), size: 0 }));
  let node: TextNode | undefined = texts.kinds.get(kind);
  if (node === undefined) texts.kinds.set(kind, (node = { next: new Map() }));
  for (let i = 0; i < columns.length; i++) node = child(node, columns[i]!);
  return node;
}

function child(node: TextNode, column: string): TextNode {
  let next = node.next.get(column);
  if (next === undefined) node.next.set(column, (next = { next: new Map() }));
  return next;
}

/** Keeps a text just written in its slot (a separate call: the cached path makes no closure). */
function fill(target: TargetTable, node: TextNode, sql: string): string {
  const texts = TEXTS.get(target)!;
  if (texts.size >= MAX_TEXTS) {
    texts.kinds.clear();
    texts.size = 0;
  }
  texts.size++;
  return (node.sql = sql);
}

/** `schema.table`: a dot separates a schema from its table, as in the databases' own syntax. */
export function quotedTable(target: TargetTable): string {
  return target.table.split(".").map((part) => quote(target.dialect, part)).join(".");
}

/** The row of a key, with the columns an order sets (the key column first). */
export function selectRow(target: TargetTable, columns: readonly string[], key: SqlValue): SqlStatement {
  const at = slot(target, "select", columns);
  const sql = at.sql ?? fill(target, at, selectText(target, columns));
  return { sql, parameters: [key] };
}

function selectText(target: TargetTable, columns: readonly string[]): string {
  const { dialect } = target;
  const names = [target.keyColumn, ...columns.filter((c) => c !== target.keyColumn)].map((c) => quote(dialect, c)).join(", ");
  return `SELECT ${names} FROM ${quotedTable(target)} WHERE ${quote(dialect, target.keyColumn)} = ${placeholder(dialect, 0)}`;
}

/** The row of the columns' values (two arrays of the same length: the package's plan). */
export function insertColumns(target: TargetTable, columns: readonly string[], values: readonly SqlValue[]): SqlStatement {
  const at = slot(target, "insert", columns);
  const sql = at.sql ?? fill(target, at, insertText(target, columns));
  return { sql, parameters: values.slice() };
}

function insertText(target: TargetTable, columns: readonly string[]): string {
  const { dialect } = target;
  return `INSERT INTO ${quotedTable(target)} (${columns.map((c) => quote(dialect, c)).join(", ")}) VALUES (${columns.map((_, i) => placeholder(dialect, i)).join(", ")})`;
}

/** Sets the columns' values on the row of `key` (two arrays of the same length; never called without a value to set). */
export function updateColumns(target: TargetTable, columns: readonly string[], values: readonly SqlValue[], key: SqlValue): SqlStatement {
  const at = slot(target, "update", columns);
  const sql = at.sql ?? fill(target, at, updateText(target, columns));
  // concat: one array of the final length (a SqlValue is never spread), where slice and push grew it.
  return { sql, parameters: values.concat(key) };
}

function updateText(target: TargetTable, columns: readonly string[]): string {
  const { dialect } = target;
  const set = columns.map((c, i) => `${quote(dialect, c)} = ${placeholder(dialect, i)}`).join(", ");
  return `UPDATE ${quotedTable(target)} SET ${set} WHERE ${quote(dialect, target.keyColumn)} = ${placeholder(dialect, columns.length)}`;
}

export function deleteRow(target: TargetTable, key: SqlValue): SqlStatement {
  const at = slot(target, "delete", NO_COLUMNS);
  const sql = at.sql ?? fill(target, at, `DELETE FROM ${quotedTable(target)} WHERE ${quote(target.dialect, target.keyColumn)} = ${placeholder(target.dialect, 0)}`);
  return { sql, parameters: [key] };
}

/** A link table: one row per (owner, value) of a multi-valued navigation (settings `Links.<property>`). */
export interface LinkTable {
  dialect: Dialect;
  table: string;
  ownerColumn: string;
  valueColumn: string;
}

/** A link table as a target, one object per link table object so that its texts are cached too. */
const LINK_TARGETS = new WeakMap<LinkTable, TargetTable>();
function linkTable(link: LinkTable): TargetTable {
  let target = LINK_TARGETS.get(link);
  if (target === undefined) LINK_TARGETS.set(link, (target = { dialect: link.dialect, table: link.table, keyColumn: link.ownerColumn }));
  return target;
}

/** The link rows of one owner and value (a count, so that a duplicate row already there counts too). */
export function countLink(link: LinkTable, owner: SqlValue, value: SqlValue): SqlStatement {
  const { dialect } = link;
  const target = linkTable(link);
  const at = slot(target, "countLink", NO_COLUMNS);
  const sql = at.sql ?? fill(target, at,
    `SELECT COUNT(*) AS ${quote(dialect, "n")} FROM ${quotedTable(target)} WHERE ${quote(dialect, link.ownerColumn)} = ${placeholder(dialect, 0)} AND ${quote(dialect, link.valueColumn)} = ${placeholder(dialect, 1)}`);
  return { sql, parameters: [owner, value] };
}

export function insertLink(link: LinkTable, owner: SqlValue, value: SqlValue): SqlStatement {
  return insertColumns(linkTable(link), [link.ownerColumn, link.valueColumn], [owner, value]);
}

export function deleteLink(link: LinkTable, owner: SqlValue, value: SqlValue): SqlStatement {
  const { dialect } = link;
  const target = linkTable(link);
  const at = slot(target, "deleteLink", NO_COLUMNS);
  const sql = at.sql ?? fill(target, at,
    `DELETE FROM ${quotedTable(target)} WHERE ${quote(dialect, link.ownerColumn)} = ${placeholder(dialect, 0)} AND ${quote(dialect, link.valueColumn)} = ${placeholder(dialect, 1)}`);
  return { sql, parameters: [owner, value] };
}

/** Every link row of an owner (its row is deleted). */
export function deleteLinksOf(link: LinkTable, owner: SqlValue): SqlStatement {
  return deleteRow(linkTable(link), owner);
}

export interface Lookup {
  table: string;
  keyColumn: string;
  column: string;
}

/** A lookup's table as a target, one per lookup settings object so that its text is cached. */
const LOOKUP_TARGETS = new WeakMap<Lookup, TargetTable>();

/** The value a lookup gives for a reference's Identifier (settings `Links.<property>.Lookup`). */
export function lookupValue(dialect: Dialect, lookup: Lookup, identifier: SqlValue): SqlStatement {
  let target = LOOKUP_TARGETS.get(lookup);
  if (target?.dialect !== dialect) LOOKUP_TARGETS.set(lookup, (target = { dialect, table: lookup.table, keyColumn: lookup.keyColumn }));
  return selectRow(target, [lookup.column], identifier);
}


/**
 * The savepoint around one order inside a batch's transaction: a failed order is rolled back alone
 * (PostgreSQL refuses every later statement of a transaction in which one failed), the others commit.
 */
export function savepoint(dialect: Dialect): { set: string; release: string | undefined; rollback: string } {
  if (dialect === "mssql") return { set: "SAVE TRANSACTION idm_order", release: undefined, rollback: "ROLLBACK TRANSACTION idm_order" };
  return { set: "SAVEPOINT idm_order", release: "RELEASE SAVEPOINT idm_order", rollback: "ROLLBACK TO SAVEPOINT idm_order" };
}
