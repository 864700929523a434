/**
 * A folder deployed again with the same files is not compared item by item: the newest deployment's
 * source fingerprint says the stored items are its items. These tests hold the rule to what a full
 * comparison would give whenever the items were written since, by a move, a scoped deploy or a rollback.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/config/settings.js";
import { deploy, type DeployOptions } from "../../src/deploy/apply.js";
import { DEFAULT_DELETION_GUARD } from "../../src/deploy/deletion-guard.js";
import type { FolderItems } from "../../src/deploy/desired-items.js";
import { itemsAfter, listDeployments } from "../../src/deploy/history.js";
import { readStoredItems } from "../../src/deploy/read-stored.js";
import { validateForDeploy } from "../../src/deploy/run-deploy.js";
import type { Store } from "../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

const DEMO = fileURLToPath(new URL("../../conf-samples/demo", import.meta.url));
const OPTIONS: DeployOptions = { sourceFolder: "demo", guard: DEFAULT_DELETION_GUARD, lease: { waitMs: 5000, ttlMs: 15000 }, allowDeletes: true };

function copyDemo(): string {
  const dir = mkdtempSync(join(tmpdir(), "idm-demo-"));
  cpSync(DEMO, dir, { recursive: true });
  return dir;
}

/** The folder's items as `idm deploy` gets them, counting how often they are built. */
function folder(dir: string): FolderItems & { builds: number } {
  const { errors, items } = validateForDeploy(dir, DEFAULT_SETTINGS);
  expect(errors).toEqual([]);
  const counted = { fingerprint: items.fingerprint, builds: 0, items: () => (counted.builds++, items.items()) };
  return counted;
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  const changed = change(text);
  expect(changed).not.toBe(text);
  writeFileSync(path, changed);
}

const sources = async (store: Store): Promise<string[]> =>
  (await readStoredItems(store.dataSource.manager)).map((i) => `${i.kind} ${i.identifier} ${i.hash} ${i.source?.file}:${i.source?.line}`).sort();

describe.each(BACKENDS)("a folder deployed again on %s", (_name, backend) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it("with the same files: nothing built, nothing read, nothing written, the plan of the stored state", async () => {
    const dir = copyDemo();
    const first = await deploy(store, folder(dir), OPTIONS);
    const again = folder(dir);
    const second = await deploy(store, again, OPTIONS);
    expect(again.builds).toBe(0);
    expect(second.deploymentId).toBeUndefined();
    expect(second.plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
    expect([second.plan.moves, second.plan.jobs]).toEqual([[], []]);
    expect(second.plan.basis).toBe(first.plan.configurationHash);
    expect(second.plan.configurationHash).toBe(first.plan.configurationHash);
    expect((await listDeployments(store)).length).toBe(1);
  });

  it("with other bytes making the same items: compared, and nothing to do", async () => {
    const dir = copyDemo();
    await deploy(store, folder(dir), OPTIONS);
    edit(dir, "Jobs/Demo_Housekeeping.xml", (text) => `${text}\n<!-- reviewed -->\n`);
    const edited = folder(dir);
    const result = await deploy(store, edited, OPTIONS);
    expect(edited.builds).toBe(1);
    expect(result.deploymentId).toBeUndefined();
    expect(result.plan.moves).toEqual([]);
  });

  it("after a deploy that only moved elements, the first files are compared again and their sources restored", async () => {
    const dir = copyDemo();
    await deploy(store, folder(dir), OPTIONS);
    const original = await sources(store);
    edit(dir, "Jobs/Demo_Housekeeping.xml", (text) => text.replace(/<Job /, "\n\n<Job "));
    const moved = await deploy(store, folder(dir), OPTIONS);
    expect(moved.plan.moves.length).toBeGreaterThan(0);
    expect(moved.deploymentId).toBeUndefined();
    edit(dir, "Jobs/Demo_Housekeeping.xml", (text) => text.replace(/\n\n<Job /, "<Job "));
    const back = folder(dir);
    const restored = await deploy(store, back, OPTIONS);
    expect(back.builds).toBe(1);
    expect(restored.plan.moves.length).toBe(moved.plan.moves.length);
    expect(await sources(store)).toEqual(original);
  });

  it("after a scoped deploy or a rollback, the whole folder is compared again", async () => {
    const dir = copyDemo();
    await deploy(store, folder(dir), OPTIONS);
    edit(dir, "Jobs/Demo_Housekeeping.xml", (text) => text.replace('Level="3"', 'Level="4"'));
    await deploy(store, folder(dir), OPTIONS);
    await deploy(store, await itemsAfter(store, 1), { ...OPTIONS, kind: "rollback", rollbackOf: 1 });
    const afterRollback = folder(dir);
    const redeployed = await deploy(store, afterRollback, OPTIONS);
    expect(afterRollback.builds).toBe(1);
    expect(redeployed.plan.summary.update).toBeGreaterThan(0);

    edit(dir, "HR/Connector.xml", (text) => text.replace('Identifier="HR"', 'Identifier="HR" DisplayName_L3="Personnel"'));
    await deploy(store, folder(dir), { ...OPTIONS, scope: "HR" });
    const afterScope = folder(dir);
    await deploy(store, afterScope, OPTIONS);
    expect(afterScope.builds).toBe(1);
    // Newest first: the scoped deploy, the redeploy (its fingerprint cleared by the scoped one), the rollback, v2, v1.
    expect((await listDeployments(store)).map((d) => [d.kind, d.sourceFingerprint])).toEqual([
      ["deploy", null], ["deploy", null], ["rollback", null], ["deploy", null], ["deploy", null],
    ]);
  });

  it("records the fingerprint of the newest whole-folder deploy only", async () => {
    const dir = copyDemo();
    const v1 = folder(dir);
    await deploy(store, v1, OPTIONS);
    edit(dir, "Jobs/Demo_Housekeeping.xml", (text) => text.replace('Level="3"', 'Level="4"'));
    const v2 = folder(dir);
    await deploy(store, v2, OPTIONS);
    expect((await listDeployments(store)).map((d) => d.sourceFingerprint)).toEqual([v2.fingerprint, null]);
    expect(v2.fingerprint).not.toBe(v1.fingerprint);
  });
});
