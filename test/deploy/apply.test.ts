import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { IsNull, Not } from "typeorm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateFolder } from "../../src/config/validate-folder.js";
import { deploy, type DeployOptions } from "../../src/deploy/apply.js";
import { readStoredItems } from "../../src/deploy/read-stored.js";
import { DEFAULT_DELETION_GUARD } from "../../src/deploy/deletion-guard.js";
import { DeployError } from "../../src/deploy/deploy-error.js";
import { itemsAfter, listDeployments } from "../../src/deploy/history.js";
import { buildItems, type Item } from "../../src/config/items.js";
import { planDeploy } from "../../src/deploy/plan.js";
import { ENTITY } from "../../src/store/entities.js";
import { LeaseBusyError } from "../../src/store/lease.js";
import type { Store } from "../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

const DEMO = fileURLToPath(new URL("../../conf-samples/demo", import.meta.url));
const OPTIONS: DeployOptions = { sourceFolder: "demo", guard: DEFAULT_DELETION_GUARD, lease: { waitMs: 5000, ttlMs: 15000 } };

function copyDemo(): string {
  const dir = mkdtempSync(join(tmpdir(), "idm-demo-"));
  cpSync(DEMO, dir, { recursive: true });
  return dir;
}

function itemsOf(dir: string): Item[] {
  const result = validateFolder(dir);
  expect(result.valid).toBe(true);
  return buildItems(result.configuration);
}

function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

async function counts(store: Store): Promise<Record<string, number>> {
  const m = store.dataSource.manager;
  return {
    items: await m.getRepository(ENTITY.item).count(),
    deployments: await m.getRepository(ENTITY.deployment).count(),
    revisions: await m.getRepository(ENTITY.revision).count(),
  };
}

/** Everything stored, for before/after comparisons. */
async function snapshot(store: Store): Promise<unknown> {
  const m = store.dataSource.manager;
  return {
    items: (await readStoredItems(m)).map((i) => [i.kind, i.identifier, i.hash, i.source]),
    deployments: (await m.getRepository(ENTITY.deployment).find({ order: { id: "ASC" } })).map((d) => d.id),
    revisions: await m.getRepository(ENTITY.revision).count(),
  };
}

describe.each(BACKENDS)("deploy on %s", (name, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });
  /** A store on this test's database; a second call opens a second connection (a second process would). */
  const open = (): Promise<Store> => db.open();

  it("inserts everything once, then a second deploy changes nothing and writes no row", async () => {
    const store = await open();
    const items = itemsOf(DEMO);
    const first = await deploy(store, items, OPTIONS);
    expect(first.deploymentId).toBe(1);
    expect(first.plan.summary).toEqual({ insert: items.length, update: 0, delete: 0 });
    expect(await counts(store)).toEqual({ items: items.length, deployments: 1, revisions: items.length });
    const second = await deploy(store, items, OPTIONS);
    expect(second.deploymentId).toBeUndefined();
    expect(second.plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
    expect(await counts(store)).toEqual({ items: items.length, deployments: 1, revisions: items.length });
    const stored = await readStoredItems(store.dataSource.manager);
    expect(new Map(stored.map((s) => [`${s.kind}:${s.identifier}`, s.hash]))).toEqual(new Map(items.map((i) => [`${i.kind}:${i.identifier}`, i.hash])));
  });

  it("updates exactly the changed attribute and job step, with a revision", async () => {
    const store = await open();
    const dir = copyDemo();
    await deploy(store, itemsOf(dir), OPTIONS);
    edit(dir, "Jobs/HR_Complete.xml", 'Identifier="HR_Synchronize"', 'Identifier="HR_Synchronize" DoNotDeleteChanges="true"');
    edit(dir, "Jobs/Demo_Housekeeping.xml", 'Level="3"', 'Level="4"');
    const result = await deploy(store, itemsOf(dir), OPTIONS);
    expect(result.plan.updates.map((u) => [u.kind, u.identifier, u.changes.map((c) => c.path)])).toEqual([
      ["Job", "Demo_Housekeeping", ["children.steps[7].level"]],
      ["SynchronizeTask", "HR_Synchronize", ["attributes.DoNotDeleteChanges"]],
    ]);
    const stored = (await readStoredItems(store.dataSource.manager)).find((s) => s.identifier === "HR_Synchronize")!;
    expect(stored.attributes.DoNotDeleteChanges).toBe(true);
    const revisions = await store.dataSource.manager.getRepository(ENTITY.revision).findBy({ deploymentId: 2, identifier: "HR_Synchronize" });
    expect(revisions).toHaveLength(1);
    expect(JSON.parse(revisions[0]!.before!).attributes.DoNotDeleteChanges).toBe(false);
    expect(revisions[0]!.after).toBeNull();
  });

  it("rebuilds the items after any deployment from revisions that keep only the state before each change", async () => {
    const store = await open();
    const dir = copyDemo();
    const flag = async (deploymentId: number) =>
      (await itemsAfter(store, deploymentId)).find((i) => i.identifier === "HR_Synchronize")?.attributes.DoNotDeleteChanges;
    await deploy(store, itemsOf(dir), OPTIONS);
    edit(dir, "Jobs/HR_Complete.xml", 'Identifier="HR_Synchronize"', 'Identifier="HR_Synchronize" DoNotDeleteChanges="true"');
    await deploy(store, itemsOf(dir), OPTIONS);
    edit(dir, "Jobs/Demo_Housekeeping.xml", 'Level="3"', 'Level="4"');
    await deploy(store, itemsOf(dir), OPTIONS);
    const all = itemsOf(dir);
    await deploy(store, all.filter((i) => i.identifier !== "HR_Synchronize"), { ...OPTIONS, allowDeletes: true });
    expect([await flag(1), await flag(2), await flag(3), await flag(4)]).toEqual([false, true, true, undefined]);
    expect((await itemsAfter(store, 3)).map((i) => i.hash).sort()).toEqual(all.map((i) => i.hash).sort());
    expect((await itemsAfter(store, 4)).length).toBe(all.length - 1);
    // Each item's JSON is written once: the inserts' and updates' revisions hold no copy of it.
    const m = store.dataSource.manager;
    expect(await m.getRepository(ENTITY.revision).countBy({ after: Not(IsNull()) })).toBe(0);
  });

  it("keeps in the ledger the change set by key, not a third copy of each item", async () => {
    const store = await open();
    const dir = copyDemo();
    await deploy(store, itemsOf(dir), OPTIONS);
    edit(dir, "Jobs/HR_Complete.xml", 'Identifier="HR_Synchronize"', 'Identifier="HR_Synchronize" DoNotDeleteChanges="true"');
    await deploy(store, itemsOf(dir), OPTIONS);
    const [first, second] = await store.dataSource.manager.getRepository(ENTITY.deployment).find({ order: { id: "ASC" } });
    const cold = JSON.parse(first!.plan);
    expect(cold.summary.insert).toBe(cold.inserts.length);
    expect(Object.keys(cold.inserts[0]).sort()).toEqual(["identifier", "kind", "source"]);
    expect(JSON.parse(second!.plan).updates).toEqual([
      { kind: "SynchronizeTask", identifier: "HR_Synchronize", changes: [{ path: "attributes.DoNotDeleteChanges", before: false, after: true }] },
    ]);
  });

  it("guards against many deletes, and deletes with allowDeletes", async () => {
    const store = await open();
    const dir = copyDemo();
    await deploy(store, itemsOf(dir), OPTIONS);
    // HR_Incremental reuses tasks of HR_Complete: both go.
    rmSync(join(dir, "Jobs/HR_Complete.xml"));
    rmSync(join(dir, "Jobs/HR_Incremental.xml"));
    const before = await snapshot(store);
    const error = await deploy(store, itemsOf(dir), OPTIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).code).toBe("deletion-guard");
    expect((error as DeployError).details).toContain("Job HR_Complete (Jobs/HR_Complete.xml:7)");
    expect(await snapshot(store)).toEqual(before);
    const result = await deploy(store, itemsOf(dir), { ...OPTIONS, allowDeletes: true });
    expect(result.plan.summary.delete).toBe(result.plan.deletes.length);
    expect(result.plan.deletes.length).toBeGreaterThan(10);
    expect((await counts(store)).items).toBe(itemsOf(dir).length);
  });

  it("is all or nothing: an error in the middle of the apply leaves the database as it was", async () => {
    const store = await open();
    const dir = copyDemo();
    await deploy(store, itemsOf(dir), OPTIONS);
    edit(dir, "Jobs/Demo_Housekeeping.xml", 'Level="3"', 'Level="4"');
    writeFileSync(join(dir, "Extra.xml"), readFileSync(join(DEMO, "Agents.xml"), "utf8").replace(/Identifier="(\w+)"/g, 'Identifier="$1_2"').replace(/Code="(\w\w)-/g, 'Code="$1x-'));
    const before = await snapshot(store);
    let batches = 0;
    const failing = { ...OPTIONS, afterBatch: () => { if (++batches === 1) throw new Error("injected failure"); } };
    await expect(deploy(store, itemsOf(dir), failing)).rejects.toThrow("injected failure");
    expect(await snapshot(store)).toEqual(before);
    // The lease was released: the next deploy goes through. (PostgreSQL identities are not
    // transactional, so the failed attempt may have used an id.)
    expect((await deploy(store, itemsOf(dir), OPTIONS)).deploymentId).toBeGreaterThan(1);
    expect(await counts(store)).toMatchObject({ deployments: 2 });
  });

  // better-sqlite3 is synchronous: two connections in one process would block each other's thread,
  // so on SQLite this is tested with two processes (test/cli/deploy.test.ts).
  if (name !== "sqlite") it("serialises two concurrent deploys through the lease, and refuses after the lock timeout", async () => {
    const store = await open();
    const other = await open();
    const items = itemsOf(DEMO);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const inside = new Promise<void>((resolve) => (started = resolve));
    const slow = deploy(store, items, { ...OPTIONS, afterBatch: async () => { started(); await held; } });
    await inside;
    const refused = await deploy(other, items, { ...OPTIONS, lease: { waitMs: 300, ttlMs: 15000 } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LeaseBusyError);
    expect((refused as Error).message).toMatch(/pid \d+/);
    const waiting = deploy(other, items, OPTIONS);
    release();
    expect((await slow).deploymentId).toBe(1);
    expect((await waiting).plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
  });

  it("applies a saved plan exactly, and refuses it once the database changed", async () => {
    const store = await open();
    const dir = copyDemo();
    await deploy(store, itemsOf(dir), OPTIONS);
    edit(dir, "Jobs/Demo_Housekeeping.xml", 'Level="3"', 'Level="4"');
    const plan = planDeploy(itemsOf(dir), await readStoredItems(store.dataSource.manager));
    const saved = JSON.parse(JSON.stringify(plan));
    expect((await deploy(store, itemsOf(dir), { ...OPTIONS, plan: saved })).plan.summary).toEqual(plan.summary);
    const error = await deploy(store, itemsOf(dir), { ...OPTIONS, plan: saved }).catch((e: unknown) => e);
    expect((error as DeployError).code).toBe("stale-plan");
  });

  it("refuses a saved plan applied to another folder than the one it was made from, and writes nothing", async () => {
    const store = await open();
    const dir = copyDemo();
    await deploy(store, itemsOf(dir), OPTIONS);
    const other = copyDemo();
    edit(dir, "Jobs/Demo_Housekeeping.xml", 'Level="3"', 'Level="4"');
    edit(other, "HR/Connector.xml", 'Identifier="HR"', 'Identifier="HR" DisplayName_L3="Personnel"');
    const planOfDir = JSON.parse(JSON.stringify(planDeploy(itemsOf(dir), await readStoredItems(store.dataSource.manager))));
    const before = await snapshot(store);
    const error = await deploy(store, itemsOf(other), { ...OPTIONS, plan: planOfDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).code).toBe("stale-plan");
    expect((error as DeployError).message).toMatch(/another configuration/);
    expect(await snapshot(store)).toEqual(before);
  });

  it("refuses a hand-edited plan: a changed value under the old hash, or an item of an unknown kind", async () => {
    const store = await open();
    const dir = copyDemo();
    await deploy(store, itemsOf(dir), OPTIONS);
    edit(dir, "Jobs/Demo_Housekeeping.xml", 'Level="3"', 'Level="4"');
    const plan = planDeploy(itemsOf(dir), await readStoredItems(store.dataSource.manager));
    expect(plan.updates.length).toBeGreaterThan(0);
    const before = await snapshot(store);

    const changedValue = JSON.parse(JSON.stringify(plan));
    changedValue.updates[0].item.attributes.DisplayName_L1 = "edited by hand";
    const unknownKind = JSON.parse(JSON.stringify(plan));
    unknownKind.inserts.push({ ...unknownKind.updates[0].item, kind: "NoSuchKind", identifier: "X" });
    unknownKind.summary.insert += 1;
    for (const edited of [changedValue, unknownKind]) {
      const error = await deploy(store, itemsOf(dir), { ...OPTIONS, plan: edited }).catch((e: unknown) => e);
      expect((error as DeployError).code).toBe("stale-plan");
      expect((error as DeployError).message).toMatch(/does not match/);
    }
    expect(await snapshot(store)).toEqual(before);
  });

  it("limits a deploy to a scope", async () => {
    const store = await open();
    const dir = copyDemo();
    await deploy(store, itemsOf(dir), OPTIONS);
    edit(dir, "Jobs/Demo_Housekeeping.xml", 'Level="3"', 'Level="4"');
    edit(dir, "HR/Connector.xml", 'Identifier="HR"', 'Identifier="HR" DisplayName_L3="Personnel"');
    const result = await deploy(store, itemsOf(dir), { ...OPTIONS, scope: "HR" });
    expect(result.plan.updates.map((u) => u.identifier)).toEqual(["HR"]);
  });

  it("rolls back to an earlier deployment as a new ledger entry", async () => {
    const store = await open();
    const dir = copyDemo();
    const v1 = itemsOf(dir);
    await deploy(store, v1, OPTIONS);
    edit(dir, "Jobs/Demo_Housekeeping.xml", 'Level="3"', 'Level="4"');
    await deploy(store, itemsOf(dir), OPTIONS);
    const rollback = await deploy(store, await itemsAfter(store, 1), { ...OPTIONS, kind: "rollback", rollbackOf: 1 });
    expect(rollback.deploymentId).toBe(3);
    const stored = await readStoredItems(store.dataSource.manager);
    expect(stored.map((s) => s.hash).sort()).toEqual(v1.map((i) => i.hash).sort());
    expect((await listDeployments(store)).map((d) => [d.id, d.kind, d.rollbackOf])).toEqual([[3, "rollback", 1], [2, "deploy", null], [1, "deploy", null]]);
  });
});
