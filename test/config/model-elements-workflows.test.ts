/**
 * The workflow elements (Workflow, HomonymEntityLink, the aspects and the workflow forms): the
 * vendor's examples validate and become typed items, wrong values and dangling references are
 * reported with a did-you-mean, and the elements go through deploy, show and export unchanged on
 * every backend.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildItems, NESTED_CHILDREN, type Item } from "../../src/config/items.js";
import { readSettingsFile } from "../../src/config/settings.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { showItem } from "../../src/deploy/history.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { writeFolder } from "../helpers/temp-folder.js";
import { at, deployExportDeploy, expectSamplesValidAgainstXsd, fingerprint, folderWith, problemsWith, SAMPLES } from "../helpers/ui-workflows.js";

const ASPECTS = ["AddChangeAspect", "AssertValueAspect", "AssertValueRequiredAspect", "BuildUniqueValueAspect", "InvokeScriptAspect", "InvokeWorkflowAspect", "NotificationAspect"];
const FORMS = ["WorkflowAddAndEndRecordEntityForm", "WorkflowAddRecordEntityForm", "WorkflowCreateEntityForm", "WorkflowCreateRecordEntityForm",
  "WorkflowCreateSeveralRecordsEntityForm", "WorkflowEditEntityForm", "WorkflowUpdateRecordEntitiesForm", "WorkflowUpdateRecordEntityForm", "WorkflowUpdateSeveralRecordsEntityForm"];
const WORKFLOW_KINDS = new Set(["Workflow", "HomonymEntityLink", ...ASPECTS, ...FORMS]);

/** A workflow of two activities, which the bodies below name. */
const WORKFLOW = `  <Workflow Identifier="Directory_User_New" DisplayName_L1="New user" VariablesType="Workflow_Directory_User">
    <Activity Identifier="Request" DisplayName_L1="Request" Template="ActionWithRefine"/>
    <Activity Identifier="Persist" DisplayName_L1="Commit" Template="Persist"/>
  </Workflow>`;

function samples(): Item[] {
  const result = validateFolder(SAMPLES);
  expect(result.problems).toEqual([]);
  return buildItems(result.configuration);
}

function item(items: Item[], kind: string, identifier: string): Item {
  const found = items.find((i) => i.kind === kind && i.identifier === identifier);
  expect(found, `${kind} ${identifier}`).toBeDefined();
  return found!;
}

type Children = Record<string, Record<string, unknown>[]>;

describe("workflows: the vendor's examples", () => {
  it("validate without a problem, every workflow kind an item", () => {
    expect(new Set(samples().map((i) => i.kind).filter((k) => WORKFLOW_KINDS.has(k)))).toEqual(WORKFLOW_KINDS);
  });

  it("are valid against the generated XSD", () => {
    expectSamplesValidAgainstXsd(["Workflows.xml", "WorkflowForms.xml"]);
  });

  it("keep a workflow's activities in document order, typed", () => {
    const workflow = item(samples(), "Workflow", "Directory_User_NewInternal");
    expect(workflow.attributes).toEqual({ DisplayName_L1: "User - New Employee", IdentifierPrefix: "NEW", VariablesType: "Workflow_Directory_User" });
    expect((workflow.children as Children).Activity!.map((a) => [a.Identifier, a.Template, a.WorkflowOverviewDisable])).toEqual([
      ["Request", "ActionWithRefine", false], ["PersistDraft", "PersistOnlyResources", true], ["Review", "ReviewWithFeedback", false], ["Persist", "Persist", true],
    ]);
  });

  it("type the aspects, their point cuts (Mode by name or number) and their other children", () => {
    const items = samples();
    const assert = item(items, "AssertValueAspect", "Directory_User_NewInternal_CheckDates");
    expect(assert.attributes).toMatchObject({ Priority: 0, Message_L1: "Contract's end date must be after contract's start date." });
    expect(String(assert.attributes.Expression)).toContain("record.ContractStartDate < record.ContractEndDate");
    expect((assert.children as Children).PointCut).toEqual([
      { Activity: "Directory_User_NewInternal:Request", ActivityState: "ActionWithRefine-Executed", Mode: "Before" },
      { Activity: "Directory_User_NewInternal:Review", ActivityState: "ReviewWithFeedback-Approved", Mode: "Before" },
    ]);
    const unique = item(items, "BuildUniqueValueAspect", "Directory_UserRecord_UniqueValue_Login");
    expect(unique.attributes).toMatchObject({ IterationsCount: 10, Priority: 70, OnlyIfNew: true, HistorizeSeparator: "|" });
    expect((unique.children as Children).UnicityCheckRule!.map((r) => r.TargetEntityType)).toEqual(["Directory_UserRecord", "Directory_Guest"]);
    expect(item(items, "BuildUniqueValueAspect", "Directory_User_UniqueValue_Identifier").attributes.HistorizeSeparator).toBe("¤");
    const notification = item(items, "NotificationAspect", "Notification_Directory_User");
    expect((notification.children as Children).Recipient!.map((r) => r.Type)).toEqual(["Actor", "Performer", "Expression", "Profile"]);
    const homonym = item(items, "HomonymEntityLink", "Directory_UserRecord_Homonym");
    expect((homonym.children as Children).Filter![2]).toMatchObject({ Operator1: "FlexibleEqual", Operator2: "FlexibleEqual", Operator3: "Equal" });
  });

  it("give every workflow form the form's attributes and its control children, a control holding controls", () => {
    const items = samples();
    const form = item(items, "WorkflowUpdateSeveralRecordsEntityForm", "Workflow_Directory_User_ManagePositions");
    expect(form.attributes).toMatchObject({ EntityType: "Workflow_Directory_User", WorkflowRequestType: "Self", RecordFilter: "CurrentAndFuture", HideRecordAddButton: true, TableTitle_L1: "Positions" });
    expect(Object.keys(form.children)).toEqual(["MainControl", "RecordControl", "RecordSlaveControl", "RecordSlaveUniqueItemControl", "RecordUniqueItemControl"]);
    expect(item(items, "WorkflowUpdateRecordEntitiesForm", "Workflow_Directory_User_MassUpdate").attributes.WorkflowRequestType).toBe("Administration");
    const record = (item(items, "WorkflowAddAndEndRecordEntityForm", "Workflow_Directory_User_ChangePosition").children as Children).RecordControl![0]!;
    expect((record[NESTED_CHILDREN] as Children).Control!.map((c) => c.Binding)).toEqual(["StartDate", "EndDate"]);
  });
});

describe("workflows: mistakes", () => {
  it("a wrong enum is invalid-value, with the values and a did-you-mean", () => {
    const body = [
      WORKFLOW.replace(`Template="Persist"`, `Template="Persit"`),
      `  <InvokeWorkflowAspect Identifier="A" Workflow="Directory_User_New">`,
      `    <PointCut Activity="Directory_User_New:Request" ActivityState="ActionWithRefine-Executd" Mode="Aftr"/>`,
      `  </InvokeWorkflowAspect>`,
    ].join("\n");
    const problems = problemsWith(body);
    expect(problems).toMatchObject([
      { code: "invalid-value", severity: "error", ...at(body, `Template="Persit"`), hint: "did you mean Persist?" },
      { code: "invalid-value", severity: "error", ...at(body, "ActivityState="), hint: "did you mean ActionWithRefine-Executed?" },
      { code: "invalid-value", severity: "error", ...at(body, "Mode="), hint: "did you mean After?" },
    ]);
    expect(problems[2]!.message).toBe('PointCut Mode="Aftr" is not valid: expected Before (0), After (1)');
  });

  it("a dangling reference is unresolved-reference, with a did-you-mean on each half of Workflow:Activity", () => {
    const body = [
      WORKFLOW,
      `  <InvokeWorkflowAspect Identifier="A" Workflow="Directory_User_Nw">`,
      `    <PointCut Activity="Directory_User_New:Requst" ActivityState="ActionWithRefine-Executed"/>`,
      `    <PointCut Activity="Directory_User_Neww:Request" ActivityState="ActionWithRefine-Executed"/>`,
      `  </InvokeWorkflowAspect>`,
      `  <WorkflowEditEntityForm Identifier="F" EntityType="Workflow_Directory_User" MainProperty="Workflow_Directory_User:Directory_Usr">`,
      `    <MainControl OutputType="TransformImport" EmbeddedForm="Nowhere"/>`,
      `  </WorkflowEditEntityForm>`,
    ].join("\n");
    const problems = problemsWith(body);
    expect(problems).toMatchObject([
      { code: "unresolved-reference", severity: "error", ...at(body, `Workflow="Directory_User_Nw"`), hint: "did you mean Directory_User_New?" },
      { code: "unresolved-reference", severity: "error", ...at(body, `Activity="Directory_User_New:Requst"`), hint: "did you mean Directory_User_New:Request?" },
      { code: "unresolved-reference", severity: "error", ...at(body, `Activity="Directory_User_Neww`), hint: "did you mean Directory_User_New:Request?" },
      { code: "unresolved-reference", severity: "error", ...at(body, "MainProperty="), hint: "did you mean Workflow_Directory_User:Directory_User?" },
      { code: "unresolved-reference", severity: "error", ...at(body, "EmbeddedForm=") },
    ]);
    expect(problems[1]!.message).toBe('PointCut Activity="Directory_User_New:Requst": Workflow Directory_User_New has no Activity Requst');
  });

  it("an activity state of another template is a warning: the activity is never in it", () => {
    const body = [
      WORKFLOW,
      `  <NotificationAspect Identifier="N">`,
      `    <PointCut Activity="Directory_User_New:Persist" ActivityState="Action-Executed"/>`,
      `    <Recipient Type="Performer" Activity="Directory_User_New:Request" ActivityState="ActionWithRefine-Executed"/>`,
      `  </NotificationAspect>`,
    ].join("\n");
    expect(problemsWith(body)).toEqual([{
      code: "invalid-value", severity: "warning", ...at(body, "ActivityState="),
      message: 'PointCut ActivityState="Action-Executed" is a state of the Action template, but activity Directory_User_New:Persist is a Persist: it is never in that state',
      hint: "write a Persist-… state",
    }]);
  });

  it("an activity written twice in a workflow is duplicate-identifier; aspects need their required attributes", () => {
    const body = [
      WORKFLOW.replace(`Identifier="Persist"`, `Identifier="Request"`),
      `  <AddChangeAspect Identifier="A"><PointCut Activity="Directory_User_New:Request"/></AddChangeAspect>`,
    ].join("\n");
    expect(problemsWith(body).map((p) => [p.code, p.line, p.message])).toEqual([
      ["duplicate-identifier", 5, 'Workflow "Directory_User_New" already has a Activity "Request", at b.xml:4:5'],
      ["missing-attribute", 7, "AddChangeAspect requires the attribute Binding"],
      ["missing-attribute", 7, "PointCut requires the attribute ActivityState"],
    ]);
  });
});

describe("workflows: the aspect's script on the agent", () => {
  it("a ScriptFile written as a Windows path that no prefix maps is a warning, as for the tasks' paths", () => {
    const file = join(writeFolder({}), "appsettings.json");
    writeFileSync(file, JSON.stringify({ Paths: { WindowsPrefixes: { "D:\\Conf": "/srv/idm/conf" } } }));
    const settings = readSettingsFile(file, [file]);
    const body = [
      WORKFLOW,
      `  <InvokeScriptAspect Identifier="Mapped" Agent="Local" ScriptFile="D:\\Conf\\InvokeAspects\\aspect.ps1"><PointCut Activity="Directory_User_New:Request" ActivityState="ActionWithRefine-Executed"/></InvokeScriptAspect>`,
      `  <InvokeScriptAspect Identifier="Unmapped" Agent="Local" ScriptFile="C:/Usercube/Conf/InvokeAspects/aspect.ps1"><PointCut Activity="Directory_User_New:Request" ActivityState="ActionWithRefine-Executed"/></InvokeScriptAspect>`,
    ].join("\n");
    const result = validateFolder(folderWith(body), settings.validation, settings);
    expect(result.problems.map((p) => [p.code, p.severity, p.line, p.message.split(";")[0]])).toEqual([
      ["unmapped-windows-path", "warning", 8, 'InvokeScriptAspect "Unmapped" ScriptFile C:/Usercube/Conf/InvokeAspects/aspect.ps1 is a Windows path that no prefix maps'],
    ]);
  });
});

describe.each(BACKENDS)("workflows deployed on %s", (_name, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("deploys, shows and exports every workflow element; deploying the export changes nothing", async () => {
    const store = await db.open();
    const { before, after, files } = await deployExportDeploy(store);
    expect(fingerprint(after, WORKFLOW_KINDS)).toEqual(fingerprint(before, WORKFLOW_KINDS));
    const shown = await showItem(store, "Workflow", "Directory_User_NewInternal");
    expect(shown!.item.children).toEqual(item(before, "Workflow", "Directory_User_NewInternal").children);
    const text = files.get("Workflows.xml")!;
    expect(text).toContain(`<Activity Identifier="PersistDraft" DisplayName_L1="Draft Creation" Template="PersistOnlyResources" WorkflowOverviewDisable="true"/>`);
    expect(text).toContain(`<PointCut Activity="Directory_User_NewInternal:Persist" ActivityState="Persist-Invoked" Mode="After"/>`);
  });
});
