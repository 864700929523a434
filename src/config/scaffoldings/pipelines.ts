/**
 * The canonical pipelines the job scaffoldings generate (reference tasks.md §1.7 and the vendor's
 * "Generated XML" examples): task types, identifiers, attributes, dependencies and levels. Each
 * function returns the launch groups of one job; group i is Level i.
 */
import { plannedTask, type Attributes, type PlannedEntry, type PlannedTask } from "./planned-job.js";
import type { ScaffoldedConnector } from "./scaffolding-model.js";

export interface PipelineOptions {
  job: string;
  agent?: string;
  connectors: ScaffoldedConnector[];
  /** Connectors whose collect (Export, PrepareSynchronization, Synchronize) is generated. */
  collect: ReadonlySet<string>;
  /** Whether the provisioning tasks (GenerateProvisioningOrders, Fulfill) are generated. */
  provision: boolean;
  /** OpenIdClient of the agent-side tasks (OpenIdIdentifier argument); absent: the setting's default. */
  openId?: string;
}

const groups = (...tasks: (PlannedTask | PlannedTask[] | undefined)[]): PlannedEntry[][] =>
  tasks.flatMap((t) => (t === undefined ? [] : [(Array.isArray(t) ? t : [t]).map((task) => ({ task }))])).filter((g) => g.length > 0);

const named = (label: string): Attributes => ({ DisplayName_L1: label });

function agentSide(o: PipelineOptions, connector?: ScaffoldedConnector): Attributes {
  const agent = connector?.agent ?? o.agent;
  return { ...(agent ? { Agent: agent } : {}), ...(o.openId ? { OpenIdClient: o.openId } : {}) };
}

const entityTypes = (o: PipelineOptions): string[] => [...new Set(o.connectors.flatMap((c) => c.entityTypes))];
const resourceTypes = (o: PipelineOptions): string[] => [...new Set(o.connectors.flatMap((c) => c.resourceTypes))];
const collected = (o: PipelineOptions): ScaffoldedConnector[] => o.connectors.filter((c) => o.collect.has(c.identifier));

/** One ExportTask per connection of the connector (one without Connection when it has none). */
function exports(o: PipelineOptions, c: ScaffoldedConnector, mode: "Complete" | "Incremental", extra: Attributes): PlannedTask[] {
  const connections = c.connections.length > 0 ? c.connections : [undefined];
  return connections.map((connection) => plannedTask("ExportTask", `${o.job}_Export_${c.identifier}_${mode}${connection ? `_${connection}` : ""}`, {
    ...named(`${c.displayName} - Extract Changes`), ...agentSide(o, c), Connector: c.identifier, ...(connection ? { Connection: connection } : {}), ...extra,
  }));
}

/**
 * GenerateProvisioningOrders then Fulfill, for the resource types of the job's connectors: none
 * (no ResourceType targets their entity types) leaves both out, as there is nothing to provision.
 */
function provisioning(o: PipelineOptions, n: number, generate: Attributes, fulfill: Attributes, suffix = { generate: "", fulfill: "" }): PlannedTask[] {
  if (!o.provision || resourceTypes(o).length === 0) return [];
  const orders = plannedTask("GenerateProvisioningOrdersTask", `${o.job}_GenerateProvisioningOrders${n}${suffix.generate}`,
    { ...named("Generate Provisioning Orders"), ...generate }, { resourceTypes: resourceTypes(o) });
  const fulfillment = plannedTask("FulfillTask", `${o.job}_Fulfill${n}${suffix.fulfill}`,
    { ...named("Fulfillment"), ...agentSide(o), ...fulfill }, { dependsOn: suffix.fulfill === "" ? [orders.identifier] : [], resourceTypes: resourceTypes(o) });
  return [orders, fulfillment];
}

/** CreateConnectorSynchroComplete / CreateAgentSynchroComplete. */
export function completeSynchronization(o: PipelineOptions): PlannedEntry[][] {
  const sources = collected(o);
  const exportsOf = new Map(sources.map((c) => [c.identifier, exports(o, c, "Complete", { ContinueOnError: true, IgnoreCookieFile: true })]));
  const prepares = sources.map((c) => plannedTask("PrepareSynchronizationTask", `${o.job}_PrepareSynchronization_${c.identifier}_Complete`,
    { ...named(`${c.displayName} - Synchronization (agent side)`), ...agentSide(o, c), Connector: c.identifier, SynchronizationMode: "Complete" },
    { dependsOn: exportsOf.get(c.identifier)!.map((t) => t.identifier) }));
  const synchronizes = sources.map((c, i) => plannedTask("SynchronizeTask", `${o.job}_Synchronize_${c.identifier}`,
    { ...named(`${c.displayName} - Synchronization (server side)`), Connector: c.identifier }, { dependsOn: [prepares[i]!.identifier] }));
  const types = entityTypes(o);
  const [orders, fulfill] = provisioning(o, 1, {}, { Dirty: false, ContinueOnError: true });
  return groups(
    [...exportsOf.values()].flat(), prepares, synchronizes,
    plannedTask("UpdateEntityPropertyExpressionsTask", `${o.job}_UpdateEntityPropertyExpressions1`, named("Update Computed Properties"), { entityTypes: types }),
    plannedTask("ComputeCorrelationKeysTask", `${o.job}_ComputeCorrelationKeys1_AllEntities`, named("Compute all Correlations"), { entityTypes: types }),
    plannedTask("ComputeRoleModelTask", `${o.job}_ComputeRoleModel1`, named("Apply the Role Model"), { entityTypes: types }),
    plannedTask("ComputeRiskScoresTask", `${o.job}_ComputeRiskScores1`, named("Compute Risk Scores"), { entityTypes: types }),
    orders, fulfill,
    plannedTask("UpdateParametersContextDisplayNamesTask", `${o.job}_UpdateParametersContextDisplayNames`, named("Update of Parameters Context Display Names")),
    plannedTask("SendRoleModelNotificationsTask", `${o.job}_SendRoleModelNotifications`, named("Send Role Model Notifications"), { entityTypes: types }),
    plannedTask("MaintainIndexesTask", `${o.job}_MaintainIndexes`, named("SQL Index and Statistics Maintenance")),
  );
}

/** CreateConnectorSynchroIncremental / CreateAgentSynchroIncremental. */
export function incrementalSynchronization(o: PipelineOptions): PlannedEntry[][] {
  const sources = collected(o);
  const exportsOf = new Map(sources.map((c) => [c.identifier, exports(o, c, "Incremental", { ContinueOnError: true })]));
  const prepares = sources.map((c) => plannedTask("PrepareSynchronizationTask", `${o.job}_PrepareSynchronizationChanges_${c.identifier}_Incremental`,
    { ...named(`${c.displayName} - Incremental Synchronization (agent side)`), ...agentSide(o, c), Connector: c.identifier, SynchronizationMode: "Incremental", Type: "Changes" },
    { dependsOn: exportsOf.get(c.identifier)!.map((t) => t.identifier) }));
  const synchronizes = sources.map((c, i) => plannedTask("SynchronizeTask", `${o.job}_SynchronizeChanges_${c.identifier}_DoNotDeleteChanges`,
    { ...named(`${c.displayName} - Synchronization (changes server side)`), Connector: c.identifier, Type: "Changes", DoNotDeleteChanges: true },
    { dependsOn: [prepares[i]!.identifier] }));
  const flag = plannedTask("SetRecentlyModifiedFlagTask", `${o.job}_SetRecentlyModifiedFlag`, named("Tag Modified Objects"),
    { dependsOn: synchronizes.map((t) => t.identifier) });
  const types = entityTypes(o);
  const [orders, fulfill] = provisioning(o, 1, {}, { Dirty: true, ContinueOnError: true });
  return groups(
    [...exportsOf.values()].flat(), prepares, synchronizes, flag,
    plannedTask("UpdateEntityPropertyExpressionsTask", `${o.job}_UpdateEntityPropertyExpressions1_WithDirty`, { ...named("Update Computed Properties"), Dirty: true }, { entityTypes: types }),
    plannedTask("ComputeCorrelationKeysTask", `${o.job}_ComputeCorrelationKeys1_AllEntities_WithDirty`, { ...named("Compute all Correlations"), Dirty: true },
      { dependsOn: [flag.identifier], entityTypes: types }),
    plannedTask("ComputeRoleModelTask", `${o.job}_ComputeRoleModel1_WithDirty`, { ...named("Apply the Role Model"), Dirty: true }, { dependsOn: [flag.identifier], entityTypes: types }),
    orders, fulfill,
  );
}

/** CreateInitializationJob: the initial collect, the compute and provisioning block three times, then the closing tasks. */
export function initialization(o: PipelineOptions & { configurationDirectory?: string }): PlannedEntry[][] {
  const sources = collected(o);
  const types = entityTypes(o);
  const block = (n: number): PlannedTask[] => [
    plannedTask("UpdateEntityPropertyExpressionsTask", `${o.job}_UpdateEntityPropertyExpressions${n}`, named("Update Computed Properties"), { entityTypes: types }),
    plannedTask("ComputeCorrelationKeysTask", `${o.job}_ComputeCorrelationKeys${n}_AllEntities`, named("Compute all Correlations"), { entityTypes: types }),
    plannedTask("ComputeRoleModelTask", `${o.job}_ComputeRoleModel${n}`, { ...named("Apply the Role Model"), BlockProvisioning: false, IgnoreHistorization: true }, { entityTypes: types }),
    ...provisioning(o, n, { ForceProvisioning: true }, { Dirty: false, ContinueOnError: true, IgnoreHistorization: true }, { generate: "_ForceProvisioning", fulfill: "_IgnoreHistorization" }),
  ];
  return groups(
    plannedTask("CreateDatabaseViewsTask", `${o.job}_CreateDatabaseViews`, { ...named("Create the SQL Views"), ...agentSide(o) }),
    sources.flatMap((c) => exports(o, c, "Complete", { InitMode: true, IgnoreCookieFile: true })),
    sources.map((c) => plannedTask("PrepareSynchronizationTask", `${o.job}_PrepareSynchronization_${c.identifier}_Initial`,
      { ...named(`${c.displayName} - Synchronization (agent side)`), ...agentSide(o, c), Connector: c.identifier, SynchronizationMode: "Initial" })),
    sources.map((c) => plannedTask("SynchronizeTask", `${o.job}_Synchronize_${c.identifier}_ForceSynchronization`,
      { ...named(`${c.displayName} - Synchronization (server side)`), Connector: c.identifier, ForceSynchronization: true })),
    ...[1, 2, 3].flatMap(block),
    plannedTask("UpdateEntityPropertyExpressionsTask", `${o.job}_UpdateEntityPropertyExpressions4`, named("Update Computed Properties"), { entityTypes: types }),
    o.configurationDirectory === undefined ? undefined
      : plannedTask("DeployConfigurationTask", `${o.job}_DeployConfiguration`, { ...named("Deploy Configuration"), ConfigurationDirectory: o.configurationDirectory }),
    plannedTask("ComputeCorrelationKeysTask", `${o.job}_ComputeCorrelationKeys4_AllEntities`, named("Compute all Correlations"), { entityTypes: types }),
    plannedTask("ComputeRoleModelTask", `${o.job}_ComputeRoleModel4`,
      { ...named("Apply the Role Model"), BlockAllResourceTypeProvisioning: true, BlockProvisioning: false, IgnoreHistorization: true }, { entityTypes: types }),
    plannedTask("ComputeRiskScoresTask", `${o.job}_ComputeRiskScores1`, named("Compute Risk Scores"), { entityTypes: types }),
    plannedTask("UpdateClassificationTask", `${o.job}_UpdateClassification`, named("Resources Classification"), { entityTypes: types }),
    plannedTask("SetInternalUserProfilesTask", `${o.job}_SetInternalUserProfiles1`, named("Assign Profiles"), { entityTypes: types, resourceTypes: resourceTypes(o) }),
    plannedTask("ResetValidFromTask", `${o.job}_ResetValidFrom`, named("Initialization of Historization")),
    plannedTask("UpdateParametersContextDisplayNamesTask", `${o.job}_UpdateParametersContextDisplayNames`, named("Update of Parameters Context Display Names")),
    plannedTask("SavePreExistingAccessRightsTask", `${o.job}_SavePreExistingAccessRights`, named("Save Pre-existing Access Rights")),
    plannedTask("MaintainIndexesTask", `${o.job}_MaintainIndexes`, { ...named("SQL Index and Statistics Maintenance"), AllIndexes: true, Offline: true }),
  );
}

/** CreateAccessCertificationJob. */
export function accessCertification(job: string): PlannedEntry[][] {
  return groups(
    plannedTask("UpdateAccessCertificationCampaignTask", `${job}_UpdateAccessCertificationCampaign`, named("Update Access Certification Campaign")),
    plannedTask("SetAccessCertificationReviewerTask", `${job}_SetAccessCertificationReviewer`, named("Set Access Certification Reviewer")),
    plannedTask("SendAccessCertificationNotificationTask", `${job}_SendAccessCertificationNotification`, named("Send Access Certification Notifications")),
    plannedTask("ProcessAccessCertificationItemsTask", `${job}_ProcessAccessCertificationItems`, named("Process Access Certification Decisions")),
  );
}

/** CleanDatabaseJob. */
export function cleanDatabase(job: string): PlannedEntry[][] {
  return groups(plannedTask("CleanDataBase", `${job}_CleanDataBase`, named("Clean Database")));
}

/** CreateConnectorsJobs: a connector page's tasks, top-level, each a Step without Level of the connector's job. */
export function connectorPageTasks(c: ScaffoldedConnector): PlannedTask[] {
  // idm-toolkit's UpdateEntityPropertyExpressions and ComputeCorrelationKeys work on listed entity
  // types: the connector's own stand for its Connector attribute.
  const page = (type: PlannedTask["type"], suffix: string, label: string): PlannedTask =>
    plannedTask(type, `${c.identifier}_${suffix}`, { ...named(`${c.displayName} - ${label}`), Connector: c.identifier },
      type === "UpdateEntityPropertyExpressionsTask" || type === "ComputeCorrelationKeysTask" ? { entityTypes: c.entityTypes } : {});
  return [
    page("ExportTask", "ConnectorExport", "Extract Changes"),
    page("PrepareSynchronizationTask", "ConnectorPrepareSynchronization", "Synchronization (agent side)"),
    page("SynchronizeTask", "ConnectorSynchronization", "Synchronization (server side)"),
    page("UpdateEntityPropertyExpressionsTask", "ConnectorExpression", "Update Computed Properties"),
    page("ComputeCorrelationKeysTask", "ConnectorCorrelation", "Compute all Correlations"),
    page("ComputeRoleModelTask", "ConnectorPolicy", "Apply the Role Model"),
    page("GenerateProvisioningOrdersTask", "ConnectorGenerateOrders", "Generate Provisioning Orders"),
    page("FulfillTask", "ConnectorFulfillment", "Fulfillment"),
    page("UpdateClassificationTask", "ConnectorClassification", "Resources Classification"),
    page("BuildRoleModelTask", "ConnectorBuildRoleModel", "Build the Role Model"),
    page("RefreshSchemaTask", "ConnectorRefreshSchema", "Refresh the connection schema"),
  ];
}
