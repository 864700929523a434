/**
 * The resource store: what synchronization loads from the connectors, its history, the changes a
 * synchronization computes, and one row per synchronization run. Frozen like 0001.
 *
 * Current versions and archived versions live in two tables:
 *
 * idm_resources              the current version of each resource: one row per resource, updated in place
 *   id (stable: links and history point at it), entity_type, connector null, source_key, hash, valid_from,
 *   dirty, created_by_job_instance null, changed_by_job_instance null, properties (JSON)
 *   - unique (entity_type, source_key): "one current version per key" is a plain unique index. A single table
 *     with valid_to NULL for the current row would need a partial/filtered unique index (SQL Server then
 *     refuses writes from any session whose SET options differ from the required ones, e.g. ANSI_NULLS or
 *     QUOTED_IDENTIFIER OFF), history rows would bloat every scan of the Complete diff, and a new version
 *     would get a new id, so links would have to point at something else than the row.
 *   - the same index serves the key-order reads (keyset pagination on source_key within an entity type).
 *   - key order is code point order on every database: SQLite's BINARY, PostgreSQL's "C" collation on
 *     source_key (the database default collation sorts linguistically), SQL Server's BIN2 (identifier type).
 *   - lengths: a source key holds up to 443 characters (the product's longest indexed scalar); SQL Server's
 *     1,700-byte limit on a nonclustered index key leaves (1700 − 2 × 443) / 2 = 407 for entity_type.
 *   - (entity_type, dirty, id) for the Dirty-mode tasks (the resources marked by incremental syncs).
 * idm_resource_history       the archived versions: a copy of the row as it was, with valid_to
 *   id, resource_id (no foreign key: a deleted resource's history outlives it), entity_type, connector, source_key,
 *   hash, valid_from, valid_to, changed_by_job_instance (wrote that version), archived_by_job_instance null
 *   (ended it), properties; indexed by (resource_id, valid_from)
 * idm_resource_links         current links: association, from_resource_id / to_resource_id → idm_resources.id,
 *   valid_from, created_by_job_instance null; unique (association, from, to), which is also the keyset order;
 *   (from) and (to) for the links of a resource being deleted (the foreign keys require them ended first)
 * idm_resource_link_history  ended links: link_id, association, from / to resource ids, valid_from, valid_to,
 *   created_by_job_instance, archived_by_job_instance; indexed by from and to resource
 * idm_resource_changes       what a synchronization computed, before the thresholds and the apply: job_instance_id,
 *   connector, entity_type, source_key, resource_id null (unknown for an insert until applied), operation
 *   (insert|update|delete), state (pending|blocked|applied|discarded), before / after (properties JSON)
 * idm_resource_link_changes  the same for links (insert|delete): the association and both ends by entity type and
 *   source key (the end resources may not exist yet while the change is blocked), their ids when known, the link id
 * idm_synchronization_history  one row per synchronization (task instance, unique: a resume updates it):
 *   connector, job_instance_id, mode, state, started_at, ended_at, counts, error; indexed by (connector, id)
 *
 * No foreign key points at the job tables: `idm history prune` deletes old job instances, and the resources
 * they wrote stay. The columns that name a job instance are plain ints.
 */
import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from "typeorm";
import { columnTypes, dialectOfDriver, type ColumnSpec } from "../column-types.js";

function column(name: string, spec: ColumnSpec, isNullable = false): TableColumnOptions {
  return { name, ...spec, isNullable };
}

function reference(table: string, column: string, target: string): TableForeignKey {
  return new TableForeignKey({ name: `FK_${table}_${column}`, columnNames: [column], referencedTableName: target, referencedColumnNames: ["id"] });
}

export class ResourceTables implements MigrationInterface {
  readonly name = "0003-resource-store-1767398400000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOfDriver(queryRunner.connection.options.type);
    const t = columnTypes(dialect);
    const id = (table: string): TableColumnOptions => ({
      name: "id", ...t.int, isPrimary: true, isGenerated: true, generationStrategy: "increment", primaryKeyConstraintName: `PK_${table}`,
    });
    const entityType = t.identifier(407);
    // Code point order for keyset reads: PostgreSQL's default collation would sort linguistically.
    const sourceKey: ColumnSpec = dialect === "postgres" ? { ...t.identifier(443), collation: "C" } : t.identifier(443);
    const identifier = t.identifier(442);

    await queryRunner.createTable(
      new Table({
        name: "idm_resources",
        columns: [
          id("idm_resources"),
          column("entity_type", entityType),
          column("connector", identifier, true),
          column("source_key", sourceKey),
          column("hash", t.ascii(64)),
          column("valid_from", t.timestamp),
          column("dirty", t.boolean),
          column("created_by_job_instance", t.int, true),
          column("changed_by_job_instance", t.int, true),
          // Last, like idm_items' JSON: SQLite reads the short columns without walking overflow pages.
          column("properties", t.text),
        ],
        indices: [
          new TableIndex({ name: "UX_idm_resources_entity_type_source_key", columnNames: ["entity_type", "source_key"], isUnique: true }),
          new TableIndex({ name: "IX_idm_resources_entity_type_dirty_id", columnNames: ["entity_type", "dirty", "id"] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "idm_resource_history",
        columns: [
          id("idm_resource_history"),
          column("resource_id", t.int),
          column("entity_type", entityType),
          column("connector", identifier, true),
          column("source_key", sourceKey),
          column("hash", t.ascii(64)),
          column("valid_from", t.timestamp),
          column("valid_to", t.timestamp),
          column("changed_by_job_instance", t.int, true),
          column("archived_by_job_instance", t.int, true),
          column("properties", t.text),
        ],
        indices: [new TableIndex({ name: "IX_idm_resource_history_resource_id", columnNames: ["resource_id", "valid_from"] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "idm_resource_links",
        columns: [
          id("idm_resource_links"),
          column("association", identifier),
          column("from_resource_id", t.int),
          column("to_resource_id", t.int),
          column("valid_from", t.timestamp),
          column("created_by_job_instance", t.int, true),
        ],
        indices: [
          new TableIndex({ name: "UX_idm_resource_links_association_from_to", columnNames: ["association", "from_resource_id", "to_resource_id"], isUnique: true }),
          new TableIndex({ name: "IX_idm_resource_links_from_resource_id", columnNames: ["from_resource_id"] }),
          new TableIndex({ name: "IX_idm_resource_links_to_resource_id", columnNames: ["to_resource_id"] }),
        ],
        // No ON DELETE action: a resource's links are ended (archived) before the resource is deleted.
        foreignKeys: [
          reference("idm_resource_links", "from_resource_id", "idm_resources"),
          reference("idm_resource_links", "to_resource_id", "idm_resources"),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "idm_resource_link_history",
        columns: [
          id("idm_resource_link_history"),
          column("link_id", t.int),
          column("association", identifier),
          column("from_resource_id", t.int),
          column("to_resource_id", t.int),
          column("valid_from", t.timestamp),
          column("valid_to", t.timestamp),
          column("created_by_job_instance", t.int, true),
          column("archived_by_job_instance", t.int, true),
        ],
        indices: [
          new TableIndex({ name: "IX_idm_resource_link_history_from_resource_id", columnNames: ["from_resource_id"] }),
          new TableIndex({ name: "IX_idm_resource_link_history_to_resource_id", columnNames: ["to_resource_id"] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "idm_resource_changes",
        columns: [
          id("idm_resource_changes"),
          column("job_instance_id", t.int),
          column("connector", identifier),
          column("entity_type", entityType),
          column("source_key", sourceKey),
          column("resource_id", t.int, true),
          column("operation", t.string(16)),
          column("state", t.string(16)),
          column("before", t.text, true),
          column("after", t.text, true),
        ],
        indices: [new TableIndex({ name: "IX_idm_resource_changes_job_instance_id", columnNames: ["job_instance_id", "id"] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "idm_resource_link_changes",
        columns: [
          id("idm_resource_link_changes"),
          column("job_instance_id", t.int),
          column("connector", identifier),
          column("association", identifier),
          column("from_entity_type", entityType),
          column("from_source_key", sourceKey),
          column("to_entity_type", entityType),
          column("to_source_key", sourceKey),
          column("from_resource_id", t.int, true),
          column("to_resource_id", t.int, true),
          column("link_id", t.int, true),
          column("operation", t.string(16)),
          column("state", t.string(16)),
        ],
        indices: [new TableIndex({ name: "IX_idm_resource_link_changes_job_instance_id", columnNames: ["job_instance_id", "id"] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "idm_synchronization_history",
        columns: [
          id("idm_synchronization_history"),
          column("connector", identifier),
          column("task_instance_id", t.int),
          column("job_instance_id", t.int),
          column("mode", t.string(16)),
          column("state", t.string(16)),
          column("started_at", t.timestamp),
          column("ended_at", t.timestamp, true),
          column("resources_inserted", t.int),
          column("resources_updated", t.int),
          column("resources_deleted", t.int),
          column("links_inserted", t.int),
          column("links_deleted", t.int),
          column("error", t.text, true),
        ],
        indices: [
          new TableIndex({ name: "UX_idm_synchronization_history_task_instance_id", columnNames: ["task_instance_id"], isUnique: true }),
          new TableIndex({ name: "IX_idm_synchronization_history_connector_id", columnNames: ["connector", "id"] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      "idm_synchronization_history", "idm_resource_link_changes", "idm_resource_changes",
      "idm_resource_link_history", "idm_resource_links", "idm_resource_history", "idm_resources",
    ]) {
      await queryRunner.dropTable(table, true);
    }
  }
}
