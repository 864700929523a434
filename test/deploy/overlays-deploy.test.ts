/**
 * conf-samples/modular deployed: module items changed by overlays are stored merged, with the files
 * that made them (idm_items.contributions, outside the hash); plan and show say so; export writes
 * the merged items, and deploying that export changes no item.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildItems, type Item } from "../../src/config/items.js";
import { loadCatalog } from "../../src/config/schema/catalog.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { formatPlan } from "../../src/cli/format-plan.js";
import { deploy, type DeployOptions } from "../../src/deploy/apply.js";
import { DEFAULT_DELETION_GUARD } from "../../src/deploy/deletion-guard.js";
import { exportItems } from "../../src/deploy/export-items.js";
import { showItem } from "../../src/deploy/history.js";
import { readStoredItems } from "../../src/deploy/read-stored.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

const SAMPLE = fileURLToPath(new URL("../../conf-samples/modular", import.meta.url));
const OPTIONS: DeployOptions = { sourceFolder: "modular", guard: DEFAULT_DELETION_GUARD, lease: { waitMs: 5000, ttlMs: 15000 } };

function copySample(): string {
  const dir = mkdtempSync(join(tmpdir(), "idm-modular-"));
  cpSync(SAMPLE, dir, { recursive: true });
  return dir;
}

function itemsOf(dir: string): Item[] {
  const result = validateFolder(dir);
  expect(result.problems).toEqual([]);
  return buildItems(result.configuration);
}

describe("conf-samples/modular", () => {
  it("validates: the module's items with a property merged, an attribute updated and a connector deleted", () => {
    const items = itemsOf(join(SAMPLE, "Conf"));
    expect(items.map((i) => `${i.kind}:${i.identifier}`).sort()).toEqual([
      "Agent:Local", "Connection:DirectoryFile", "ConnectionTable:DirectoryFile", "Connector:Directory",
      "EntityType:Directory_User", "EntityTypeMapping:Directory_User", "Language:en-US",
    ]);
    const type = items.find((i) => i.kind === "EntityType")!;
    expect(Object.keys((type.children as Record<string, object>).Property!)).toEqual(["Mail", "Name", "UserId"]);
    expect(items.find((i) => i.kind === "Agent")!.attributes.DisplayName_L1).toBe("Local agent (production)");
  });
});

describe.each(BACKENDS)("overlays deployed on %s", (_name, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("stores the merged items with their contributions, which plan and show give", async () => {
    const store = await db.open();
    const first = await deploy(store, itemsOf(join(SAMPLE, "Conf")), OPTIONS);
    expect(first.plan.summary).toEqual({ insert: 7, update: 0, delete: 0 });
    expect(formatPlan(first.plan)).toContain([
      "EntityType",
      "  + Directory_User  (../Modules/Bootstrap/Bootstrap.xml:19)",
      "      from ../Modules/Bootstrap/Bootstrap.xml:19 (Base), Modules.xml:10 (Merge)",
    ].join("\n"));
    const shown = await showItem(store, "EntityType", "Directory_User");
    expect(JSON.parse(shown!.item.contributions!)).toEqual([
      { file: "../Modules/Bootstrap/Bootstrap.xml", line: 19, column: 3, mode: "Base" },
      { file: "Modules.xml", line: 10, column: 3, mode: "Merge" },
    ]);
    const plain = await showItem(store, "Connector", "Directory");
    expect(plain!.item.contributions).toBeNull();
  });

  it("records a fragment moved to another file as a move of the item's contributions, not a change", async () => {
    const store = await db.open();
    const dir = copySample();
    await deploy(store, itemsOf(join(dir, "Conf")), OPTIONS);
    const path = join(dir, "Conf", "Modules.xml");
    const text = readFileSync(path, "utf8");
    const fragment = `  <Agent Identifier="Local" DisplayName_L1="Local agent (production)" URI="http://localhost:5000" ConsolidationMode="Update" />\n`;
    expect(text).toContain(fragment);
    writeFileSync(path, text.replace(fragment, ""));
    writeFileSync(join(dir, "Conf", "Agent.xml"), `<?xml version="1.0" encoding="utf-8"?>\n<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">\n${fragment}</ConfigurationFile>\n`);
    const second = await deploy(store, itemsOf(join(dir, "Conf")), OPTIONS);
    expect(second.plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
    expect(second.plan.moves.map((m) => `${m.kind}:${m.identifier}`)).toContain("Agent:Local");
    const shown = await showItem(store, "Agent", "Local");
    expect(JSON.parse(shown!.item.contributions!).map((c: { file: string; mode: string }) => `${c.file}:${c.mode}`))
      .toEqual(["../Modules/Bootstrap/Bootstrap.xml:Base", "Agent.xml:Update"]);
  });

  it("updates an item when its overlay changes, a Delete child of a Merge removing a column", async () => {
    const store = await db.open();
    const dir = copySample();
    await deploy(store, itemsOf(join(dir, "Conf")), OPTIONS);
    const path = join(dir, "Conf", "Modules.xml");
    writeFileSync(path, readFileSync(path, "utf8")
      .replace(`DisplayName_L1="E-mail"`, `DisplayName_L1="Mail address"`)
      .replace(`<Connector Identifier="Legacy" DisplayName_L1="Legacy directory" ConsolidationMode="Delete" />`,
        `<Connector Identifier="Legacy" DisplayName_L1="Legacy directory" ConsolidationMode="Delete" />\n  <ConnectionTable Identifier="DirectoryFile" ConsolidationMode="Merge">\n    <Column Identifier="mail" ConsolidationMode="Delete" />\n  </ConnectionTable>`));
    const second = await deploy(store, itemsOf(join(dir, "Conf")), OPTIONS);
    expect(second.plan.updates.map((u) => [u.kind, u.changes.map((c) => c.path)])).toEqual([
      ["ConnectionTable", ["children.Column.mail"]],
      ["EntityType", ["children.Property.Mail.DisplayName_L1"]],
    ]);
  });

  it("exports the merged items; deploying the export changes no item", async () => {
    const store = await db.open();
    await deploy(store, itemsOf(join(SAMPLE, "Conf")), OPTIONS);
    const stored = await readStoredItems(store.dataSource.manager);
    const out = mkdtempSync(join(tmpdir(), "idm-modular-export-"));
    // As `idm export` does: a source outside the folder (a module file) goes to the default file.
    const files = exportItems(stored.map(({ kind, identifier, attributes, children, source }) =>
      ({ kind, identifier, attributes, children, source: source && !source.file.startsWith("..") ? source : null })), loadCatalog());
    expect([...files.keys()]).toEqual(["idm-export.xml"]);
    for (const [file, text] of files) writeFileSync(join(out, file), text);
    const again = await deploy(store, itemsOf(out), OPTIONS);
    expect(again.plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
    expect(again.deploymentId).toBeUndefined();
  });
});
