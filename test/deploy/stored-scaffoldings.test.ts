/**
 * The scaffoldings idm-toolkit only stores are items like any other: deployed with their attributes
 * and argument children, shown, exported, and deployed again without a change.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildItems, type Item } from "../../src/config/items.js";
import { loadCatalog } from "../../src/config/schema/catalog.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { deploy, type DeployOptions } from "../../src/deploy/apply.js";
import { DEFAULT_DELETION_GUARD } from "../../src/deploy/deletion-guard.js";
import { exportItems } from "../../src/deploy/export-items.js";
import { showItem } from "../../src/deploy/history.js";
import { readStoredItems } from "../../src/deploy/read-stored.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { SAMPLE_MODEL, STORED_SCAFFOLDINGS } from "../helpers/scaffolding-samples.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";

const OPTIONS: DeployOptions = { sourceFolder: "stored", guard: DEFAULT_DELETION_GUARD, lease: { waitMs: 5000, ttlMs: 15000 } };

function itemsOf(dir: string): Item[] {
  const result = validateFolder(dir);
  expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
  return buildItems(result.configuration);
}

describe.each(BACKENDS)("stored scaffoldings on %s", (_name, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("deploys every one, shows it with its children, and deploy → export → deploy changes nothing", async () => {
    const store = await db.open();
    const items = itemsOf(writeFolder({ "Model.xml": SAMPLE_MODEL, "Scaffoldings.xml": STORED_SCAFFOLDINGS }));
    const first = await deploy(store, items, OPTIONS);
    expect(first.plan.summary.insert).toBe(items.length);
    const universe = items.find((i) => i.kind === "UniverseDataModel")!;
    // Keyed by its attributes, and by its arguments since it has some.
    expect(universe.identifier).toMatch(/^EntityType=HR_Person;Universe=U1_Users#[0-9a-f]{12}$/);
    const shown = await showItem(store, "UniverseDataModel", universe.identifier);
    expect(shown!.item.children).toEqual({ ExcludedProperty: [{ Property: "Name" }], RootInstance: [{ Instance: "x" }], SourceEntityType: [{}], UniverseTemplate: [{ Template: "x" }] });
    const files = exportItems(await readStoredItems(store.dataSource.manager), loadCatalog());
    const scaffoldings = files.get("Scaffoldings.xml")!;
    expect(scaffoldings).toContain(`<UniverseDataModel EntityType="HR_Person" Universe="U1_Users">`);
    expect(scaffoldings).toContain(`<JobAdministrationAccessControlRules Profile="Administrator"/>`);
    const out = mkdtempSync(join(tmpdir(), "idm-stored-export-"));
    for (const [file, text] of files) writeFileSync(join(out, file), text);
    // What idm-toolkit does not store is not exported: the elements the references name come back by hand.
    const unmodelled = SAMPLE_MODEL.split("\n").filter((l) => /^ {2}<(Profile|Universe|Workflow|DisplayTable) /.test(l) && !files.get("Model.xml")!.includes(l.trim().split(" ")[0]!));
    writeFileSync(join(out, "Unmodelled.xml"), configFile(unmodelled.join("\n")));
    const again = await deploy(store, itemsOf(out), OPTIONS);
    expect(again.plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
    expect(again.deploymentId).toBeUndefined();
  });
});
