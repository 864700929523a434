import { describe, expect, it } from "vitest";
import { buildItems, isJobChildren, isTaskChildren, type Item } from "../../../src/config/items.js";
import { loadCatalog } from "../../../src/config/schema/catalog.js";
import { validateFolder, type ValidationResult } from "../../../src/config/validate-folder.js";
import { configFile, writeFolder } from "../../helpers/temp-folder.js";

/** A connector with one CSV connection per table name and one mapped entity type per table. */
function connector(name: string, tables: string[]): string {
  return configFile([
    `  <Connector Identifier="${name}" DisplayName_L1="${name} app" Agent="Local"/>`,
    ...tables.flatMap((t) => [
      `  <Connection Identifier="${name}${t}" DisplayName_L1="${t}" Connector="${name}" Package="Usercube.CSV@0000001"/>`,
      `  <EntityType Identifier="${name}_${t}" DisplayName_L1="${t}"><Property Identifier="Code" DisplayName_L1="Code" IsKey="true" TargetColumnIndex="4" Type="String"/></EntityType>`,
      `  <EntityTypeMapping Identifier="${name}_${t}" Connector="${name}" ConnectionTable="${name}${t}"><Property Identifier="Code" ConnectionColumn="id" IsPrimaryKey="true"/></EntityTypeMapping>`,
    ]),
  ].join("\n"));
}

const MODEL = {
  "Agents.xml": configFile(`  <Agent Identifier="Local" DisplayName_L1="Local agent"/>`),
  "HR.xml": connector("HR", ["People", "Orgs"]),
  "AD.xml": connector("AD", ["Entries"]),
};

function validate(scaffoldings: string, extra: Record<string, string> = {}): ValidationResult {
  return validateFolder(writeFolder({ ...MODEL, "Scaffoldings.xml": configFile(scaffoldings), ...extra }));
}

function itemsOf(scaffoldings: string, extra: Record<string, string> = {}): Item[] {
  const result = validate(scaffoldings, extra);
  expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
  return buildItems(result.configuration);
}

/** A job as `level type identifier [→ parents] [entity types]` lines, in launch order: the golden form. */
function pipeline(items: Item[], job: string): string[] {
  const jobItem = items.find((i) => i.kind === "Job" && i.identifier === job)!;
  expect(jobItem, `job ${job}`).toBeDefined();
  if (!isJobChildren(jobItem.children)) throw new Error("not a job");
  return jobItem.children.steps.map((step) => {
    const task = items.find((i) => i.identifier === step.task && i.kind !== "Job")!;
    const children = isTaskChildren(task.children) ? task.children : { dependsOn: [], entityTypes: [], resourceTypes: [] };
    const parents = children.dependsOn.length > 0 ? ` → ${children.dependsOn.map((p) => p.replace(`${job}_`, "")).join(",")}` : "";
    const types = children.entityTypes.length > 0 ? ` [${children.entityTypes.join(",")}]` : "";
    return `${step.level} ${task.kind} ${step.task.replace(`${job}_`, "")}${parents}${types}`;
  });
}

const ALL_TYPES = "[AD_Entries,HR_Orgs,HR_People]";

describe("job scaffoldings: the canonical pipelines (tasks.md §1.7)", () => {
  it("CreateConnectorSynchroComplete: one export per connection, prepare, synchronize, then the compute tasks, one level each", () => {
    const items = itemsOf(`<CreateConnectorSynchroComplete Connector="HR" DisplayName_L1="HR complete"/>`);
    const job = "HR_Synchronize_Complete_Scaffolding";
    expect(pipeline(items, job)).toEqual([
      "0 ExportTask Export_HR_Complete_HROrgs",
      "0 ExportTask Export_HR_Complete_HRPeople",
      "1 PrepareSynchronizationTask PrepareSynchronization_HR_Complete → Export_HR_Complete_HROrgs,Export_HR_Complete_HRPeople",
      "2 SynchronizeTask Synchronize_HR → PrepareSynchronization_HR_Complete",
      "3 UpdateEntityPropertyExpressionsTask UpdateEntityPropertyExpressions1 [HR_Orgs,HR_People]",
      "4 ComputeCorrelationKeysTask ComputeCorrelationKeys1_AllEntities [HR_Orgs,HR_People]",
      "5 ComputeRoleModelTask ComputeRoleModel1 [HR_Orgs,HR_People]",
      "6 ComputeRiskScoresTask ComputeRiskScores1 [HR_Orgs,HR_People]",
      "7 UpdateParametersContextDisplayNamesTask UpdateParametersContextDisplayNames",
      "8 SendRoleModelNotificationsTask SendRoleModelNotifications [HR_Orgs,HR_People]",
      "9 MaintainIndexesTask MaintainIndexes",
    ]);
    const jobItem = items.find((i) => i.kind === "Job" && i.identifier === job)!;
    expect(jobItem.attributes).toMatchObject({ Agent: "Local", DisplayName_L1: "HR complete", IsIncremental: false });
    const exportTask = items.find((i) => i.identifier === `${job}_Export_HR_Complete_HRPeople`)!;
    expect(exportTask.attributes).toMatchObject({ Agent: "Local", Connector: "HR", Connection: "HRPeople", ContinueOnError: true, IgnoreCookieFile: true, Level: 0 });
    expect(items.find((i) => i.identifier === `${job}_PrepareSynchronization_HR_Complete`)!.attributes).toMatchObject({ SynchronizationMode: "Complete" });
  });

  it("CreateConnectorSynchroIncremental: changes-only prepare and synchronize, the modified flag, Dirty compute tasks", () => {
    const items = itemsOf(`<CreateConnectorSynchroIncremental Connector="AD"/>`);
    const job = "AD_Synchronize_Incremental_Scaffolding";
    expect(pipeline(items, job)).toEqual([
      "0 ExportTask Export_AD_Incremental_ADEntries",
      "1 PrepareSynchronizationTask PrepareSynchronizationChanges_AD_Incremental → Export_AD_Incremental_ADEntries",
      "2 SynchronizeTask SynchronizeChanges_AD_DoNotDeleteChanges → PrepareSynchronizationChanges_AD_Incremental",
      "3 SetRecentlyModifiedFlagTask SetRecentlyModifiedFlag → SynchronizeChanges_AD_DoNotDeleteChanges",
      "4 UpdateEntityPropertyExpressionsTask UpdateEntityPropertyExpressions1_WithDirty [AD_Entries]",
      "5 ComputeCorrelationKeysTask ComputeCorrelationKeys1_AllEntities_WithDirty → SetRecentlyModifiedFlag [AD_Entries]",
      "6 ComputeRoleModelTask ComputeRoleModel1_WithDirty → SetRecentlyModifiedFlag [AD_Entries]",
    ]);
    const attributes = (suffix: string) => items.find((i) => i.identifier === `${job}_${suffix}`)!.attributes;
    expect(items.find((i) => i.kind === "Job" && i.identifier === job)!.attributes).toMatchObject({ IsIncremental: true, DisplayName_L1: "AD app - Synchronization Incremental" });
    expect(attributes("Export_AD_Incremental_ADEntries")).toMatchObject({ ContinueOnError: true, IgnoreCookieFile: false });
    expect(attributes("PrepareSynchronizationChanges_AD_Incremental")).toMatchObject({ SynchronizationMode: "Incremental", Type: "Changes" });
    expect(attributes("SynchronizeChanges_AD_DoNotDeleteChanges")).toMatchObject({ Type: "Changes", DoNotDeleteChanges: true });
    expect(attributes("UpdateEntityPropertyExpressions1_WithDirty")).toMatchObject({ Dirty: true });
  });

  it("CreateAgentSynchroComplete and Incremental: every connector of the agent in one job, in document order", () => {
    const items = itemsOf(`<CreateAgentSynchroComplete JobIdentifier="Daily"/>\n<CreateAgentSynchroIncremental/>`);
    // Connectors in document order: files sorted by path, AD.xml before HR.xml.
    expect(pipeline(items, "Daily").slice(0, 6)).toEqual([
      "0 ExportTask Export_AD_Complete_ADEntries",
      "0 ExportTask Export_HR_Complete_HROrgs",
      "0 ExportTask Export_HR_Complete_HRPeople",
      "1 PrepareSynchronizationTask PrepareSynchronization_AD_Complete → Export_AD_Complete_ADEntries",
      "1 PrepareSynchronizationTask PrepareSynchronization_HR_Complete → Export_HR_Complete_HROrgs,Export_HR_Complete_HRPeople",
      "2 SynchronizeTask Synchronize_AD → PrepareSynchronization_AD_Complete",
    ]);
    expect(pipeline(items, "Daily")[7]).toBe(`3 UpdateEntityPropertyExpressionsTask UpdateEntityPropertyExpressions1 ${ALL_TYPES}`);
    expect(pipeline(items, "Local_Synchronize_Incremental_Scaffolding")[7]).toBe(
      "3 SetRecentlyModifiedFlagTask SetRecentlyModifiedFlag → SynchronizeChanges_AD_DoNotDeleteChanges,SynchronizeChanges_HR_DoNotDeleteChanges");
  });

  it("leaves out a connector whose CompleteJob is NotUsed, and the collect of an OnlyProvisioning one", () => {
    const items = itemsOf(`<CreateAgentSynchroComplete JobIdentifier="Daily"/>`, {
      "AD.xml": connector("AD", ["Entries"]).replace(`Agent="Local"/>`, `Agent="Local" CompleteJob="NotUsed"/>`),
      "HR.xml": connector("HR", ["People"]).replace(`Agent="Local"/>`, `Agent="Local" CompleteJob="OnlyProvisioning"/>`),
    });
    expect(pipeline(items, "Daily")[0]).toBe("0 UpdateEntityPropertyExpressionsTask UpdateEntityPropertyExpressions1 [HR_People]");
  });

  it("CreateInitializationJob: views, the initial collect, the compute block three times, the closing tasks, levels 0 to 23", () => {
    const items = itemsOf(`<CreateInitializationJob DisplayName_L1="Initialization"><Configuration Path="/srv/conf"/></CreateInitializationJob>`);
    const steps = pipeline(items, "InitializationJob");
    expect(steps.map((s) => s.replace(/ \[.*\]$/, ""))).toEqual([
      "0 CreateDatabaseViewsTask CreateDatabaseViews",
      "1 ExportTask Export_AD_Complete_ADEntries",
      "1 ExportTask Export_HR_Complete_HROrgs",
      "1 ExportTask Export_HR_Complete_HRPeople",
      "2 PrepareSynchronizationTask PrepareSynchronization_AD_Initial",
      "2 PrepareSynchronizationTask PrepareSynchronization_HR_Initial",
      "3 SynchronizeTask Synchronize_AD_ForceSynchronization",
      "3 SynchronizeTask Synchronize_HR_ForceSynchronization",
      "4 UpdateEntityPropertyExpressionsTask UpdateEntityPropertyExpressions1",
      "5 ComputeCorrelationKeysTask ComputeCorrelationKeys1_AllEntities",
      "6 ComputeRoleModelTask ComputeRoleModel1",
      "7 UpdateEntityPropertyExpressionsTask UpdateEntityPropertyExpressions2",
      "8 ComputeCorrelationKeysTask ComputeCorrelationKeys2_AllEntities",
      "9 ComputeRoleModelTask ComputeRoleModel2",
      "10 UpdateEntityPropertyExpressionsTask UpdateEntityPropertyExpressions3",
      "11 ComputeCorrelationKeysTask ComputeCorrelationKeys3_AllEntities",
      "12 ComputeRoleModelTask ComputeRoleModel3",
      "13 UpdateEntityPropertyExpressionsTask UpdateEntityPropertyExpressions4",
      "14 DeployConfigurationTask DeployConfiguration",
      "15 ComputeCorrelationKeysTask ComputeCorrelationKeys4_AllEntities",
      "16 ComputeRoleModelTask ComputeRoleModel4",
      "17 ComputeRiskScoresTask ComputeRiskScores1",
      "18 UpdateClassificationTask UpdateClassification",
      "19 SetInternalUserProfilesTask SetInternalUserProfiles1",
      "20 ResetValidFromTask ResetValidFrom",
      "21 UpdateParametersContextDisplayNamesTask UpdateParametersContextDisplayNames",
      "22 SavePreExistingAccessRightsTask SavePreExistingAccessRights",
      "23 MaintainIndexesTask MaintainIndexes",
    ]);
    const attributes = (suffix: string) => items.find((i) => i.identifier === `InitializationJob_${suffix}`)!.attributes;
    expect(items.find((i) => i.kind === "Job" && i.identifier === "InitializationJob")!.attributes)
      .toMatchObject({ Agent: "Local", IsInitializationJob: true, UserStartDenied: true });
    expect(attributes("Export_AD_Complete_ADEntries")).toMatchObject({ InitMode: true, IgnoreCookieFile: true });
    expect(attributes("Synchronize_AD_ForceSynchronization")).toMatchObject({ ForceSynchronization: true });
    expect(attributes("ComputeRoleModel1")).toMatchObject({ BlockProvisioning: false, IgnoreHistorization: true });
    expect(attributes("ComputeRoleModel4")).toMatchObject({ BlockAllResourceTypeProvisioning: true });
    expect(attributes("DeployConfiguration")).toMatchObject({ ConfigurationDirectory: "/srv/conf" });
    expect(attributes("MaintainIndexes")).toMatchObject({ AllIndexes: true, Offline: true });
  });

  it("CreateAccessCertificationJob, CleanDatabaseJob: their fixed pipelines, identifiers and schedule", () => {
    const items = itemsOf(`<CreateAccessCertificationJob DisplayName_L1="95: Execute Access Reviews" JobIdentifier="New_Access_Certif"/>\n<CleanDatabaseJob/>`);
    expect(pipeline(items, "New_Access_Certif")).toEqual([
      "0 UpdateAccessCertificationCampaignTask UpdateAccessCertificationCampaign",
      "1 SetAccessCertificationReviewerTask SetAccessCertificationReviewer",
      "2 SendAccessCertificationNotificationTask SendAccessCertificationNotification",
      "3 ProcessAccessCertificationItemsTask ProcessAccessCertificationItems",
    ]);
    expect(items.find((i) => i.kind === "Job" && i.identifier === "New_Access_Certif")!.attributes)
      .toMatchObject({ CronTabExpression: "*/15 * * * *", CronTimeZone: "ServerTime", DisplayName_L1: "95: Execute Access Reviews" });
    expect(pipeline(items, "CleanDatabase")).toEqual(["0 CleanDataBase CleanDataBase"]);
  });

  it("CreateConnectorsJobs: per connector, <Connector>_VirtualJob with its page tasks as Steps without Level", () => {
    const items = itemsOf(`<CreateConnectorsJobs/>`);
    expect(pipeline(items, "AD_VirtualJob")).toEqual([
      "-1 ExportTask AD_ConnectorExport", "-1 PrepareSynchronizationTask AD_ConnectorPrepareSynchronization",
      "-1 SynchronizeTask AD_ConnectorSynchronization", "-1 UpdateEntityPropertyExpressionsTask AD_ConnectorExpression [AD_Entries]",
      "-1 ComputeCorrelationKeysTask AD_ConnectorCorrelation [AD_Entries]", "-1 ComputeRoleModelTask AD_ConnectorPolicy",
      "-1 GenerateProvisioningOrdersTask AD_ConnectorGenerateOrders", "-1 FulfillTask AD_ConnectorFulfillment",
      "-1 UpdateClassificationTask AD_ConnectorClassification", "-1 BuildRoleModelTask AD_ConnectorBuildRoleModel",
      "-1 RefreshSchemaTask AD_ConnectorRefreshSchema",
    ]);
    const job = items.find((i) => i.kind === "Job" && i.identifier === "HR_VirtualJob")!;
    expect(job.attributes).toMatchObject({ DisplayName_L1: "ZZ Connectors/HR app", Agent: "Local", IsConnectorJob: true, UserStartDenied: true });
    expect(isJobChildren(job.children) && job.children.steps.every((s) => s.kind === "step")).toBe(true);
  });

  it("gives every generated element attributes its schema accepts, and marks it generatedBy at the scaffolding", () => {
    const result = validate([
      `<CreateConnectorSynchroComplete Connector="HR"/>`, `<CreateConnectorSynchroIncremental Connector="HR"/>`, `<CreateAgentSynchroComplete/>`,
      `<CreateAgentSynchroIncremental/>`, `<CreateInitializationJob><Configuration Path="/srv"/></CreateInitializationJob>`, `<CreateConnectorsJobs/>`,
      `<CleanDatabaseJob/>`, `<CreateAccessCertificationJob/>`,
    ].join("\n"));
    expect(result.problems).toEqual([]);
    const catalog = loadCatalog();
    const generated = [...result.configuration.jobs.map((j) => j.element), ...result.configuration.tasks.map((t) => t.element)];
    expect(generated.length).toBeGreaterThan(100);
    for (const element of generated) {
      const spec = catalog.get(element.spec.name)!;
      expect(spec.validate(element.attributes), `${element.spec.name} ${String(element.attributes.Identifier)}: ${JSON.stringify(spec.validate.errors)}`).toBe(true);
      expect(element.generatedBy).toMatch(/^(Create|Clean)/);
    }
    const items = buildItems(result.configuration);
    const clean = items.find((i) => i.identifier === "CleanDatabase_CleanDataBase")!;
    expect(clean.source).toEqual({ file: "Scaffoldings.xml", line: 9, column: 1, generatedBy: "CleanDatabaseJob" });
    expect(items.find((i) => i.kind === "CleanDatabaseJob")!.source).toEqual({ file: "Scaffoldings.xml", line: 9, column: 1 });
  });
});

describe("job scaffolding arguments", () => {
  const TOP = `<InvokeExpressionTask Identifier="Pre" DisplayName_L1="pre" Agent="Local" InputPath="scripts/pre.sh"/>`;

  it("AddTask Before places the task in a level of its own before TaskToCompareWith, After just after it; later levels move down", () => {
    const job = "HR_Synchronize_Complete_Scaffolding";
    const items = itemsOf(`<CreateConnectorSynchroComplete Connector="HR">
  <AddTask Task="Pre" TaskToCompareWith="${job}_Export_HR_Complete_HRPeople" Before="true"/>
  <AddTask Task="Post" TaskToCompareWith="${job}_Synchronize_HR" After="true"/>
  <AddTask Task="Last" TaskToCompareWith="${job}_MaintainIndexes"/>
</CreateConnectorSynchroComplete>
${TOP}
<InvokeExpressionTask Identifier="Post" DisplayName_L1="post" Agent="Local" InputPath="scripts/post.sh"/>
<InvokeExpressionTask Identifier="Last" DisplayName_L1="last" Agent="Local" InputPath="scripts/last.sh"/>`);
    const steps = pipeline(items, job);
    expect(steps.slice(0, 6)).toEqual([
      "0 InvokeExpressionTask Pre",
      "1 ExportTask Export_HR_Complete_HROrgs",
      "1 ExportTask Export_HR_Complete_HRPeople",
      "2 PrepareSynchronizationTask PrepareSynchronization_HR_Complete → Export_HR_Complete_HROrgs,Export_HR_Complete_HRPeople",
      "3 SynchronizeTask Synchronize_HR → PrepareSynchronization_HR_Complete",
      "4 InvokeExpressionTask Post",
    ]);
    expect(steps.at(-2)).toBe("11 MaintainIndexesTask MaintainIndexes");
    expect(steps.at(-1)).toBe("12 InvokeExpressionTask Last");
    const jobItem = items.find((i) => i.kind === "Job" && i.identifier === job)!;
    expect(isJobChildren(jobItem.children) && jobItem.children.steps.filter((s) => s.kind === "step").map((s) => s.task)).toEqual(["Pre", "Post", "Last"]);
    // The added task stays the hand-written item it was.
    expect(items.find((i) => i.identifier === "Pre")!.source).toEqual({ file: "Scaffoldings.xml", line: 8, column: 1 });
  });

  it("reports a TaskToCompareWith that the job lacks with a did-you-mean, and a Task that does not exist", () => {
    const result = validate(`<CreateConnectorSynchroComplete Connector="HR">
  <AddTask Task="Pree" TaskToCompareWith="HR_Synchronize_Complete_Scaffolding_Synchronize_HRR"/>
</CreateConnectorSynchroComplete>
${TOP}`);
    const errors = result.problems.filter((p) => p.severity === "error").map((p) => ({ code: p.code, line: p.line, message: p.message, hint: p.hint }));
    expect(errors).toEqual([
      { code: "unresolved-reference", line: 4, message: `AddTask Task="Pree": no task has this identifier`, hint: "did you mean Pre?" },
      { code: "unresolved-reference", line: 4, message: `AddTask TaskToCompareWith="HR_Synchronize_Complete_Scaffolding_Synchronize_HRR": the job HR_Synchronize_Complete_Scaffolding that CreateConnectorSynchroComplete generates has no such task`, hint: "did you mean HR_Synchronize_Complete_Scaffolding_Synchronize_HR?" },
      { code: "unresolved-reference", line: 4, message: `AddTask TaskToCompareWith="HR_Synchronize_Complete_Scaffolding_Synchronize_HRR": no task has this identifier`, hint: "did you mean HR_Synchronize_Complete_Scaffolding_Synchronize_HR?" },
    ]);
    expect(result.problems.find((p) => p.code === "orphan-task")?.message).toBe(`InvokeExpressionTask "Pre" is in no job: deployed, it never runs`);
  });

  it("refuses Before and After together, and a Connector that does not exist, with a did-you-mean", () => {
    const result = validate(`<CreateConnectorSynchroComplete Connector="HRR"/>
<CreateConnectorSynchroIncremental Connector="HR"><AddTask Task="Pre" TaskToCompareWith="HR_Synchronize_Incremental_Scaffolding_SetRecentlyModifiedFlag" Before="1" After="1"/></CreateConnectorSynchroIncremental>
${TOP}`);
    const errors = result.problems.filter((p) => p.severity === "error");
    expect(errors.map((p) => [p.code, p.line, p.hint])).toEqual([
      ["unresolved-reference", 3, "did you mean HR?"],
      ["invalid-value", 4, "keep one of them"],
    ]);
    // Nothing is generated from an unknown connector.
    expect(result.configuration.jobs).toHaveLength(1);
  });

  it("CronTabExpression schedules the job; LinkDependTask adds a dependency to a generated task; OpenIdIdentifier sets the agent tasks' client", () => {
    const job = "AD_Synchronize_Complete_Scaffolding";
    const items = itemsOf(`<CreateConnectorSynchroComplete Connector="AD">
  <CronTabExpression CronTab="0 3 * * *" CronTimeZone="ServerTime"/>
  <LinkDependTask Task="${job}_ComputeRoleModel1" DependOn="${job}_Synchronize_AD"/>
  <OpenIdIdentifier Identifier="Job"/>
</CreateConnectorSynchroComplete>
<OpenIdClient Identifier="Job" DisplayName_L1="Job client"/>`);
    expect(items.find((i) => i.kind === "Job" && i.identifier === job)!.attributes).toMatchObject({ CronTabExpression: "0 3 * * *", CronTimeZone: "ServerTime" });
    expect(pipeline(items, job)[5]).toBe(`5 ComputeRoleModelTask ComputeRoleModel1 → Synchronize_AD [AD_Entries]`);
    expect(items.find((i) => i.identifier === `${job}_Export_AD_Complete_ADEntries`)!.attributes).toMatchObject({ OpenIdClient: "Job" });
  });

  it("LinkDependTask on a hand-written task is a warning that says how to write the dependency instead", () => {
    const job = "AD_Synchronize_Complete_Scaffolding";
    const result = validate(`<CreateConnectorSynchroComplete Connector="AD">
  <AddTask Task="Pre" TaskToCompareWith="${job}_Synchronize_AD"/>
  <LinkDependTask Task="Pre" DependOn="${job}_Synchronize_AD"/>
</CreateConnectorSynchroComplete>
${TOP}`);
    expect(result.problems.map((p) => [p.code, p.severity, p.line, p.message])).toEqual([
      ["unsupported-argument", "warning", 5, `LinkDependTask Task="Pre" is not a task CreateConnectorSynchroComplete generates for ${job}: ` +
        `idm-toolkit links only generated tasks; declare <TaskDependsOnTask ParentTask="${job}_Synchronize_AD"/> in the task itself`],
    ]);
    expect(buildItems(result.configuration).find((i) => i.identifier === "Pre")!.children).toMatchObject({ dependsOn: [] });
  });

  it("reports an invalid CronTab at the argument, and arguments accepted but not applied with a warning", () => {
    const result = validate(`<CreateConnectorSynchroComplete Connector="AD">
  <CronTabExpression CronTab="0 3 * * * * *"/>
  <FormatPropertiesInResource/>
</CreateConnectorSynchroComplete>`);
    expect(result.problems.map((p) => [p.code, p.severity, p.line])).toEqual([
      ["invalid-cron", "error", 3],
      ["unsupported-argument", "warning", 5],
    ]);
  });

  it("NoProvisioning, NoSynchronization and DoNotCreateJob: the tasks without collect, or without the job", () => {
    const items = itemsOf(`<CreateConnectorSynchroComplete Connector="AD"><NoSynchronization/></CreateConnectorSynchroComplete>
<CreateConnectorSynchroIncremental Connector="AD"><DoNotCreateJob/></CreateConnectorSynchroIncremental>`);
    expect(pipeline(items, "AD_Synchronize_Complete_Scaffolding")[0]).toBe("0 UpdateEntityPropertyExpressionsTask UpdateEntityPropertyExpressions1 [AD_Entries]");
    expect(items.some((i) => i.kind === "Job" && i.identifier === "AD_Synchronize_Incremental_Scaffolding")).toBe(false);
    expect(items.find((i) => i.identifier === "AD_Synchronize_Incremental_Scaffolding_SetRecentlyModifiedFlag")?.source.generatedBy).toBe("CreateConnectorSynchroIncremental");
  });

  it("a hand-written job or task with a generated identifier replaces the generated one, with a warning", () => {
    const job = "AD_Synchronize_Complete_Scaffolding";
    const result = validate(`<CreateConnectorSynchroComplete Connector="AD"/>
<MaintainIndexesTask Identifier="${job}_MaintainIndexes" DisplayName_L1="mine" Offline="true"/>
<CreateConnectorSynchroIncremental Connector="AD"/>
<Job Identifier="AD_Synchronize_Incremental_Scaffolding" DisplayName_L1="mine"><Step Identifier="${job}_MaintainIndexes"/></Job>`);
    expect(result.problems.map((p) => [p.code, p.line, p.message])).toEqual([
      ["scaffolding-conflict", 4, `MaintainIndexesTask "${job}_MaintainIndexes" is also generated by the CreateConnectorSynchroComplete at Scaffoldings.xml:3: this hand-written element replaces the generated one`],
      ["scaffolding-conflict", 6, `Job "AD_Synchronize_Incremental_Scaffolding" is also generated by the CreateConnectorSynchroIncremental at Scaffoldings.xml:5: this hand-written element replaces the generated one`],
    ]);
    const items = buildItems(result.configuration);
    expect(items.find((i) => i.identifier === `${job}_MaintainIndexes`)!.attributes).toMatchObject({ DisplayName_L1: "mine", Offline: true });
    expect(pipeline(items, job).at(-1)).toBe("9 MaintainIndexesTask MaintainIndexes");
    expect(items.find((i) => i.kind === "Job" && i.identifier === "AD_Synchronize_Incremental_Scaffolding")!.attributes.DisplayName_L1).toBe("mine");
  });

  it("an agent scaffolding without Agent needs the configuration to have exactly one agent", () => {
    const result = validate(`<CreateAgentSynchroComplete/>`, { "Agents.xml": configFile(`  <Agent Identifier="Local" DisplayName_L1="a"/>\n  <Agent Identifier="Remote" DisplayName_L1="b"/>`) });
    expect(result.problems.map((p) => [p.code, p.message, p.hint])).toEqual([
      ["missing-attribute", "CreateAgentSynchroComplete has no Agent, and the configuration has 2 agents: the job it generates needs one", `write Agent="Local" (or another: Local, Remote)`],
    ]);
  });
});
