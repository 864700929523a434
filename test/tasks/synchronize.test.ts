import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/config/settings.js";
import { decodeProperties } from "../../src/domain/resources/properties.js";
import { ResourceStore } from "../../src/domain/resources/resource-store.js";
import { ENTITY, type JobInstanceRow, type ResourceRow, type TaskInstanceRow } from "../../src/store/entities.js";
import type { Store } from "../../src/store/store.js";
import { resumeJob, runJob } from "../../src/jobs/runner.js";
import { registerTask } from "../../src/tasks/registry.js";
import prepareSynchronization from "../../src/tasks/prepare-synchronization.js";
import synchronizeTask from "../../src/tasks/synchronize.js";
import type { AttributeValue } from "../../src/config/coerce-attribute.js";
import type { SynchronizeTaskAttributes } from "../../src/config/generated/schema-types.js";
import type { TaskContext, TaskSnapshot } from "../../src/tasks/task-handler.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { deployDemo } from "../helpers/demo-data.js";
import { DEMO } from "../helpers/idm-process.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace } from "../helpers/task-workspace.js";
import { collectFolder, databaseQueue } from "../../src/domain/sync/batch-queue.js";

const PEOPLE_HEADER = "employee_id,first_name,last_name,email,job_title,department_code,manager_id,contract_start,contract_end";
const DEPARTMENTS = "code,name\r\nIT,Information technology\r\nHR,Human resources\r\n";

afterEach(() => removeTaskWorkspaces());

function snapshot(identifier: string, type: string, attributes: Record<string, AttributeValue>): TaskSnapshot {
  return taskSnapshot({ identifier, type, attributes: { Connector: "HR", ...attributes } });
}

function people(...rows: string[]): string {
  return `${PEOPLE_HEADER}\r\n${rows.map((r) => `${r}\r\n`).join("")}`;
}

describe.each(BACKENDS)("SynchronizeTask on %s", (_, backend) => {
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
    const { context: base, folders, logs } = taskWorkspace({}, { store });
    mkdirSync(folders.export);
    const hooks: { progress: () => void } = { progress: () => {} };
    const contextFor = (instanceId: number, force = false): TaskContext => ({
      ...base, job: { identifier: "HR_Synchro", instanceId }, force, progress: () => hooks.progress(),
    });
    const collect = collectFolder(folders.work, "HR", databaseQueue(store));
    const write = (name: string, text: string) => writeFileSync(join(folders.export, name), text);
    /** A job instance with the synchronize task's instance, as the runner writes them. */
    const jobInstance = async (): Promise<number> => {
      const m = store.dataSource.manager;
      const job = await m.getRepository<JobInstanceRow>(ENTITY.jobInstance).save({
        job: "HR_Synchro", state: "InProgress", trigger: "cli", user: "test", host: "test", pid: process.pid, startedAt: new Date(),
        endedAt: null, cancelRequested: false, forced: false, deploymentId: null, selection: null, snapshot: "{}",
      });
      await m.getRepository<TaskInstanceRow>(ENTITY.taskInstance).save({
        jobInstanceId: job.id, task: "HR_Synchronize", taskType: "SynchronizeTask", level: 0, launchOrder: 1, groupIndex: 0, state: "InProgress",
        startedAt: new Date(), endedAt: null, attempt: 1, didWork: false, counters: null, error: null,
      });
      return job.id;
    };
    const prepare = async (mode: string, attributes: Record<string, string> = {}) => {
      const result = await prepareSynchronization.run(contextFor(1), snapshot("HR_Prepare", "PrepareSynchronizationTask", { SynchronizationMode: mode, ...attributes }));
      expect(result.didWork).toBe(true);
    };
    const sync = async (attributes: Partial<SynchronizeTaskAttributes> = {}, options: { instanceId?: number; force?: boolean } = {}) => {
      const instanceId = options.instanceId ?? (await jobInstance());
      const result = await synchronizeTask.run(contextFor(instanceId, options.force ?? false), snapshot("HR_Synchronize", "SynchronizeTask", attributes));
      return { result, instanceId };
    };
    const batches = () => (existsSync(collect) ? readdirSync(collect).filter((n) => /^\d{6}-/.test(n)).sort() : []);
    return { logs, collect, write, prepare, sync, batches, jobInstance, hooks, folders };
  }

  const resources = new Map<string, ResourceRow[]>();
  async function stored(entityType: string): Promise<Record<string, Record<string, unknown>>> {
    const rows: ResourceRow[] = [];
    for await (const page of new ResourceStore(store.dataSource.manager).resources(entityType)) rows.push(...page);
    resources.set(entityType, rows);
    return Object.fromEntries(rows.map((r) => [r.sourceKey, decodeProperties(r.properties)]));
  }

  /** An association's links as (from, to) source key pairs, sorted. */
  async function links(association: string): Promise<string[][]> {
    const rs = new ResourceStore(store.dataSource.manager);
    const pairs: number[][] = [];
    for await (const page of rs.links(association)) pairs.push(...page.map((l) => [l.fromResourceId, l.toResourceId]));
    const keys = new Map((await rs.resourcesByIds([...new Set(pairs.flat())])).map((r) => [r.id, r.sourceKey]));
    return pairs.map(([from, to]) => [keys.get(from!)!, keys.get(to!)!]).sort((a, b) => (a.join("\u0000") < b.join("\u0000") ? -1 : 1));
  }

  async function changeRows(): Promise<{ sourceKey: string; operation: string; state: string }[]> {
    const rows = await store.dataSource.manager.getRepository<{ sourceKey: string; operation: string; state: string; id: number }>(ENTITY.resourceChange)
      .find({ order: { id: "ASC" } });
    return rows.map(({ sourceKey, operation, state }) => ({ sourceKey, operation, state }));
  }

  const ALICE = "E1,Alice,Durand,alice@x,CTO,IT,,2019-01-01,";
  const BOB = "E2,Bob,Martin,bob@x,Dev,IT,E1,2020-01-01,";
  const CAROL = "E3,Carol,Petit,carol@x,Dev,HR,E1,2024-01-01,";

  it("does nothing when no batch is queued", async () => {
    const { sync } = setup();
    const { result } = await sync();
    expect(result).toEqual({ state: "Succeeded", didWork: false, counters: { inserted: 0, updated: 0, deleted: 0, linksInserted: 0, linksDeleted: 0, orphans: 0 } });
  });

  it("loads a Complete batch, and re-applying the same data changes nothing", async () => {
    const { write, prepare, sync, batches, logs } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    write("HRPeople.csv", people(BOB, ALICE, CAROL));
    await prepare("Complete");
    expect(batches()).toEqual(["000001-Complete"]);
    const first = await sync();
    expect(first.result).toEqual({ state: "Succeeded", didWork: true, counters: { inserted: 5, updated: 0, deleted: 0, linksInserted: 5, linksDeleted: 0, orphans: 0 } });
    expect(await links("HR_Person_Department")).toEqual([["HR", "E3"], ["IT", "E1"], ["IT", "E2"]]);
    expect(await links("HR_Person_Manager")).toEqual([["E1", "E2"], ["E1", "E3"]]);
    expect(batches()).toEqual([]);
    expect(await stored("HR_Person")).toEqual({
      E1: { EmployeeId: "E1", FirstName: "Alice", LastName: "Durand", Email: "alice@x", JobTitle: "CTO", ContractStartDate: "2019-01-01T00:00:00.000Z" },
      E2: { EmployeeId: "E2", FirstName: "Bob", LastName: "Martin", Email: "bob@x", JobTitle: "Dev", ContractStartDate: "2020-01-01T00:00:00.000Z" },
      E3: { EmployeeId: "E3", FirstName: "Carol", LastName: "Petit", Email: "carol@x", JobTitle: "Dev", ContractStartDate: "2024-01-01T00:00:00.000Z" },
    });
    expect(await stored("HR_Department")).toEqual({ HR: { Code: "HR", Name: "Human resources" }, IT: { Code: "IT", Name: "Information technology" } });
    const before = resources.get("HR_Person")!.map((r) => [r.id, r.hash, r.validFrom.toISOString()]);
    expect(await changeRows()).toEqual([]);
    expect(logs.filter(([level]) => level === "Warning")).toEqual([]);

    await prepare("Complete");
    const second = await sync();
    expect(second.result).toEqual({ state: "Succeeded", didWork: false, counters: { inserted: 0, updated: 0, deleted: 0, linksInserted: 0, linksDeleted: 0, orphans: 0 } });
    await stored("HR_Person");
    expect(resources.get("HR_Person")!.map((r) => [r.id, r.hash, r.validFrom.toISOString()])).toEqual(before);
    expect(batches()).toEqual([]);
    expect(await links("HR_Person_Department")).toEqual([["HR", "E3"], ["IT", "E1"], ["IT", "E2"]]);
    expect(await links("HR_Person_Manager")).toEqual([["E1", "E2"], ["E1", "E3"]]);

    const history = await new ResourceStore(store.dataSource.manager).synchronizations("HR", 10);
    expect(history.map((h) => [h.jobInstanceId, h.mode, h.state, h.resourcesInserted, h.resourcesUpdated, h.resourcesDeleted])).toEqual([
      [second.instanceId, "Complete", "Succeeded", 0, 0, 0],
      [first.instanceId, "Complete", "Succeeded", 5, 0, 0],
    ]);
  });

  it("applies the inserts, updates and deletes of a Complete batch exactly, keeping the changes under DoNotDeleteChanges", async () => {
    const { write, prepare, sync } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    write("HRPeople.csv", people(ALICE, BOB, CAROL));
    await prepare("Complete");
    await sync();
    await stored("HR_Person");
    const idsBefore = Object.fromEntries(resources.get("HR_Person")!.map((r) => [r.sourceKey, r.id]));

    write("HRPeople.csv", people("E1,Alice,Durand,alice@x,CEO,IT,,2019-01-01,2030-12-31", CAROL, "E4,Dan,Roux,,Ops,IT,E1,2025-01-01,"));
    await prepare("Complete");
    const { result } = await sync({ ForceSynchronization: true, DoNotDeleteChanges: true });
    expect(result).toEqual({ state: "Succeeded", didWork: true, counters: { inserted: 1, updated: 1, deleted: 1, linksInserted: 2, linksDeleted: 2, orphans: 0 } });
    expect(await links("HR_Person_Department")).toEqual([["HR", "E3"], ["IT", "E1"], ["IT", "E4"]]);
    expect(await links("HR_Person_Manager")).toEqual([["E1", "E3"], ["E1", "E4"]]);
    expect(await stored("HR_Person")).toEqual({
      E1: { EmployeeId: "E1", FirstName: "Alice", LastName: "Durand", Email: "alice@x", JobTitle: "CEO", ContractStartDate: "2019-01-01T00:00:00.000Z", ContractEndDate: "2030-12-31T00:00:00.000Z" },
      E3: { EmployeeId: "E3", FirstName: "Carol", LastName: "Petit", Email: "carol@x", JobTitle: "Dev", ContractStartDate: "2024-01-01T00:00:00.000Z" },
      E4: { EmployeeId: "E4", FirstName: "Dan", LastName: "Roux", JobTitle: "Ops", ContractStartDate: "2025-01-01T00:00:00.000Z" },
    });
    const after = Object.fromEntries(resources.get("HR_Person")!.map((r) => [r.sourceKey, r.id]));
    expect(after.E1).toBe(idsBefore.E1);
    expect(after.E3).toBe(idsBefore.E3);
    const rs = new ResourceStore(store.dataSource.manager);
    const history = await rs.history(idsBefore.E1!);
    expect(history.map((h) => decodeProperties(h.properties).JobTitle)).toEqual(["CTO"]);
    expect((await rs.history(idsBefore.E2!)).length).toBe(1);
    expect(await changeRows()).toEqual([
      { sourceKey: "E1", operation: "update", state: "applied" },
      { sourceKey: "E2", operation: "delete", state: "applied" },
      { sourceKey: "E4", operation: "insert", state: "applied" },
    ]);
  });

  it("ends Blocked past a threshold, keeps the changes blocked, and applies them on resume", async () => {
    const { write, prepare, sync, batches } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    write("HRPeople.csv", people(ALICE, BOB, CAROL));
    await prepare("Complete");
    await sync();

    write("HRPeople.csv", people(ALICE));
    await prepare("Complete");
    const blocked = await sync();
    expect(blocked.result.state).toBe("Blocked");
    expect(blocked.result.didWork).toBe(false);
    expect(blocked.result.message).toBe("MaxPercentageDeletedLines of connector HR (10%) exceeded: 2 of 5 resources of HR (40%) would be deleted");
    expect(Object.keys(await stored("HR_Person"))).toEqual(["E1", "E2", "E3"]);
    expect(await links("HR_Person_Manager")).toEqual([["E1", "E2"], ["E1", "E3"]]);
    expect(await changeRows()).toEqual([
      { sourceKey: "E2", operation: "delete", state: "blocked" },
      { sourceKey: "E3", operation: "delete", state: "blocked" },
    ]);
    expect(batches()).toEqual([]);
    const rs = new ResourceStore(store.dataSource.manager);
    expect((await rs.synchronizations("HR", 1))[0]).toMatchObject({ jobInstanceId: blocked.instanceId, state: "Blocked", resourcesDeleted: 0 });

    // The resume: same job instance, thresholds forced; nothing is recomputed.
    const resumed = await sync({}, { instanceId: blocked.instanceId, force: true });
    expect(resumed.result).toEqual({ state: "Succeeded", didWork: true, counters: { inserted: 0, updated: 0, deleted: 2, linksInserted: 0, linksDeleted: 4, orphans: 0 } });
    expect(await links("HR_Person_Department")).toEqual([["IT", "E1"]]);
    expect(await links("HR_Person_Manager")).toEqual([]);
    expect(Object.keys(await stored("HR_Person"))).toEqual(["E1"]);
    expect(await changeRows()).toEqual([]);
    const history = await rs.synchronizations("HR", 10);
    expect(history.length).toBe(2);
    expect(history[0]).toMatchObject({ jobInstanceId: blocked.instanceId, state: "Succeeded", resourcesDeleted: 2, error: null });
  });

  it("holds an Incremental batch past a threshold as blocked change rows, and the resume applies them, marking what it changed dirty", async () => {
    const { write, prepare, sync, batches } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    write("HRPeople.csv", people(ALICE, BOB, CAROL));
    await prepare("Complete");
    await sync();

    write("HRPeople.csv", people("E1,Alice,Durand,alice@x,CEO,IT,,2019-01-01,"));
    await prepare("Incremental");
    const blocked = await sync();
    expect(blocked.result.state).toBe("Blocked");
    expect(blocked.result.message).toBe("MaxPercentageUpdatedLines of connector HR (5%) exceeded: 1 of 5 resources of HR (20%) would be updated");
    expect(await stored("HR_Person")).toMatchObject({ E1: { JobTitle: "CTO" }, E2: {}, E3: {} });
    expect(await changeRows()).toEqual([
      { sourceKey: "E1", operation: "update", state: "blocked" },
      { sourceKey: "E2", operation: "delete", state: "blocked" },
      { sourceKey: "E3", operation: "delete", state: "blocked" },
    ]);
    expect(batches()).toEqual([]);

    const resumed = await sync({}, { instanceId: blocked.instanceId, force: true });
    expect(resumed.result).toMatchObject({ state: "Succeeded", counters: { inserted: 0, updated: 1, deleted: 2 } });
    expect(await stored("HR_Person")).toEqual({ E1: expect.objectContaining({ JobTitle: "CEO" }) });
    expect(resources.get("HR_Person")!.map((r) => Boolean(r.dirty))).toEqual([true]);
    expect(await changeRows()).toEqual([]);
  });

  it("blocks on the lowest threshold: HR_Person's MaximumDeletedLines (20) under the connector's 50 lines and 10%", async () => {
    const { write, prepare, sync } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    const many = Array.from({ length: 250 }, (_, i) => `P${String(i).padStart(3, "0")},F,L,,T,IT,,2020-01-01,`);
    write("HRPeople.csv", people(...many));
    await prepare("Complete");
    expect((await sync({ ForceSynchronization: true })).result.counters).toMatchObject({ inserted: 252 });
    // 21 of 252 deleted: 8.3% and 21 lines pass the connector's thresholds, not the mapping's 20 lines.
    write("HRPeople.csv", people(...many.slice(21)));
    await prepare("Complete");
    const blocked = await sync();
    expect(blocked.result).toMatchObject({ state: "Blocked", message: "MaximumDeletedLines of EntityTypeMapping HR_Person (20) exceeded: 21 HR_Person resources would be deleted" });
    expect(Object.keys(await stored("HR_Person")).length).toBe(250);
    // A later Complete run supersedes the changes left blocked by other job instances.
    await prepare("Complete");
    expect((await sync({ ForceSynchronization: true })).result.counters).toMatchObject({ deleted: 21 });
    const states = await changeRows();
    expect(states.filter((c) => c.state !== "discarded")).toEqual([]);
    expect(states.length).toBe(21);
  });

  it("rolls the whole apply back when it fails before committing, and puts the batch back in the queue", async () => {
    const { write, prepare, sync, batches, hooks } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    write("HRPeople.csv", people(ALICE, BOB, CAROL));
    await prepare("Complete");
    await sync();
    const before = await stored("HR_Person");

    write("HRPeople.csv", people("E1,Alice,Durand,alice@x,CEO,IT,,2019-01-01,", "E4,Dan,Roux,,Ops,IT,E1,2025-01-01,"));
    await prepare("Complete");
    // The progress callback runs inside the transaction, after a page of changes was written.
    hooks.progress = () => { throw new Error("killed mid-apply"); };
    await expect(sync({ ForceSynchronization: true })).rejects.toThrow("killed mid-apply");
    expect(await stored("HR_Person")).toEqual(before);
    expect(batches()).toEqual(["000002-Complete"]);
    expect((await new ResourceStore(store.dataSource.manager).synchronizations("HR", 10)).length).toBe(1);

    hooks.progress = () => {};
    const { result } = await sync({ ForceSynchronization: true });
    expect(result.counters).toMatchObject({ inserted: 1, updated: 1, deleted: 2 });
    expect(Object.keys(await stored("HR_Person"))).toEqual(["E1", "E4"]);
    expect(batches()).toEqual([]);
    // A Complete batch that passes its thresholds is applied from its files: no resource change row is left.
    expect(await changeRows()).toEqual([]);
  });

  it("counts links to missing resources as orphans and writes them to a CSV under Orphans=\"true\"", async () => {
    const { write, prepare, sync, logs } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    write("HRPeople.csv", people(ALICE, "E2,Bob,Martin,bob@x,Dev,XX,E9,2020-01-01,"));
    await prepare("Complete");
    const { result, instanceId } = await sync({ Orphans: true });
    expect(result.counters).toEqual({ inserted: 4, updated: 0, deleted: 0, linksInserted: 1, linksDeleted: 0, orphans: 2 });
    expect(await links("HR_Person_Department")).toEqual([["IT", "E1"]]);
    expect(await links("HR_Person_Manager")).toEqual([]);
    const orphans = logs.find(([, m]) => m.startsWith("orphans written to "))![1].slice("orphans written to ".length);
    expect(orphans.endsWith(join("Synchronize", "HR", `${instanceId}-orphans.csv`))).toBe(true);
    expect(readFileSync(orphans, "utf8").split(/\r?\n/).filter((l) => l !== "")).toEqual([
      "association,from_key,to_key", "HR_Person_Department,XX,E2", "HR_Person_Manager,E9,E2",
    ]);
    // Orphans change nothing: the same batch again does no work.
    await prepare("Complete");
    const again = await sync();
    expect(again.result).toMatchObject({ didWork: false, counters: { inserted: 0, linksInserted: 0, orphans: 2 } });
  });

  it("blocks on a link threshold, and the resume applies the link changes", async () => {
    const { write, prepare, sync } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    write("HRPeople.csv", people(ALICE, BOB, CAROL));
    await prepare("Complete");
    await sync();
    // Bob moves to HR: no property of HR_Person changes (department_code maps only the link).
    write("HRPeople.csv", people(ALICE, "E2,Bob,Martin,bob@x,Dev,HR,E1,2020-01-01,", CAROL));
    await prepare("Complete");
    const blocked = await sync();
    expect(blocked.result).toMatchObject({
      state: "Blocked", message: "MaxLinkPercentageInsertedLines of connector HR (5%) exceeded: 1 of 5 links of HR (20%) would be inserted",
    });
    expect(await links("HR_Person_Department")).toEqual([["HR", "E3"], ["IT", "E1"], ["IT", "E2"]]);
    const resumed = await sync({}, { instanceId: blocked.instanceId, force: true });
    expect(resumed.result.counters).toEqual({ inserted: 0, updated: 0, deleted: 0, linksInserted: 1, linksDeleted: 1, orphans: 0 });
    expect(await links("HR_Person_Department")).toEqual([["HR", "E2"], ["HR", "E3"], ["IT", "E1"]]);
  });

  it("runs in the demo job HR_Complete: Blocked stops the job, idm resume applies the kept changes", async () => {
    const { write, folders, batches } = setup();
    const restore = registerTask(synchronizeTask);
    try {
      const options = { store, settings: { ...DEFAULT_SETTINGS, paths: folders }, selection: { begin: "HR_PrepareSynchronization", end: "HR_Synchronize" } };
      write("HROrganizations.csv", DEPARTMENTS);
      write("HRPeople.csv", people(ALICE, BOB, CAROL));
      const first = await runJob("HR_Complete", options);
      expect(first.state).toBe("Succeeded");
      expect(first.tasks.find((t) => t.identifier === "HR_Synchronize")).toMatchObject({ state: "Succeeded", didWork: true, counters: { inserted: 5, linksInserted: 5 } });

      write("HRPeople.csv", people(ALICE));
      const blocked = await runJob("HR_Complete", options);
      expect(blocked.state).toBe("Blocked");
      expect(blocked.tasks.find((t) => t.identifier === "HR_Synchronize")).toMatchObject({ state: "Blocked", attempt: 1 });
      expect(Object.keys(await stored("HR_Person"))).toEqual(["E1", "E2", "E3"]);

      const resumed = await resumeJob(blocked.instanceId, options);
      expect(resumed.state).toBe("Succeeded");
      expect(resumed.tasks.find((t) => t.identifier === "HR_Synchronize")).toMatchObject({
        state: "Succeeded", attempt: 2, counters: { inserted: 0, updated: 0, deleted: 2, linksDeleted: 4 },
      });
      expect(Object.keys(await stored("HR_Person"))).toEqual(["E1"]);
      expect(batches()).toEqual([]);
      const history = await new ResourceStore(store.dataSource.manager).synchronizations("HR", 10);
      expect(history.map((h) => [h.jobInstanceId, h.state, h.resourcesDeleted])).toEqual([[blocked.instanceId, "Succeeded", 2], [first.instanceId, "Succeeded", 0]]);
    } finally {
      restore();
    }
  });

  it("runs the demo's AD_Synchronize_Complete: a SQL export of the demo directory, its links resolved by dn (a unique key), then an Incremental", { timeout: 60_000 }, async () => {
    const { folders, prepare, sync } = setup();
    const demoSettings = JSON.parse(readFileSync(join(DEMO, "appsettings.json"), "utf8")) as { Connections: Record<string, { Queries: unknown }> };
    const connections = { ADExportFulfillment: { ConnectionString: `sqlite:${join(folders.work, "directory.db")}`, Queries: demoSettings.Connections.ADExportFulfillment!.Queries } };
    const options = { store, settings: { ...DEFAULT_SETTINGS, paths: folders, connections } };
    const first = await runJob("AD_Synchronize_Complete", options);
    expect(first.state).toBe("Succeeded");
    // 2,970 people with an account (every 100th has none), 7 groups, 20 service accounts; each person in two groups.
    expect(first.tasks.find((t) => t.identifier === "AD_Sync_Synchronize")?.counters).toEqual({
      inserted: 2_997, updated: 0, deleted: 0, linksInserted: 5_940 + 2_969, linksDeleted: 0, orphans: 0,
    });
    const entries = await stored("AD_Entry");
    const idOf = new Map(resources.get("AD_Entry")!.map((r) => [String(decodeProperties(r.properties).sAMAccountName), r.id]));
    const byEmployee = new Map(resources.get("AD_Entry")!.map((r) => [decodeProperties(r.properties).employeeID, r.id]));
    const rs = new ResourceStore(store.dataSource.manager);
    const linksOf = async (association: string) => {
      const found: [number, number][] = [];
      for await (const page of rs.links(association)) found.push(...page.map((l): [number, number] => [l.fromResourceId, l.toResourceId]));
      return found;
    };
    // A link's from end is Column1's (member, manager): Sophie (E00002, FIN) is in two groups, and E00001 manages her.
    const sophie = byEmployee.get("E00002")!;
    expect((await linksOf("AD_Entry_Members")).filter(([member]) => member === sophie).map(([, group]) => group).sort())
      .toEqual([idOf.get("GG_AllStaff"), idOf.get("GG_FIN")].sort());
    expect((await linksOf("AD_Entry_Manager")).filter(([, report]) => report === sophie)).toEqual([[byEmployee.get("E00001"), sophie]]);
    expect(Object.keys(entries).length).toBe(2_997);

    const second = await runJob("AD_Synchronize_Complete", options);
    expect(second.tasks.find((t) => t.identifier === "AD_Sync_Synchronize")).toMatchObject({ state: "Succeeded", didWork: false });

    // Incremental: a new account in a group, both named by dn. The new dn comes from the batch's
    // commands, the group's from the stored resources.
    const newDn = "CN=New Hire (E09999),OU=Users,DC=demo,DC=local";
    const append = (file: string, line: string) => writeFileSync(join(folders.export, file), readFileSync(join(folders.export, file), "utf8") + line + "\r\n");
    append("ADExportFulfillment_entries.csv", `00000000-0000-4000-8000-00000009ffff,"${newDn}",nhire,nhire@demo.local,New Hire,,E09999,512,Person,`);
    append("ADExportFulfillment_members.csv", `"${newDn}","CN=GG_AllStaff,OU=Groups,DC=demo,DC=local"`);
    append("ADExportFulfillment_members.csv", `"${newDn}","CN=GG_Nowhere,OU=Groups,DC=demo,DC=local"`);
    await prepare("Incremental", { Connector: "AD" });
    const incremental = await sync({ Connector: "AD" });
    expect(incremental.result.counters).toEqual({ inserted: 1, updated: 0, deleted: 0, linksInserted: 1, linksDeleted: 0, orphans: 1 });
    await stored("AD_Entry");
    const newId = resources.get("AD_Entry")!.find((r) => r.sourceKey === "00000000-0000-4000-8000-00000009ffff")!.id;
    expect((await linksOf("AD_Entry_Members")).filter(([member]) => member === newId)).toEqual([[newId, idOf.get("GG_AllStaff")]]);
  });

  it("applies an Incremental batch and marks what it changed dirty", async () => {
    const { write, prepare, sync } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    write("HRPeople.csv", people(ALICE, BOB, CAROL));
    await prepare("Complete");
    await sync();

    write("HRPeople.csv", people("E1,Alice,Durand,alice@x,CEO,IT,,2019-01-01,", BOB, "E4,Dan,Roux,dan@x,Ops,IT,E1,2025-01-01,"));
    await prepare("Incremental");
    const { result } = await sync({ ForceSynchronization: true });
    expect(result).toEqual({ state: "Succeeded", didWork: true, counters: { inserted: 1, updated: 1, deleted: 1, linksInserted: 2, linksDeleted: 2, orphans: 0 } });
    expect(await links("HR_Person_Department")).toEqual([["IT", "E1"], ["IT", "E2"], ["IT", "E4"]]);
    expect(await links("HR_Person_Manager")).toEqual([["E1", "E2"], ["E1", "E4"]]);
    expect(await stored("HR_Person")).toMatchObject({ E1: { JobTitle: "CEO" }, E2: { FirstName: "Bob" }, E4: { FirstName: "Dan" } });
    expect(Object.keys(await stored("HR_Person"))).toEqual(["E1", "E2", "E4"]);
    const dirty = Object.fromEntries(resources.get("HR_Person")!.map((r) => [r.sourceKey, Boolean(r.dirty)]));
    expect(dirty).toEqual({ E1: true, E2: false, E4: true });
    expect(await changeRows()).toEqual([]);
  });

  it("applies an Incremental batch straight from its file: change rows are written only when kept (DoNotDeleteChanges)", async () => {
    const { write, prepare, sync } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    write("HRPeople.csv", people(ALICE, BOB, CAROL));
    await prepare("Complete");
    await sync();
    // Every row ever inserted into the change table, whatever happens to it after.
    const m = store.dataSource.manager;
    await m.query("CREATE TABLE change_row_inserts (n INTEGER)");
    if (backend.name === "sqlite") {
      await m.query("CREATE TRIGGER count_change_rows AFTER INSERT ON idm_resource_changes BEGIN INSERT INTO change_row_inserts VALUES (1); END");
    } else {
      await m.query("CREATE FUNCTION count_change_row() RETURNS trigger AS $$ BEGIN INSERT INTO change_row_inserts VALUES (1); RETURN NEW; END $$ LANGUAGE plpgsql");
      await m.query("CREATE TRIGGER count_change_rows AFTER INSERT ON idm_resource_changes FOR EACH ROW EXECUTE FUNCTION count_change_row()");
    }
    const inserted = async () => Number((await m.query<{ n: number | string }[]>("SELECT COUNT(*) AS n FROM change_row_inserts"))[0]!.n);

    write("HRPeople.csv", people("E1,Alice,Durand,alice@x,CEO,IT,,2019-01-01,", BOB, CAROL));
    await prepare("Incremental");
    expect((await sync({ ForceSynchronization: true })).result.counters).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
    expect(await inserted()).toBe(0);

    write("HRPeople.csv", people("E1,Alice,Durand,alice@x,CFO,IT,,2019-01-01,", BOB, CAROL));
    await prepare("Incremental");
    expect((await sync({ ForceSynchronization: true, DoNotDeleteChanges: true })).result.counters).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
    expect(await inserted()).toBe(1);
    expect(await changeRows()).toEqual([{ sourceKey: "E1", operation: "update", state: "applied" }]);
    expect(await stored("HR_Person")).toMatchObject({ E1: { JobTitle: "CFO" } });
  });

  if (backend.name === "postgres") {
    it("refreshes the planner's statistics of idm_resources after loading 10,000 resources, so that key lookups use the unique index", async () => {
      const { write, prepare, sync } = setup();
      const tuples = async () => Number((await store.dataSource.query<{ n: number }[]>("SELECT reltuples AS n FROM pg_class WHERE oid = 'idm_resources'::regclass"))[0]!.n);
      write("HROrganizations.csv", DEPARTMENTS);
      write("HRPeople.csv", people(...Array.from({ length: 9_997 }, (_, i) => `P${i},F,L,p${i}@x,Dev,IT,,2019-01-01,`)));
      await prepare("Complete");
      expect((await sync({ ForceSynchronization: true })).result.counters?.inserted).toBe(9_999);
      expect(await tuples()).toBeLessThan(1);
      write("HRPeople.csv", people(...Array.from({ length: 9_998 }, (_, i) => `P${i},F,L,p${i}@x,Dev,IT,,2019-01-01,`)));
      await prepare("Complete");
      expect((await sync({ ForceSynchronization: true })).result.counters?.inserted).toBe(1);
      expect(await tuples()).toBeLessThan(1);
      write("HRPeople.csv", people(...Array.from({ length: 19_998 }, (_, i) => `P${i},F,L,p${i}@x,Dev,IT,,2019-01-01,`)));
      await prepare("Complete");
      expect((await sync({ ForceSynchronization: true })).result.counters?.inserted).toBe(10_000);
      expect(await tuples()).toBe(20_000);
    });
  }

  it("keeps the computed properties it does not map when it updates a resource, and a Complete run clears the dirty flags", async () => {
    const { write, prepare, sync } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    write("HRPeople.csv", people(ALICE, BOB));
    await prepare("Complete");
    await sync();
    await stored("HR_Person");
    const [alice, bob] = resources.get("HR_Person")!;
    // What UpdateEntityPropertyExpressionsTask writes: a computed value, the hash of the synchronized properties unchanged.
    const rs = new ResourceStore(store.dataSource.manager);
    for (const r of [alice!, bob!]) {
      const properties = JSON.stringify({ ...decodeProperties(r.properties), InternalDisplayName: `${r.sourceKey} computed` });
      await store.dataSource.manager.update(ENTITY.resource, { id: r.id }, { properties });
    }
    await rs.markDirty([alice!.id, bob!.id]);

    write("HRPeople.csv", people("E1,Alice,Durand,alice@x,CEO,IT,,2019-01-01,", BOB));
    await prepare("Complete");
    expect((await sync({ ForceSynchronization: true })).result.counters).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
    expect(await stored("HR_Person")).toMatchObject({
      E1: { JobTitle: "CEO", InternalDisplayName: "E1 computed" },
      E2: { JobTitle: "Dev", InternalDisplayName: "E2 computed" },
    });
    const after = resources.get("HR_Person")!;
    expect(after.map((r) => Boolean(r.dirty))).toEqual([false, false]);
    // Bob's stored text differs from his synchronized properties, yet he was not rewritten: only his hash is compared.
    expect(after[1]!.validFrom).toEqual(bob!.validFrom);
    expect((await rs.history(bob!.id)).length).toBe(0);

    // A second run of the same data changes nothing although the computed value is in the stored text.
    await prepare("Complete");
    expect((await sync()).result).toMatchObject({ didWork: false, counters: { inserted: 0, updated: 0, deleted: 0 } });

    // An Incremental run keeps them too (it reads the stored properties with the keys it resolves).
    write("HRPeople.csv", people("E1,Alice,Durand,alice@x,CTO,IT,,2019-01-01,", BOB));
    await prepare("Incremental");
    expect((await sync({ ForceSynchronization: true })).result.counters).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
    expect(await stored("HR_Person")).toMatchObject({
      E1: { JobTitle: "CTO", InternalDisplayName: "E1 computed" },
      E2: { JobTitle: "Dev", InternalDisplayName: "E2 computed" },
    });
  });

  it("loads an Initial batch, and refuses another Initial on the loaded connector, the batch staying queued", async () => {
    const { write, prepare, sync, batches } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    write("HRPeople.csv", people(ALICE, BOB));
    await prepare("Initial");
    const first = await sync();
    expect(first.result).toEqual({ state: "Succeeded", didWork: true, counters: { inserted: 4, updated: 0, deleted: 0, linksInserted: 3, linksDeleted: 0, orphans: 0 } });
    expect(await links("HR_Person_Department")).toEqual([["IT", "E1"], ["IT", "E2"]]);
    expect(await links("HR_Person_Manager")).toEqual([["E1", "E2"]]);
    expect(Object.keys(await stored("HR_Person"))).toEqual(["E1", "E2"]);

    await prepare("Initial");
    expect(batches()).toEqual(["000002-Initial"]);
    await expect(sync()).rejects.toThrow(/Initial synchronization of HR refused: the store already holds/);
    expect(batches()).toEqual(["000002-Initial"]);
    expect(Object.keys(await stored("HR_Person"))).toEqual(["E1", "E2"]);
  });

  it("takes the oldest batch first, and a Complete prepare cannot cancel a taken Incremental", async () => {
    const { write, prepare, sync, batches, collect } = setup();
    write("HROrganizations.csv", DEPARTMENTS);
    write("HRPeople.csv", people(ALICE));
    await prepare("Complete");
    await prepare("Complete");
    expect(batches()).toEqual(["000001-Complete", "000002-Complete"]);
    await sync();
    expect(batches()).toEqual(["000002-Complete"]);

    // A batch taken by a running synchronization (here: by hand) is out of the prepare's reach.
    write("HRPeople.csv", people(ALICE, BOB));
    await prepare("Incremental");
    const { renameSync } = await import("node:fs");
    renameSync(join(collect, "000003-Incremental"), join(collect, "000003-Incremental.taken"));
    await prepare("Complete");
    expect(batches()).toEqual(["000002-Complete", "000003-Incremental.taken", "000004-Complete"]);
  });
});
