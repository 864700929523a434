import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCatalog, type AttributeSpec, type ElementSpec } from "../../../src/config/schema/catalog.js";
import { validateFolder } from "../../../src/config/validate-folder.js";
import { BASE_MODEL, configFile, writeFolder } from "../../helpers/temp-folder.js";

const catalog = loadCatalog();

/** The 31 task types of the reference product (reference/seed-tasks.md). */
const REFERENCE_TASK_TYPES = [
  "ActivityInstanceActorTask", "BuildRoleModelTask", "ComputeCorrelationKeysTask", "ComputeRiskScoresTask",
  "ComputeRoleModelTask", "CreateDatabaseViewsTask", "DeployConfigurationTask", "ExportTask", "FulfillTask",
  "GenerateProvisioningOrdersTask", "GetRoleMiningTask", "InvokeApiTask", "InvokeAspectsTask", "InvokeExpressionTask",
  "InvokeSqlCommandTask", "MaintainIndexesTask", "ManageConfigurationIndexesTask", "PrepareSynchronizationTask",
  "ProcessAccessCertificationItemsTask", "ResetValidFromTask", "SavePreExistingAccessRightsTask",
  "SendAccessCertificationNotificationTask", "SendNotificationsTask", "SendRoleModelNotificationsTask",
  "SetAccessCertificationReviewerTask", "SetInternalUserProfilesTask", "SetRecentlyModifiedFlagTask", "SynchronizeTask",
  "UpdateAccessCertificationCampaignTask", "UpdateClassificationTask", "UpdateEntityPropertyExpressionsTask",
];

/** Task types the vendor's scaffoldings emit, with no reference page (README, Accepting what the product accepts). */
const SCAFFOLDING_TASK_TYPES = ["CleanDataBase", "RefreshSchemaTask", "UpdateParametersContextDisplayNamesTask"];

/** Attributes that exclude another one (the task-combination rules). */
const EXCLUDED = new Set(["InvokeSqlCommandTask.SQLInputFile"]);

function sampleValue(attr: AttributeSpec): string {
  if (attr.ref === "Agent") return "Local";
  if (attr.ref === "OpenIdClient") return "Job";
  if (attr.ref === "Connector") return "AD";
  // Checked against the encodings the tasks can write.
  if (attr.name === "Encoding") return "utf-8";
  switch (attr.type) {
    case "boolean":
      return "1";
    case "integer":
      return "0";
    case "number":
      return "0.5";
    case "enum":
      return String(attr.enumNumbers?.at(-1) ?? attr.enumNames!.at(-1));
    case "string":
      return `${attr.name} value`;
  }
}

/** The task with every attribute it accepts set, and each kind of child it accepts. */
function fullExample(spec: ElementSpec): string {
  const attrs = [...spec.attributes.values()]
    .filter((a) => !EXCLUDED.has(`${spec.name}.${a.name}`))
    .map((a) => `${a.name}="${a.name === "Identifier" ? "T" : sampleValue(a)}"`);
  const allEntityTypes = spec.attributes.has("AllEntityType");
  const children = spec.children
    .filter((c) => !(allEntityTypes && c === "TaskEntityType"))
    .map((c) => ({ TaskDependsOnTask: `<TaskDependsOnTask ParentTask="Parent"/>`, TaskEntityType: `<TaskEntityType EntityType="AD_Entry"/>`, TaskResourceType: `<TaskResourceType ResourceType="AD_Entry_NominativeUser"/>` })[c]);
  return `    <${spec.name} ${attrs.join(" ")}>\n      ${children.join("\n      ")}\n    </${spec.name}>`;
}

function validateTask(taskXml: string) {
  const jobs = configFile(`  <ResetValidFromTask Identifier="Parent" DisplayName_L1="Parent"/>\n  <Job Identifier="J" DisplayName_L1="J" Agent="Local">\n${taskXml}\n    <Step Identifier="Parent"/>\n  </Job>`);
  return validateFolder(writeFolder({ "model.xml": BASE_MODEL, "jobs.xml": jobs })).problems;
}

describe("task schemas", () => {
  it("model exactly the 31 task types of the reference, and the 3 its scaffoldings emit", () => {
    expect(catalog.taskTypes).toEqual([...REFERENCE_TASK_TYPES, ...SCAFFOLDING_TASK_TYPES].sort());
  });

  it.each(REFERENCE_TASK_TYPES)("%s accepts a full example and rejects a misspelt attribute", (type) => {
    const spec = catalog.get(type)!;
    const full = fullExample(spec);
    expect(validateTask(full)).toEqual([]);

    const own = [...spec.attributes.keys()].find((n) => !/^(DisplayName_L\d+|Identifier|Level|LogLevel|Connector)$/.test(n)) ?? "DisplayName_L1";
    const misspelt = own.slice(0, 2) + own.slice(3); // drop the third letter
    const wrong = full.replace(` ${own}="`, ` ${misspelt}="`);
    const problems = validateTask(wrong);
    const unknown = problems.find((p) => p.code === "unknown-attribute");
    const column = wrong.split("\n")[0]!.indexOf(` ${misspelt}="`) + 2;
    expect(unknown).toMatchObject({ severity: "error", line: 5, column, hint: expect.stringContaining(own) });
    expect(unknown!.message).toContain(misspelt);
  });

  it("accept every XML example of the reference documentation, as written there", () => {
    const dir = fileURLToPath(new URL("../../fixtures/reference-examples/", import.meta.url));
    const result = validateFolder(dir);
    // The pages show tasks on their own, outside any job: orphan-task warnings, nothing else.
    expect(result.problems.filter((p) => p.code !== "orphan-task")).toEqual([]);
    expect(new Set(result.configuration.tasks.map((t) => t.type)).size).toBe(31);
  });
});
