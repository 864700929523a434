/**
 * SQL Server cannot run here: the T-SQL of every statement deploy sends is generated offline through
 * TypeORM's mssql driver, by the same functions the deploy runs, and kept as a reviewed snapshot.
 */
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { validateFolder } from "../../src/config/validate-folder.js";
import {
  clearSourceFingerprints, deleteItems, finishDeployment, insertDeployment, insertItems, insertRevisions, selectAllItems, selectDeployments,
  selectNewestDeployment, selectRevisions, updateItem,
} from "../../src/deploy/item-queries.js";
import { batchSize, insertBatchSize } from "../../src/store/statements.js";
import { buildItems } from "../../src/config/items.js";
import { revisionState, toItemRow } from "../../src/deploy/stored-items.js";
import { offlineMssqlStore } from "../../src/store/store.js";
import { statement } from "../helpers/sql-statement.js";

const DEMO = fileURLToPath(new URL("../../conf-samples/demo", import.meta.url));


describe("deploy statements on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const store = await offlineMssqlStore();
    const m = store.dataSource.manager;
    const item = buildItems(validateFolder(DEMO).configuration)[0]!;
    const row = toItemRow(item, 7);
    const sql = [
      statement("read every stored item in one query", selectAllItems(m)),
      statement("the newest deployment's state and source fingerprint", selectNewestDeployment(m)),
      statement("no earlier deployment describes the items any more", clearSourceFingerprints(m)),
      statement("open the ledger entry", insertDeployment(m, {
        kind: "deploy", status: "applied", startedAt: new Date(0), endedAt: null, user: "u", host: "h", sourceFolder: "/conf",
        configurationHash: "c", inserted: 1, updated: 0, deleted: 0, plan: "{}", error: null, rollbackOf: null, sourceFingerprint: "f",
      })),
      statement("insert items (two rows of a batch)", insertItems(m, [row, { ...row, identifier: "Other" }])),
      statement("update one item", updateItem(m, 3, { attributes: row.attributes, children: row.children, hash: row.hash, changedBy: 7 })),
      statement("move one item (source only)", updateItem(m, 3, { sourceFile: "a.xml", sourceLine: 1, sourceColumn: 1 })),
      statement("delete items", deleteItems(m, [3, 4, 5])),
      statement("insert revisions", insertRevisions(m, [
        { deploymentId: 7, kind: item.kind, identifier: item.identifier, operation: "insert", before: null, after: null },
        { deploymentId: 7, kind: item.kind, identifier: "Other", operation: "update", before: revisionState(item), after: null },
      ])),
      statement("close the ledger entry", finishDeployment(m, 7, new Date(0))),
      statement("list deployments", selectDeployments(m)),
      statement("revisions, oldest first (rollback)", selectRevisions(m)),
    ].join("\n");
    await expect(sql).toMatchFileSnapshot("./snapshots/mssql-deploy.sql");
    expect(sql).not.toMatch(/\bLIMIT\b|\bRETURNING\b|`/);
  });

  it("batches stay under SQL Server's 2,100 parameters", () => {
    const columns = Object.keys(toItemRow(buildItems(validateFolder(DEMO).configuration)[0]!, 1)).length;
    expect(columns).toBeGreaterThanOrEqual(12);
    expect(insertBatchSize("mssql", columns) * columns).toBeLessThanOrEqual(2100);
    expect(batchSize("mssql", 6) * 6).toBeLessThanOrEqual(2100);
  });
});
