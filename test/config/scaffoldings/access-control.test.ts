/**
 * The access-control scaffoldings whose output the reference states precisely: the
 * AccessControlRules they generate (jobs-and-deploy.md §3.6), the scaffoldings they generate in
 * turn, overlays over them, and the references that stored-only scaffoldings make resolve.
 */
import { describe, expect, it } from "vitest";
import { buildItems, type Item } from "../../../src/config/items.js";
import { loadCatalog } from "../../../src/config/schema/catalog.js";
import { ACCESS_CONTROL_SCAFFOLDINGS } from "../../../src/config/scaffoldings/access-control.js";
import { validateFolder, type ValidationResult } from "../../../src/config/validate-folder.js";
import { configFile, writeFolder } from "../../helpers/temp-folder.js";

const MODEL = configFile([
  `  <EntityType Identifier="HR_Person" DisplayName_L1="Person"><Property Identifier="PersonId" DisplayName_L1="ID" IsKey="true" TargetColumnIndex="4"/></EntityType>`,
  `  <Profile Identifier="Administrator" DisplayName_L1="Administrator"/>`,
].join("\n"));

function validate(body: string): ValidationResult {
  return validateFolder(writeFolder({ "Model.xml": MODEL, "Access.xml": configFile(body) }));
}

function itemsOf(body: string, codes: string[] = []): Item[] {
  const result = validate(body);
  expect(result.problems.map((p) => p.code)).toEqual(codes);
  return buildItems(result.configuration);
}

const rules = (items: Item[]): Item[] => items.filter((i) => i.kind === "AccessControlRule");

describe("access-control scaffoldings", () => {
  it("JobAdministrationAccessControlRules: the job administration rule with /Jobs/Job/Query and /Jobs/Job/Update", () => {
    const items = itemsOf(`  <JobAdministrationAccessControlRules Profile="Administrator"/>`);
    expect(rules(items)).toEqual([expect.objectContaining({
      identifier: "Administrator_Job_Jobs_Job",
      attributes: { DisplayName_L1: "Administrator - Management for Job", EntityType: "Job", Profile: "Administrator" },
      children: { Entry: [
        expect.objectContaining({ Permission: "/Jobs/Job/Query", CanExecute: true }),
        expect.objectContaining({ Permission: "/Jobs/Job/Update", CanExecute: true }),
      ] },
      source: { file: "Access.xml", line: 3, column: 3, generatedBy: "JobAdministrationAccessControlRules" },
    })]);
  });

  it("the run-job rules of §3.6: RunJobAdministration launches, GetJobLog reads logs, SynchronizationAccessControlRules runs synchronizations", () => {
    const items = itemsOf([
      `  <RunJobAdministrationAccessControlRules Profile="Administrator"/>`,
      `  <GetJobLogAdministrationAccessControlRules Profile="Administrator"/>`,
      `  <SynchronizationAccessControlRules Profile="Administrator"/>`,
    ].join("\n"));
    const permissions = (id: string): string[] => (rules(items).find((r) => r.identifier === id)!.children as { Entry: { Permission: string; CanExecute: boolean }[] })
      .Entry.map((e) => `${e.Permission}${e.CanExecute ? " (execute)" : ""}`);
    expect(permissions("Administrator_Job_RunJobLaunch")).toEqual(["/Jobs/RunJob/Launch (execute)"]);
    expect(permissions("Administrator_JobInstance_RunJobLaunch")).toEqual(["/Jobs/JobInstance/Create (execute)"]);
    expect(permissions("Administrator_Job_JobLog")).toEqual(["/Jobs/RunJob/GetLog (execute)"]);
    expect(permissions("Administrator_Connector_Connectors_SynchronizeSession")).toEqual(["/Connectors/SynchronizeSession"]);
    expect(permissions("Administrator_Connector_ConnectorMapping_Query")).toEqual(["/Connectors/Connector/Query (execute)"]);
  });

  it("JobExecutionAccessControlRules generates its scaffoldings, which generate their rules; those only stored are said", () => {
    const result = validate(`  <JobExecutionAccessControlRules Profile="Administrator"/>`);
    expect(result.problems.map((p) => [p.code, p.line, p.message.split(" ")[0]])).toEqual([
      ["scaffolding-not-expanded", 3, "PendingAssignedResourceTypesAccessControlRules"],
      ["scaffolding-not-expanded", 3, "ResourceChangesViewAccessControlRules"],
    ]);
    const items = buildItems(result.configuration);
    expect(items.filter((i) => i.kind.endsWith("Rules")).map((i) => `${i.kind} ← ${i.source.generatedBy ?? "(written)"}`).sort()).toEqual([
      "GetJobLogAdministrationAccessControlRules ← JobViewAccessControlRules",
      "JobAdministrationAccessControlRules ← JobViewAccessControlRules",
      "JobExecutionAccessControlRules ← (written)",
      "JobViewAccessControlRules ← JobExecutionAccessControlRules",
      "PendingAssignedResourceTypesAccessControlRules ← JobViewAccessControlRules",
      "ResourceChangesViewAccessControlRules ← JobViewAccessControlRules",
      "RunJobAdministrationAccessControlRules ← JobExecutionAccessControlRules",
      "RunJobNotificationAccessControlRules ← JobExecutionAccessControlRules",
      "RunJobRepairAdministrationAccessControlRules ← JobExecutionAccessControlRules",
      "RunJobRepairNotificationAccessControlRules ← JobExecutionAccessControlRules",
    ]);
    expect(rules(items).map((r) => r.identifier).sort()).toEqual([
      "Administrator_JobInstance_RunJobLaunch", "Administrator_Job_JobLog", "Administrator_Job_JobViews_Job", "Administrator_Job_JobViews_JobInstance",
      "Administrator_Job_JobViews_Task", "Administrator_Job_JobViews_TaskEntityType", "Administrator_Job_JobViews_TaskInstance",
      "Administrator_Job_JobViews_TaskResourceType", "Administrator_Job_Jobs_Job", "Administrator_Job_RunJobLaunch",
      "Administrator_Job_RunJobLaunch_Notification_Errored", "Administrator_Job_RunJobRepair", "Administrator_Job_RunJobRepair_Notification_Errored",
    ]);
  });

  it("expands every one of its table without an error; the entity types its rules name are the product's own", () => {
    const body = ACCESS_CONTROL_SCAFFOLDINGS.filter((n) => n !== "UpdateResourcesAccessControlRules" && n !== "UpdateResourcesTemplate")
      .map((n) => `  <${n} Profile="Administrator"${loadCatalog().get(n)!.attributes.has("EntityType") ? ` EntityType="HR_Person"` : ""}/>`).join("\n");
    const result = validate(body);
    expect(result.problems.filter((p) => p.code !== "scaffolding-not-expanded")).toEqual([]);
    expect(rules(buildItems(result.configuration)).length).toBeGreaterThan(100);
  });

  it("takes overlays: a Merge adds an entry to a generated rule, a Delete removes one; a scaffolding written by hand is not generated again", () => {
    const items = itemsOf([
      `  <JobViewAccessControlRules Profile="Administrator"/>`,
      `  <JobAdministrationAccessControlRules Profile="Administrator"/>`,
      `  <AccessControlRule Identifier="Administrator_Job_Jobs_Job" ConsolidationMode="Merge"><Entry Permission="/Jobs/Job/Create" CanExecute="true"/></AccessControlRule>`,
      `  <AccessControlRule Identifier="Administrator_Job_JobViews_TaskResourceType" ConsolidationMode="Delete"/>`,
    ].join("\n"), ["scaffolding-not-expanded", "scaffolding-not-expanded"]);
    const jobs = rules(items).find((r) => r.identifier === "Administrator_Job_Jobs_Job")!;
    expect((jobs.children as { Entry: { Permission: string }[] }).Entry.map((e) => e.Permission)).toEqual(["/Jobs/Job/Query", "/Jobs/Job/Update", "/Jobs/Job/Create"]);
    expect(jobs.contributions!.map((c) => `${c.line}:${c.mode}`)).toEqual(["4:Base", "5:Merge"]);
    expect(rules(items).some((r) => r.identifier === "Administrator_Job_JobViews_TaskResourceType")).toBe(false);
    expect(items.filter((i) => i.kind === "JobAdministrationAccessControlRules").map((i) => i.source)).toEqual([{ file: "Access.xml", line: 4, column: 3 }]);
  });

  it("an unknown profile is one error, at the scaffolding: nothing is generated from it", () => {
    const result = validate(`  <TaskAdministrationAccessControlRules Profile="Administrateur"/>`);
    expect(result.problems.map((p) => [p.code, p.message, p.hint])).toEqual([
      ["unresolved-reference", `TaskAdministrationAccessControlRules Profile="Administrateur": no Profile has this identifier`, "did you mean Administrator?"],
    ]);
    expect(rules(buildItems(result.configuration))).toEqual([]);
  });

  it("a template without the attributes its output names generates nothing", () => {
    const items = itemsOf(`  <ViewTemplate EntityType="HR_Person"/>`);
    expect(items.filter((i) => i.source.generatedBy !== undefined)).toEqual([]);
  });
});

describe("what stored-only scaffoldings generate", () => {
  it("resolves references: the workflow entity type of WorkflowEntityType, the profile of CreateAdministratorProfile", () => {
    const body = [
      `  <WorkflowEntityType EntityType="HR_Person"/>`,
      `  <CreateAdministratorProfile/>`,
      `  <WorkflowAccessControlRules EntityType="Workflow_HR_Person" Profile="Administrator"/>`,
    ].join("\n");
    const result = validateFolder(writeFolder({ "Model.xml": MODEL.replace(/\n  <Profile[^\n]*/, ""), "Access.xml": configFile(body) }));
    expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
    const without = validateFolder(writeFolder({ "Model.xml": MODEL, "Access.xml": configFile(`  <WorkflowAccessControlRules EntityType="Workflow_HR_Person" Profile="Administrator"/>`) }));
    expect(without.problems.filter((p) => p.severity === "error").map((p) => [p.code, p.message])).toEqual([
      ["unresolved-reference", `WorkflowAccessControlRules EntityType="Workflow_HR_Person": no EntityType has this identifier`],
    ]);
  });
});
