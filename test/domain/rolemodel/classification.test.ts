/**
 * UpdateClassificationTask on real databases: found assignments for owner-less resources, the most
 * confident matching rule first, owned resources left alone, reclassification and unclassification
 * historized, vanished resources, idempotence, Dirty mode against Complete, and failing rules.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttributeValue } from "../../../src/config/coerce-attribute.js";
import type { Item } from "../../../src/config/items.js";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { ruleColumns, type ResourceTypeRow } from "../../../src/domain/rolemodel/assignment-rows.js";
import { AssignmentStore } from "../../../src/domain/rolemodel/assignment-store.js";
import type { Store } from "../../../src/store/store.js";
import handler from "../../../src/tasks/update-classification.js";
import type { TaskSnapshot } from "../../../src/tasks/task-handler.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../../helpers/task-workspace.js";
import { adAccount, deployRoleModel, insertResources, ruleLines, storedRule, T0, type RuleLine } from "./role-model-fixture.js";

const TYPES = [
  adAccount(),
  `  <ResourceType Identifier="AD_Admin" DisplayName_L1="AD admin" Policy="Default" SourceEntityType="HR_Person" TargetEntityType="AD_Entry" />`,
  `  <ResourceType Identifier="AD_Service" DisplayName_L1="AD service account" Policy="Default" SourceEntityType="HR_Person" TargetEntityType="AD_Entry" />`,
].join("\n");

const SERVICE: RuleLine = {
  line: 10, xml: `<ResourceClassificationRule ResourceType="AD_Service" Policy="Default" TargetExpression="C#:a:return a.sAMAccountName.StartsWith(&quot;svc_&quot;);" ResourceTypeIdentificationConfidenceLevel="100" />`,
};
const ADMIN: RuleLine = {
  line: 11, xml: `<ResourceClassificationRule ResourceType="AD_Admin" Policy="Default" TargetExpression="C#:a:return a.sAMAccountName.EndsWith(&quot;_adm&quot;);" ResourceTypeIdentificationConfidenceLevel="90" />`,
};
const ANY: RuleLine = { line: 12, xml: `<ResourceClassificationRule ResourceType="AD_Account" Policy="Default" ResourceTypeIdentificationConfidenceLevel="10" />` };
const RULES: RuleLine[] = [SERVICE, ADMIN, ANY];

function task(attributes: Record<string, AttributeValue> = {}, entityTypes: string[] = ["AD_Entry"]): TaskSnapshot {
  return taskSnapshot({ identifier: "CLS", type: "UpdateClassificationTask", attributes: { BatchSize: 0, Dirty: false, ...attributes }, entityTypes });
}

const ACCOUNTS = [{ name: "ada.l" }, { name: "svc_backup" }, { name: "root_adm" }, { name: "svc_x_adm" }, { name: "bob" }];

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("UpdateClassificationTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ws: TaskWorkspace;
  let assignments: AssignmentStore;
  let resources: ResourceStore;
  let ids: Map<string, number>;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    ws = taskWorkspace({}, { store });
    assignments = new AssignmentStore(store.dataSource.manager);
    resources = new ResourceStore(store.dataSource.manager);
  });
  afterEach(async () => {
    await db.drop();
  });

  async function setUp(rules: readonly RuleLine[] = RULES, items: readonly Item[] = []): Promise<void> {
    await deployRoleModel(store, rules, { types: TYPES, items });
    ids = (await insertResources(store, { accounts: ACCOUNTS })).get("AD_Entry")!;
    // bob's account is owned: the role model correlated it to person 99.
    await assignments.writeDelta({
      resourceTypes: {
        insert: [{
          ownerId: 99, resourceType: "AD_Account", targetId: ids.get("bob")!, correlationRule: "byId", confidence: 120, provisioningState: "Verified", changeType: null, heldBack: null,
          origin: "rule", ...ruleColumns({ kind: "TypeRule", identifier: "AD_Account/TypeRule#1" }), workflowState: "PolicyApproved", validFrom: T0, validTo: null, parameters: null,
        }],
      },
    }, { at: T0, jobInstanceId: 1 });
  }

  /** account → "resource type (confidence, rule line)" of its found assignment. */
  async function found(): Promise<Record<string, string>> {
    const byId = new Map([...ids].map(([name, id]) => [id, name]));
    const rows = (await assignments.resourceTypesByTargets([...ids.values()])).filter((a) => a.ownerId === null);
    const lines = await ruleLines(store, "ResourceClassificationRule");
    return Object.fromEntries(rows.map((a) => [byId.get(a.targetId!)!, `${a.resourceType} (${a.confidence}, ${lines.get(a.ruleIdentifier!)})`]).sort());
  }

  it("gives each owner-less account the resource type of the most confident matching rule, as a found assignment", async () => {
    await setUp();
    const result = await handler.run(ws.context, task());
    expect(result).toMatchObject({ state: "Succeeded", didWork: true, counters: { resources: 5, owned: 1, classified: 4, reclassified: 0, unclassified: 0, errors: 0 } });
    expect(await found()).toEqual({
      "ada.l": "AD_Account (10, 12)", root_adm: "AD_Admin (90, 11)", svc_backup: "AD_Service (100, 10)", svc_x_adm: "AD_Service (100, 10)",
    });
    const [row] = await assignments.resourceTypesByTargets([ids.get("svc_backup")!]);
    expect(row).toEqual({
      // Ids in source key order after bob's owned assignment (1): ada.l, root_adm, svc_backup.
      id: 4, ownerId: null, resourceType: "AD_Service", targetId: ids.get("svc_backup")!, correlationRule: null, confidence: 100, provisioningState: "Verified",
      changeType: null, heldBack: null, origin: "found", ...ruleColumns({ kind: "ResourceClassificationRule", identifier: [...(await ruleLines(store, "ResourceClassificationRule"))].find(([, l]) => l === 10)![0], file: "RoleModel/Rules.xml", line: 10 }),
      workflowState: "Found", validFrom: null, validTo: null, parameters: null, updatedByJobInstance: 7,
    } satisfies ResourceTypeRow);

    const again = await handler.run(ws.context, task());
    expect(again).toMatchObject({ didWork: false, counters: { classified: 0, reclassified: 0, unclassified: 0 } });
  });

  it("reclassifies an account whose properties changed and unclassifies those no rule matches any more, historizing both", async () => {
    await setUp();
    await handler.run(ws.context, task());
    await resources.updateResources([{ id: ids.get("ada.l")!, properties: { sAMAccountName: "svc_ada" } }], { at: T0, jobInstanceId: 2 });
    await deployRoleModel(store, [SERVICE, ADMIN], { types: TYPES });
    const result = await handler.run(ws.context, task());
    expect(result).toMatchObject({ didWork: true, counters: { classified: 0, reclassified: 1, unclassified: 0 } });
    expect(await found()).toEqual({ "ada.l": "AD_Service (100, 10)", root_adm: "AD_Admin (90, 11)", svc_backup: "AD_Service (100, 10)", svc_x_adm: "AD_Service (100, 10)" });
    const [ada] = await assignments.resourceTypesByTargets([ids.get("ada.l")!]);
    const history = await assignments.history("resource-type", ada!.id);
    expect(history.map((h) => [h.operation, h.archivedByJobInstance, JSON.parse(h.previous).resourceType])).toEqual([["update", 7, "AD_Account"]]);

    await resources.updateResources([{ id: ids.get("root_adm")!, properties: { sAMAccountName: "root" } }], { at: T0, jobInstanceId: 3 });
    expect(await handler.run(ws.context, task())).toMatchObject({ counters: { unclassified: 1 } });
    expect(await found()).not.toHaveProperty("root_adm");
  });

  it("removes the found assignment of an account that was deleted", async () => {
    await setUp();
    await handler.run(ws.context, task());
    await resources.deleteResources([ids.get("svc_backup")!], { at: T0, jobInstanceId: 2 });
    expect(await handler.run(ws.context, task())).toMatchObject({ didWork: true, counters: { resources: 4, unclassified: 1 } });
    expect(Object.keys(await found())).toEqual(["ada.l", "root_adm", "svc_x_adm"]);
  });

  it("in Dirty mode classifies the dirty accounts only, and then equals a Complete run", async () => {
    await setUp();
    await handler.run(ws.context, task());
    await resources.updateResources([{ id: ids.get("ada.l")!, properties: { sAMAccountName: "ada_adm" } }], { at: T0, jobInstanceId: 2 }, true);
    // Changed but not dirty: a Dirty run does not see it.
    await resources.updateResources([{ id: ids.get("svc_backup")!, properties: { sAMAccountName: "backup" } }], { at: T0, jobInstanceId: 2 });
    const dirty = await handler.run(ws.context, task({ Dirty: true }));
    expect(dirty).toMatchObject({ counters: { resources: 1, reclassified: 1 } });
    expect(await found()).toMatchObject({ "ada.l": "AD_Admin (90, 11)", svc_backup: "AD_Service (100, 10)" });
    const complete = await handler.run(ws.context, task());
    expect(complete).toMatchObject({ counters: { resources: 5, reclassified: 1 } });
    expect(await found()).toMatchObject({ "ada.l": "AD_Admin (90, 11)", svc_backup: "AD_Account (10, 12)" });
  });

  it("leaves an account as it is when a rule fails on it, and warns about rules that cannot run", async () => {
    const byMail: RuleLine = {
      line: 13, xml: `<ResourceClassificationRule ResourceType="AD_Admin" Policy="Default" TargetExpression="C#:a:return a.mail.EndsWith(&quot;@admin.example.com&quot;);" ResourceTypeIdentificationConfidenceLevel="95" />`,
    };
    const broken: RuleLine = { line: 15, xml: `<ResourceClassificationRule ResourceType="AD_Admin" Policy="Default" TargetExpression="C#:a:return a.Nope;" />` };
    const unknown = storedRule("ResourceClassificationRule", { ResourceType: "SAP_Role", Policy: "Default", ResourceTypeIdentificationConfidenceLevel: 0 }, 14);
    await setUp([SERVICE, byMail, broken, ANY], [unknown]);
    const result = await handler.run(ws.context, task());
    // svc_* match the more confident rule first; the others reach the mail rule, which throws on them (no mail).
    expect(result).toMatchObject({ state: "Warning", counters: { classified: 2, errors: 2 } });
    expect(Object.keys(await found())).toEqual(["svc_backup", "svc_x_adm"]);
    expect(ws.lines("Warning")).toEqual([
      "ResourceClassificationRule at RoleModel/Old.xml:14: ResourceType SAP_Role is not deployed; the rule classifies nothing",
      expect.stringMatching(/^ResourceClassificationRule at RoleModel\/Rules\.xml:15 TargetExpression: .*Nope.*; the rule classifies nothing$/),
      expect.stringMatching(/^AD_Entry ada\.l: ResourceClassificationRule at RoleModel\/Rules\.xml:13 failed: NullReferenceException/),
      expect.stringMatching(/^AD_Entry root_adm: ResourceClassificationRule at RoleModel\/Rules\.xml:13 failed: NullReferenceException/),
    ]);
  });

  it("classifies every entity type a rule targets when no TaskEntityType is listed, and says so for a listed type no rule targets", async () => {
    await setUp();
    expect(await handler.run(ws.context, task({}, []))).toMatchObject({ counters: { classified: 4 } });
    await handler.run(ws.context, task({}, ["HR_Person"]));
    expect(ws.lines("Information")).toContain("HR_Person: no resource type with classification rules targets this entity type, nothing to classify");
  });
});
