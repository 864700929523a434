/**
 * Every role-model and provisioning element deployed like the other items, on every backend:
 * plan, deploy, show, export (valid against the XSD) and a deploy of the export that changes
 * nothing, an update at a rule child's path, and a rollback to the first deployment.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/config/schema/catalog.js";
import { deploy } from "../../src/deploy/apply.js";
import { DEFAULT_DELETION_GUARD } from "../../src/deploy/deletion-guard.js";
import { exportItems } from "../../src/deploy/export-items.js";
import { itemsAfter, showItem } from "../../src/deploy/history.js";
import { readStoredItems } from "../../src/deploy/read-stored.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { deployFolder, deployXml, itemsOf } from "../helpers/deploy-xml.js";
import { ENTITIES, PROVISIONING, ROLE_MODEL } from "../helpers/role-model-samples.js";
import { writeFolder } from "../helpers/temp-folder.js";

const XSD = "schema/identitymanager-configuration.xsd";
const FILES = { "Entities.xml": ENTITIES, "RoleModel.xml": ROLE_MODEL, "Provisioning.xml": PROVISIONING };

describe.each(BACKENDS)("the role model deployed on %s", (_name, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("deploys every element, shows it, exports it valid against the XSD, and deploys the export without a change", async () => {
    const store = await db.open();
    const { result } = await deployXml(store, FILES);
    const kinds = new Set(result.plan.inserts.map((i) => i.kind));
    expect(kinds.size).toBeGreaterThan(30);
    const shown = await showItem(store, "ResourceType", "AD_Entry_NominativeUser");
    expect(shown!.item.attributes).toMatchObject({ TargetEntityType: "AD_Entry", BlockProvisioning: false });
    expect((shown!.item.children as { ScalarRule: unknown[] }).ScalarRule).toHaveLength(2);

    const stored = await readStoredItems(store.dataSource.manager);
    const files = exportItems(stored, loadCatalog());
    const out = writeFolder(Object.fromEntries(files));
    for (const file of files.keys()) {
      const lint = spawnSync("xmllint", ["--noout", "--schema", XSD, join(out, file)], { encoding: "utf8" });
      expect(lint.status, lint.stderr).toBe(0);
    }
    expect((await deployFolder(store, out)).plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
  });

  it("updates a resource type at its rule child's path, and rolls back to the first deployment", async () => {
    const store = await db.open();
    const first = itemsOf(writeFolder(FILES));
    await deployXml(store, FILES);
    const { result } = await deployXml(store, { ...FILES, "RoleModel.xml": ROLE_MODEL.replace(`Expression="ToLower"`, `Expression="ToUpper"`) });
    expect(result.plan.updates.map((u) => [u.kind, u.identifier, u.changes.map((c) => c.path)])).toEqual([
      ["ResourceType", "AD_Entry_NominativeUser", ["children.ScalarRule[0].Expression"]],
    ]);
    const rollback = await deploy(store, await itemsAfter(store, 1), {
      sourceFolder: "role model", guard: DEFAULT_DELETION_GUARD, lease: { waitMs: 5000, ttlMs: 15000 }, kind: "rollback", rollbackOf: 1,
    });
    expect(rollback.plan.summary).toEqual({ insert: 0, update: 1, delete: 0 });
    const stored = await readStoredItems(store.dataSource.manager);
    expect(stored.map((s) => `${s.kind} ${s.identifier} ${s.hash}`).sort()).toEqual(first.map((i) => `${i.kind} ${i.identifier} ${i.hash}`).sort());
  });
});
