import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/store.js";
import { readConnectorMappings } from "../../src/domain/sync/mappings.js";
import type { Manifest } from "../../src/domain/sync/batch-queue.js";
import prepareSynchronization, { runPrepareSynchronization } from "../../src/tasks/prepare-synchronization.js";
import type { PrepareSynchronizationTaskAttributes } from "../../src/config/generated/schema-types.js";
import type { TaskContext, TaskOf } from "../../src/tasks/task-handler.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { deployDemo, readCsv } from "../helpers/demo-data.js";
import { removeTaskWorkspaces, taskWorkspace } from "../helpers/task-workspace.js";
import { collectFolder, databaseQueue } from "../../src/domain/sync/batch-queue.js";

afterEach(() => removeTaskWorkspaces());

/** The task as deploy stores it (defaults applied), with some attributes changed. */
function task(attributes: Partial<PrepareSynchronizationTaskAttributes>): TaskOf<"PrepareSynchronizationTask"> {
  return { identifier: "HR_Prepare", type: "PrepareSynchronizationTask",
    attributes: { DisplayName_L1: "Prepare HR", Level: -1, LogLevel: "None", Type: "None", Connector: "HR", ...attributes },
    dependsOn: [], entityTypes: [], resourceTypes: [], source: undefined };
}

const PEOPLE_HEADER = "employee_id,first_name,last_name,email,job_title,department_code,manager_id,contract_start,contract_end";

describe.each(BACKENDS)("PrepareSynchronizationTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    await deployDemo(store);
  });

  afterEach(async () => {
    await db.drop();
  });

  function setup() {
    const { context: base, folders, logs, controller } = taskWorkspace({}, { store });
    mkdirSync(folders.export);
    const context: TaskContext = { ...base, job: { identifier: "HR_Synchro", instanceId: 3 } };
    const collect = collectFolder(folders.work, "HR", databaseQueue(store));
    const write = (name: string, text: string) => writeFileSync(join(folders.export, name), text);
    return { context, logs, controller, collect, write };
  }

  it("reads the connector's mappings from the stored items", async () => {
    expect(await readConnectorMappings(store, "HR")).toEqual([
      { kind: "EntityType", identifier: "HR_Department", connectionTable: "HROrganizations", columns: ["code", "name"], keyLength: 1 },
      { kind: "EntityType", identifier: "HR_Person", connectionTable: "HRPeople",
        columns: ["employee_id", "contract_end", "contract_start", "email", "first_name", "job_title", "last_name"], keyLength: 1 },
      { kind: "EntityAssociation", identifier: "HR_Person_Department", connectionTable: "HRPeople", columns: ["department_code", "employee_id"], keyLength: 2 },
      { kind: "EntityAssociation", identifier: "HR_Person_Manager", connectionTable: "HRPeople", columns: ["manager_id", "employee_id"], keyLength: 2 },
    ]);
  });

  it("prepares the demo HR connector: a Complete batch, then an Incremental one diffed against it", async () => {
    const { context, collect, write } = setup();
    write("HROrganizations.csv", "\uFEFFcode,name\r\nIT,\"Information, Technology\"\r\nHR,Human resources\r\n,No code\r\n");
    write("HRPeople.csv", `${PEOPLE_HEADER}\r\n` +
      "E2,Bob,Martin,bob@x,\"Dev\r\nSenior\",IT,E1,2020-01-01,\r\n" +
      "E1,Alice,Durand,alice@x,CTO,IT,,2019-01-01,\r\n" +
      "E1,Alice,Again,alice2@x,CTO,IT,,2019-01-01,\r\n");
    // The people file is read once per mapping that names it: 3 + 3 × 3 rows.
    const complete = await prepareSynchronization.run(context, task({ SynchronizationMode: "Complete" }));
    expect(complete).toEqual({ state: "Succeeded", didWork: true, counters: {
      rowsRead: 12, rowsWritten: 7, nullPrimaryKeys: 3, duplicates: 2,
      deltaInserts: 0, deltaUpdates: 0, deltaDeletes: 0, deltaMerges: 0, batchesCancelled: 0 } });
    const batch = join(collect, "000001-Complete");
    expect(readdirSync(batch).sort()).toEqual([
      "HR_Department.nullpk.csv", "HR_Department.sorted.csv",
      "HR_Person.duplicates.csv", "HR_Person.sorted.csv",
      "HR_Person_Department.duplicates.csv", "HR_Person_Department.sorted.csv",
      "HR_Person_Manager.nullpk.csv", "HR_Person_Manager.sorted.csv",
      "batch.json",
    ]);
    expect(readCsv(join(batch, "HR_Department.sorted.csv"))).toEqual([["code", "name"], ["HR", "Human resources"], ["IT", "Information, Technology"]]);
    expect(readCsv(join(batch, "HR_Person.sorted.csv"))).toEqual([
      ["employee_id", "contract_end", "contract_start", "email", "first_name", "job_title", "last_name"],
      ["E1", "", "2019-01-01", "alice@x", "Alice", "CTO", "Durand"],
      ["E2", "", "2020-01-01", "bob@x", "Bob", "Dev\r\nSenior", "Martin"],
    ]);
    expect(readCsv(join(batch, "HR_Person_Manager.sorted.csv"))).toEqual([["manager_id", "employee_id"], ["E1", "E2"]]);
    const manifest = JSON.parse(readFileSync(join(batch, "batch.json"), "utf8")) as Manifest;
    expect(manifest).toMatchObject({ connector: "HR", mode: "Complete", job: "HR_Synchro", jobInstance: 3, task: "HR_Prepare" });

    write("HRPeople.csv", `${PEOPLE_HEADER}\r\nE1,Alice,Durand,alice@x,CEO,IT,,2019-01-01,\r\nE3,Carol,Petit,carol@x,Dev,HR,E1,2024-01-01,\r\n`);
    const incremental = await prepareSynchronization.run(context, task({ SynchronizationMode: "Incremental" }));
    expect(incremental.counters).toMatchObject({ deltaInserts: 3, deltaUpdates: 1, deltaDeletes: 3 });
    const delta = join(collect, "000002-Incremental");
    expect(readCsv(join(delta, "HR_Person.sorted.delta"))).toEqual([
      ["command", "employee_id", "contract_end", "contract_start", "email", "first_name", "job_title", "last_name"],
      ["update", "E1", "", "2019-01-01", "alice@x", "Alice", "CEO", "Durand"],
      ["delete", "E2", "", "", "", "", "", ""],
      ["insert", "E3", "", "2024-01-01", "carol@x", "Carol", "Dev", "Petit"],
    ]);
    expect(readCsv(join(delta, "HR_Person_Department.sorted.delta"))).toEqual([
      ["command", "department_code", "employee_id"], ["insert", "HR", "E3"], ["delete", "IT", "E2"],
    ]);
    expect(readCsv(join(delta, "HR_Person_Manager.sorted.delta"))).toEqual([["command", "manager_id", "employee_id"], ["delete", "E1", "E2"], ["insert", "E1", "E3"]]);
    expect(readCsv(join(delta, "HR_Department.sorted.delta"))).toEqual([["command", "code", "name"]]);
  });

  it("passes changes through with Type=\"Changes\" and ColumnName", async () => {
    const { context, collect, write } = setup();
    write("HROrganizations.csv", "code,name,change\r\nIT,IT,update\r\nHR,,delete\r\n");
    write("HRPeople.csv", `${PEOPLE_HEADER}\r\n`);
    const result = await runPrepareSynchronization(context, task({ SynchronizationMode: "Incremental", Type: "Changes", ColumnName: "change" }));
    expect(result.counters).toMatchObject({ deltaUpdates: 1, deltaDeletes: 1, deltaInserts: 0 });
    expect(readCsv(join(collect, "000001-Incremental", "HR_Department.sorted.delta"))).toEqual([["command", "code", "name"], ["delete", "HR", ""], ["update", "IT", "IT"]]);
  });

  it("a Complete run cancels the Incremental batches still queued, and forces the external sort on a tiny budget", async () => {
    const { context, collect, write } = setup();
    write("HROrganizations.csv", "code,name\r\n" + Array.from({ length: 500 }, (_, i) => `D${(i * 37) % 500},Dept ${i}\r\n`).join(""));
    write("HRPeople.csv", `${PEOPLE_HEADER}\r\n`);
    await runPrepareSynchronization(context, task({ SynchronizationMode: "Incremental" }));
    await runPrepareSynchronization(context, task({ SynchronizationMode: "Incremental" }));
    const result = await runPrepareSynchronization(context, task({ SynchronizationMode: "Complete" }), 1_000);
    expect(result.counters).toMatchObject({ batchesCancelled: 2, rowsWritten: 500 });
    expect(readdirSync(collect).filter((n) => /^\d/.test(n))).toEqual(["000003-Complete"]);
    const codes = readCsv(join(collect, "000003-Complete", "HR_Department.sorted.csv")).slice(1).map((r) => r[0] as string);
    expect(codes).toEqual([...codes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(codes).size).toBe(500);
  });

  it("a cancelled task leaves no batch", async () => {
    const { context, controller, collect, write } = setup();
    write("HROrganizations.csv", "code,name\r\n" + Array.from({ length: 30_000 }, (_, i) => `D${i},Dept\r\n`).join(""));
    write("HRPeople.csv", `${PEOPLE_HEADER}\r\n`);
    context.progress = (counters) => {
      if ((counters.rowsRead ?? 0) >= 10_000) controller.abort(new Error("job cancelled"));
    };
    await expect(runPrepareSynchronization(context, task({ SynchronizationMode: "Complete" }))).rejects.toThrow("job cancelled");
    expect(readdirSync(collect)).toEqual([]);
  });

  it("does no work for a connector without mappings, and refuses WorkingDirectory", async () => {
    const { context, logs } = setup();
    expect(await runPrepareSynchronization(context, task({ Connector: "Nope" }))).toEqual({ state: "Succeeded", didWork: false, counters: {} });
    expect(logs).toEqual([["Warning", "connector Nope has no EntityTypeMapping or EntityAssociationMapping: nothing to prepare"]]);
    await expect(runPrepareSynchronization(context, task({ WorkingDirectory: "/tmp" }))).rejects.toThrow(/WorkingDirectory is not supported/);
  });
});
