/**
 * The access control, governance, settings and reporting samples deployed like any configuration:
 * stored with their children, shown, exported back into files that validate against the XSD and
 * deploy to no change, changed, and rolled back.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildItems, type Item } from "../../src/config/items.js";
import { loadCatalog } from "../../src/config/schema/catalog.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { deploy, type DeployOptions } from "../../src/deploy/apply.js";
import { DEFAULT_DELETION_GUARD } from "../../src/deploy/deletion-guard.js";
import { exportItems } from "../../src/deploy/export-items.js";
import { itemsAfter, showItem } from "../../src/deploy/history.js";
import { readStoredItems } from "../../src/deploy/read-stored.js";
import type { Store } from "../../src/store/store.js";
import { ACCESS_AND_SETTINGS, samplesWith } from "../helpers/access-and-settings.js";
import { BACKENDS, type Backend, type TestDatabase } from "../helpers/backends.js";

const OPTIONS: DeployOptions = { sourceFolder: "access-and-settings", guard: DEFAULT_DELETION_GUARD, lease: { waitMs: 5000, ttlMs: 15000 } };
const XSD = "schema/identitymanager-configuration.xsd";

/** The element kinds the samples hold: every one this family stores. */
const KINDS = [
  "AccessCertificationCampaignPolicy", "AccessCertificationDataFilter", "AccessCertificationItemReviewer", "AccessCertificationNotification",
  "AccessCertificationOwnerFilter", "AccessControlEntityType", "AccessControlPermission", "AccessControlPropertyGroup", "AccessControlRule",
  "AppDisplaySetting", "AssignedProfile", "Binding", "ConfigurationVersionSetting", "CustomLink1Setting", "CustomLink2Setting",
  "DashboardItemNumberSetting", "MailSetting", "ManualProvisioningNotification", "Notification", "NotificationTemplate",
  "PasswordGenerationSetting", "PasswordTestsSetting", "Profile", "ProfileContext", "ProfileRuleContext", "ProvisioningReviewNotification",
  "ReportQuery", "Resource", "RolePolicyNotification", "RoleReviewNotification", "SchedulingCleanDataBaseSetting",
  "SelectAllPerformedByAssociationQueryHandlerSetting", "SelectPersonasByFilterQueryHandlerSetting", "SelectUserByIdentityQueryHandlerSetting",
  "Universe",
];

function itemsOf(dir: string): Item[] {
  const result = validateFolder(dir);
  expect(result.problems).toEqual([]);
  return buildItems(result.configuration);
}

const fingerprint = (items: { kind: string; identifier: string; hash: string }[]): string[] =>
  items.map((i) => `${i.kind} ${i.identifier} ${i.hash}`).sort();

/** `idm export`: the stored items written back into the files they came from. */
async function exported(store: Store): Promise<{ dir: string; files: string[] }> {
  const stored = await readStoredItems(store.dataSource.manager);
  const files = exportItems(stored.map(({ kind, identifier, attributes, children, source }) => ({ kind, identifier, attributes, children, source })), loadCatalog());
  const dir = mkdtempSync(join(tmpdir(), "idm-access-export-"));
  for (const [file, text] of files) writeFileSync(join(dir, file), text);
  return { dir, files: [...files.keys()] };
}

function withDatabase(backend: Backend): () => TestDatabase {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });
  return () => db;
}

describe.each(BACKENDS)("access control, governance, settings and reporting deployed on %s", (_name, backend) => {
  const db = withDatabase(backend);

  it("stores every element with its children; export gives files the XSD accepts, whose deploy changes nothing", async () => {
    const store = await db().open();
    const items = itemsOf(ACCESS_AND_SETTINGS);
    const first = await deploy(store, items, OPTIONS);
    expect(first.plan.summary).toEqual({ insert: items.length, update: 0, delete: 0 });
    const stored = await readStoredItems(store.dataSource.manager);
    expect(new Set(stored.map((s) => s.kind))).toEqual(new Set(items.map((i) => i.kind)));
    expect([...new Set(stored.map((s) => s.kind))]).toEqual(expect.arrayContaining(KINDS));
    expect(fingerprint(stored)).toEqual(fingerprint(items));

    const shown = await showItem(store, "AccessControlRule", "Directory_UserRecord_Managers");
    expect(shown!.item.children).toEqual(items.find((i) => i.identifier === "Directory_UserRecord_Managers")!.children);

    const { dir, files } = await exported(store);
    expect(files).toEqual(["AccessCertification.xml", "AccessControl.xml", "Model.xml", "Notifications.xml", "Reporting.xml", "Resources.xml",
      "RoleModel.xml", "Settings.xml"]);
    for (const file of files) {
      const lint = spawnSync("xmllint", ["--noout", "--schema", XSD, join(dir, file)], { encoding: "utf8" });
      expect(lint.status, lint.stderr).toBe(0);
    }
    const again = itemsOf(dir);
    expect(fingerprint(again)).toEqual(fingerprint(items));
    const second = await deploy(store, again, OPTIONS);
    expect(second.plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
  });
});

describe("access control, governance, settings and reporting deployed on sqlite: changes and rollback", () => {
  const db = withDatabase(BACKENDS[0]![1]);

  it("updates a rule whose filter changed, replaces a rule context whose rules changed, and rolls back to the first deployment", async () => {
    const store = await db().open();
    const dir = samplesWith();
    const v1 = itemsOf(dir);
    await deploy(store, v1, OPTIONS);
    const path = join(dir, "AccessControl.xml");
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text
      .replace(`<Filter Binding="WorkflowState" Value="8" Operator="Equals" />`, `<Filter Binding="WorkflowState" Value="9" Operator="Equals" />`)
      .replace(`<ProfileRule Profile="Manager" B0="Directory_Organization:Id" />`, `<ProfileRule Profile="Manager" B0="Directory_Organization:Identifier" />`));
    // A rule context is known by what it says: its change deletes one of the three, over the default guard's 20%.
    const second = await deploy(store, itemsOf(dir), { ...OPTIONS, guard: { maxDeletes: 10, maxDeletePercent: 100 } });
    expect(second.plan.updates.map((u) => [u.kind, u.identifier, u.changes.map((c) => [c.path, c.before, c.after])])).toEqual([
      ["AccessControlRule", "RoleOfficerByCategory_AssignedSingleRole_ReviewRoles_Directory_User_8", [["children.Filter[1].Value", "8", "9"]]],
    ]);
    expect(second.plan.summary).toEqual({ insert: 1, update: 1, delete: 1 });
    expect([second.plan.inserts[0]!.kind, second.plan.deletes[0]!.kind]).toEqual(["ProfileRuleContext", "ProfileRuleContext"]);

    const rollback = await deploy(store, await itemsAfter(store, 1), { ...OPTIONS, guard: { maxDeletes: 10, maxDeletePercent: 100 }, kind: "rollback", rollbackOf: 1 });
    expect(rollback.plan.summary).toEqual({ insert: 1, update: 1, delete: 1 });
    expect(fingerprint(await readStoredItems(store.dataSource.manager))).toEqual(fingerprint(v1));
  });
});
