/**
 * The access-control scaffoldings (and the templates that only stand for other scaffoldings) whose
 * output the reference states precisely, as a table: the AccessControlRules each generates, with
 * their entries, and the scaffoldings it generates in turn (expand.ts expands those too).
 * `{P}` is the scaffolding's Profile, `{E}` its EntityType; a scaffolding without the attributes
 * its output names generates nothing. Display names are the reference's language-1 ones.
 *
 * Those whose output depends on the whole configuration (one rule per entity type, resource type or
 * workflow: AssignProfile..., RoleAdministration..., Review...), or that the reference documents
 * without their output, are stored only (stored-only.ts).
 */
import type { ConfigElement } from "../configuration.js";
import type { ElementPlan } from "./generated-elements.js";

interface Entry {
  Permission: string;
  CanExecute?: true;
  FullAccessProperties?: true;
}

interface Rule {
  id: string;
  name: string;
  entityType: string;
  entries: Entry[];
}

interface Output {
  /** The attributes its output names: nothing is generated without them. */
  needs: ("Profile" | "EntityType")[];
  rules?: Rule[];
  /** Scaffoldings generated in turn, by name, with the attributes they take from this one. */
  scaffoldings?: [string, ("Profile" | "EntityType")[]][];
}

/** An entry that grants the permission to execute (CanExecute="true"). */
const x = (permission: string, full = false): Entry => ({ Permission: permission, CanExecute: true, ...(full ? { FullAccessProperties: true as const } : {}) });
/** An entry that names the permission without the right to execute it. */
const p = (permission: string, full = false): Entry => ({ Permission: permission, ...(full ? { FullAccessProperties: true as const } : {}) });
const crud = (path: string, verbs = ["Create", "Delete", "Query", "Update"]): Entry[] => verbs.map((v) => x(`${path}/${v}`));
const rule = (id: string, name: string, entityType: string, entries: Entry[]): Rule => ({ id, name, entityType, entries });
/** One rule per entity type, named after it. */
const each = (types: string[], make: (type: string) => Rule): Rule[] => types.map(make);

const P = ["Profile"] as const satisfies Output["needs"];
const EP = ["EntityType", "Profile"] as const satisfies Output["needs"];
const E = ["EntityType"] as const satisfies Output["needs"];
const management = (type: string): string => `{P} - Management for ${type}`;

const OUTPUTS: Record<string, Output> = {
  JobAdministrationAccessControlRules: { needs: [...P], rules: [rule("{P}_Job_Jobs_Job", management("Job"), "Job", [x("/Jobs/Job/Query"), x("/Jobs/Job/Update")])] },
  GetJobLogAdministrationAccessControlRules: { needs: [...P], rules: [rule("{P}_Job_JobLog", management("Task"), "Task", [x("/Jobs/RunJob/GetLog")])] },
  RunJobAdministrationAccessControlRules: { needs: [...P], rules: [
    rule("{P}_JobInstance_RunJobLaunch", management("JobInstance"), "JobInstance", [x("/Jobs/JobInstance/Create")]),
    rule("{P}_Job_RunJobLaunch", management("Task"), "Task", [x("/Jobs/RunJob/Launch")]),
  ] },
  RunJobNotificationAccessControlRules: { needs: [...P], rules: [rule("{P}_Job_RunJobLaunch_Notification_Errored", management("Task"), "Task", [x("/Jobs/RunJob/Launch/Errored")])] },
  RunJobRepairAdministrationAccessControlRules: { needs: [...P], rules: [rule("{P}_Job_RunJobRepair", management("Task"), "Task", [x("/Jobs/RunJob/Repair")])] },
  RunJobRepairNotificationAccessControlRules: { needs: [...P], rules: [rule("{P}_Job_RunJobRepair_Notification_Errored", management("Task"), "Task", [x("/Jobs/RunJob/Repair/Errored")])] },
  TaskAdministrationAccessControlRules: { needs: [...P], rules: each(["Job", "JobInstance", "Task", "TaskEntityType", "TaskInstance", "TaskResourceType"],
    (t) => rule(`{P}_Job_Tasks_${t}`, management(t), t, crud(`/Jobs/${t}`))) },
  JobViewAccessControlRules: {
    needs: [...P],
    rules: [
      rule("{P}_Job_JobViews_Job", management("Job"), "Job", [x("/Jobs/Job/Query")]),
      rule("{P}_Job_JobViews_JobInstance", management("JobInstance"), "JobInstance", [x("/Jobs/JobInstance/Query"), x("/Jobs/JobInstance/Update")]),
      rule("{P}_Job_JobViews_Task", management("Task"), "Task", [x("/Jobs/Job/Query"), x("/Jobs/Task/Query")]),
      ...each(["TaskEntityType", "TaskInstance", "TaskResourceType"], (t) => rule(`{P}_Job_JobViews_${t}`, management(t), t, [x(`/Jobs/${t}/Query`)])),
    ],
    scaffoldings: [["GetJobLogAdministrationAccessControlRules", [...P]], ["JobAdministrationAccessControlRules", [...P]],
      ["PendingAssignedResourceTypesAccessControlRules", [...P]], ["ResourceChangesViewAccessControlRules", [...P]]],
  },
  JobExecutionAccessControlRules: { needs: [...P], scaffoldings: [["JobViewAccessControlRules", [...P]], ["RunJobAdministrationAccessControlRules", [...P]],
    ["RunJobNotificationAccessControlRules", [...P]], ["RunJobRepairAdministrationAccessControlRules", [...P]], ["RunJobRepairNotificationAccessControlRules", [...P]]] },
  SynchronizationAccessControlRules: { needs: [...P], rules: [
    rule("{P}_Connector_ConnectorMapping_Query", "{P} - SynchronizeSessionConnector", "Connector", [x("/Connectors/Connector/Query")]),
    rule("{P}_Connector_Connectors_SynchronizeSession", "{P} - SynchronizeSessionConnector", "Connector", [p("/Connectors/SynchronizeSession")]),
    rule("{P}_Resource_Connectors_SynchronizeSession", "{P} - SynchronizeSessionResource", "Resource", [x("/Connectors/SynchronizeSession")]),
  ] },
  ProvisioningAccessControlRules: { needs: [...P], rules: each(["Connector", "EntityTypeMapping", "EntityType", "ResourceType", "Resource"],
    (t) => rule(`{P}_${t}_Connectors_ProvisioningSession`, "{P} - Provisioning Launch", t, [x("/Connectors/ProvisioningSession")])) },
  ResourceTypeMappingControlRules: { needs: [...P], rules: [rule("{P}_ResourceTypeMapping", "{P}_ResourceTypeMapping", "ResourceTypeMapping", [x("/Connectors/ProvisionerResourceTypeMapping/Query")])] },
  WorkflowFulfillmentControlRules: { needs: [...P], rules: each(["ActivityTemplateTransition", "Workflow"],
    (t) => rule(`{P}_[${t}, /Workflows/${t}/Query]`, `{P}_${t}`, t, [x(`/Workflows/${t}/Query`)])) },
  MonitoringAdministrationAccessControlRules: { needs: [...P], rules: [rule("{P}_Monitoring", "{P}_Monitoring", "Setting", [x("/Monitoring")])] },
  ProfileAdministrationAccessControlRules: { needs: [...P], rules: [rule("{P}_Profile_AccessControl_Profile", "{P} - Profile Configuration", "Profile",
    crud("/AccessControl/Profile", ["Create", "Delete", "Update"]))] },
  ReportAccessControlRules: { needs: [...P], rules: [rule("{P}_ReportQuery", "{P} - Report_ReportQuery", "ReportQuery", [x("/Report/GenerateReportFileFromReportQuery/Query")])] },
  UniverseAccessControlRules: { needs: [...P], rules: [rule("{P}_DataQuery_Universe", "{P}_DataQuery_Universe", "Universe", [x("/Universes/UniverseData/Query")])] },
  CreateResourceIncrementalAccessControlRules: { needs: [...P], rules: [rule("{P}_Resource_Incremental", "{P} Resource Incremental Query", "Resource", [x("/Resources/Incremental/Query")])] },
  ResourcePickerControlRules: { needs: [...P], rules: [rule("{P}{P}_Resource_Custom_Workflows", "{P} - Resources Picker - ", "Resource", [p("/Custom/Workflows")])] },
  RedundantAssignmentAccessControlRule: { needs: [...P], rules: [rule("{P}_RedundantAssignment", "{P}_RedundantAssignment", "Policy", [x("/ProvisioningPolicy/RedundantAssignment")])] },
  RisksAdministrationAccessControlRules: { needs: [...P], rules: [
    ...each(["Category", "EntityProperty", "EntityType"], (t) => rule(`{P}_ProvisioningPolicy_Risk_${t}`, `{P}_ProvisioningPolicy_Risk_${t}`, t, [x("/ProvisioningPolicy/Risk")])),
    rule("{P}_ProvisioningPolicy_Risk_IdentifiedRisk", "{P}_ProvisioningPolicy_Risk_IdentifiedRisk", "IdentifiedRisk", [x("/ProvisioningPolicy/IdentifiedRisk/Query")]),
    rule("{P}_ProvisioningPolicy_Risk_Policy", "{P}_ProvisioningPolicy_Risk_Policy", "Policy", [x("/ProvisioningPolicy/Risk")]),
    rule("{P}_ProvisioningPolicy_Risk_Resource", "{P}_ProvisioningPolicy_Risk_Resource", "Resource", [x("/ProvisioningPolicy/Risk/Create")]),
    rule("{P}_ProvisioningPolicy_Risk_ResourceType", "{P}_ProvisioningPolicy_Risk_ResourceType", "ResourceType", [x("/ProvisioningPolicy/Risk")]),
    rule("{P}_ProvisioningPolicy_Risk_Risk", "{P}_ProvisioningPolicy_Risk_Risk", "Risk", [x("/ProvisioningPolicy/IdentifiedRisk/Query"), ...crud("/ProvisioningPolicy/Risk")]),
    ...each(["RiskRule", "RiskRuleItem"], (t) => rule(`{P}_ProvisioningPolicy_Risk_${t}`, `{P}_ProvisioningPolicy_Risk_${t}`, t, [x("/ProvisioningPolicy/Risk")])),
  ] },
  RoleNamingAccessControlRules: { needs: [...P], rules: [
    rule("{P}_RoleMapping_Category", "{P}_Category", "Category", crud("/ProvisioningPolicy/RoleMapping", ["Create", "Query", "Update"])),
    rule("{P}_RoleMapping_CreateUpdateDelete", "{P}_RoleMapping", "RoleMapping", crud("/ProvisioningPolicy/RoleMapping")),
    ...each(["EntityProperty", "Policy", "ResourceType"], (t) => rule(`{P}_RoleMapping_${t}`, `{P}_${t}`, t, crud("/ProvisioningPolicy/RoleMapping", ["Create", "Query", "Update"]))),
  ] },
  PolicySimulationControlRules: { needs: [...P], rules: each(["Category", "CompositeRole", "CompositeRoleRule", "Policy", "PolicySimulation",
    "ResourceClassificationRule", "ResourceNavigationRule", "ResourceScalarRule", "ResourceTypeRule", "SingleRole", "SingleRoleRule"],
  (t) => rule(`PolicySimulation_{P}_${t}`, `{P}_${t}`, t, crud("/ProvisioningPolicy/PolicySimulation", ["Create", "Delete", "Query", "Start", "Update"]))) },
  RoleAndSimulationControlRules: { needs: [...P], rules: each(["CompositeRoleRule", "CompositeRole", "ContextRule", "Policy", "ResourceBinaryRule",
    "ResourceClassificationRule", "ResourceCorrelationRule", "ResourceNavigationRule", "ResourceQueryRule", "ResourceScalarRule", "ResourceTypeRule",
    "ResourceType", "SingleRoleRule", "SingleRole"],
  (t) => rule(`{P}_${t}_CreateUpdateDeleteSimulation`, `{P}_${t}`, t,
    crud(`/ProvisioningPolicy/${t}`, ["CreateSimulation", "DeleteSimulation", "RevertSimulation", "Simulation", "UpdateSimulation"]))) },
  SimulationAccessControlRules: { needs: [...P], scaffoldings: [["PolicySimulationControlRules", [...P]], ["RoleAndSimulationControlRules", [...P]]] },
  WorkflowAspect: { needs: [...P], rules: [rule("{P}_ActivityInstanceAspectsQuery", "{P}_ActivityInstance", "ActivityInstance", [x("/Workflows/ActivityInstanceAspectsQuery/Query")])] },
  WorkflowConfigurationControlRules: { needs: [...P], rules: [rule("{P}_Workflow_CreateUpdateDelete", "{P}_Workflow", "Workflow", crud("/Workflows/Workflow", ["Create", "Delete", "Update"]))] },
  SettingsAccessControlRules: { needs: [...P], rules: each(["ConnectionPackage", "Connection", "Connector", "Setting"],
    (t) => rule(`{P}_Settings_${t}_Manage`, `{P}_${t}`, t, [x("/Settings/Manage")])) },
  ConnectorResourceTypeAccessControl: { needs: [...P], rules: each(["Category", "Connection", "EntityProperty", "PasswordResetSetting", "Policy",
    "ResourcePropertyMapping", "ResourceType", "ResourceTypeMapping"],
  (t) => rule(`ConnectorResourceType_{P}_${t}`, `{P}_${t}`, t,
    [...(t === "ResourceTypeMapping" ? [x("/Connectors/ResourceTypeMapping/Query")] : []), ...crud("/UserInterface/ConnectorResourceType", ["Create", "Update"])])) },
  ResourceApiAdministration: { needs: [...EP], rules: [rule("{P}ResourceApi_Administration_{E}", "{P}ResourceApi_Administration_{E}", "{E}", crud("/Custom/Resources/{E}"))] },
  ViewHistoryResourceTemplate: { needs: [...EP], rules: [rule("{P}_{E}_View_History_{E}", "{P}_{E}_View_History_{E}", "{E}", [x("/Custom/Resources/{E}/ViewHistory")])] },
  TargetResourceReportAccessControlRules: { needs: [...EP], rules: [rule("{P}_ReportQuery_Custom_Reports_Resources_Resources_{E}",
    "{P}_ReportQuery_Custom_Reports_Resources_Resources_{E}", "{E}", [x("/Custom/Reports/Resources_{E}/View")])] },
  BulkPerformManualProvisioningAccessControlRules: { needs: [...EP],
    rules: [rule("BulkPerformManualProvisioning_AssignedResourceType_{P}_{E}", "Mass review manual provisioning items for {E}", "AssignedResourceType",
      [x("/Custom/ProvisioningPolicy/BulkPerformManualProvisioning/{E}")])],
    scaffoldings: [["PerformManualProvisioningAccessControlRules", [...EP]]] },
  ViewAccessControlRules: { needs: [...EP], rules: [
    ...each(["AssignedCompositeRole", "AssignedResourceNavigation", "AssignedResourceScalar", "AssignedResourceType", "AssignedSingleRole"],
      (t) => rule(`{P}_${t}_Custom_Resources_{E}_ViewTargetResources`, `{P}_${t}_Custom_Resources_{E}_ViewTargetResources`, t, [p("/Custom/Resources/{E}/ViewTargetResources")])),
    rule("{P}_Category_Custom_Resources_{E}", "{P}_Category_Custom_Resources_{E}", "Category", [p("/Custom/Resources/{E}/View")]),
    rule("{P}_Category_Custom_Resources_{E}_ViewTargetResources", "{P}_Category_Custom_Resources_{E}_ViewTargetResources", "Category", [p("/Custom/Resources/{E}/ViewTargetResources")]),
    rule("{P}_{E}_Custom_Resources_{E}", "{P}_{E}_Custom_Resources_{E}", "{E}", [x("/Custom/ResourceFiles/{E}"), x("/Custom/Resources/{E}/ViewTargetResources"),
      x("/Custom/Resources/{E}/View", true), p("/Custom/Resources"), p("/Custom/Workflows"), p("/Universes/UniverseData/Query")]),
    rule("{P}_Policy_Custom_Resources_{E}", "{P}_Policy_Custom_Resources_{E}", "Policy", [p("/Custom/Resources/{E}/View")]),
    rule("{P}_ResourceType_Custom_Resources_{E}", "{P}_ResourceType_Custom_Resources_{E}", "ResourceType", [p("/Custom/Resources/{E}/View", true)]),
  ] },
  CreateUpdateDeleteAccessControlRules: { needs: [...EP],
    rules: [rule("{P}_{E}_Custom_Workflows_{E}", "{P}_{E}_Custom_Workflows_{E}", "Workflow_{E}",
      ["Create", "Delete", "Update"].map((v) => x(`/Custom/Workflows/{E}_${v}/Request/ActionPending`)))],
    scaffoldings: [["ViewAccessControlRules", [...EP]]] },
  UpdateResourcesAccessControlRules: { needs: [...EP], rules: [rule("{P}_{E}_Custom_Workflows_{E}", "{P}_{E}_Custom_Workflows_{E}", "Workflow_{E}",
    [x("/Custom/Workflows/{E}_UpdateResources/Request/ActionPending")])] },
  EntityReportDefault: { needs: [...EP], scaffoldings: [["ReportAccessControlRules", [...P]], ["TargetResourceReport", [...E]],
    ["TargetResourceReportAccessControlRules", [...EP]], ["TargetResourceReportMenus", [...E]]] },
  ViewTemplate: { needs: [...EP], scaffoldings: [["EntityTypeDisplayName", [...E]], ["EntityTypeDisplayTable", [...E]], ["ViewAccessControlRules", [...EP]]] },
  ViewTemplateAdaptable: { needs: [...EP], scaffoldings: [["EntityTypeDisplayName", [...E]], ["EntityTypeDisplayTableAdaptable", [...E]], ["ViewAccessControlRules", [...EP]]] },
  ViewTargetResourceTemplate: { needs: [...EP], scaffoldings: [["EntityTypeDisplayName", [...E]], ["EntityTypeDisplayTargetResourceTable", [...E]],
    ["TargetResourceReportAccessControlRules", [...EP]], ["TargetResourceReportMenus", [...E]], ["TargetResourceReport", [...E]], ["ViewAccessControlRules", [...EP]]] },
  CreateUpdateDeleteTemplate: { needs: [...EP], scaffoldings: [["CreateUpdateDeleteAccessControlRules", [...EP]], ["CreateUpdateDeleteMenus", [...E]],
    ["CreateUpdateDeleteWorkflows", [...E]], ["EntityTypeDisplayName", [...E]], ["EntityTypeDisplayTable", [...E]], ["EntityTypeSearchBar", [...E]],
    ["ViewAccessControlRules", [...EP]], ["WorkflowEntityType", [...E]]] },
  UpdateResourcesTemplate: { needs: [...EP], scaffoldings: [["EntityTypeDisplayName", [...E]], ["EntityTypeDisplayTable", [...E]],
    ["UpdateResourcesAccessControlRules", [...EP]], ["UpdateResourcesMenus", [...E]], ["UpdateResourcesWorkflows", [...E]], ["ViewAccessControlRules", [...EP]],
    ["WorkflowEntityType", [...E]]] },
};

/** The scaffoldings this table expands. */
export const ACCESS_CONTROL_SCAFFOLDINGS: readonly string[] = Object.keys(OUTPUTS);

/**
 * `known(kind, identifier)`: whether the configuration has it. A Profile or EntityType it does not
 * have is the reference check's error at the scaffolding; nothing is generated from it (its rules
 * would say it again, once each).
 */
export function planAccessControl(scaffolding: ConfigElement, known: (kind: string, identifier: string) => boolean): ElementPlan[] {
  const output = OUTPUTS[scaffolding.spec.name];
  if (output === undefined) return [];
  const values: Record<string, string> = {};
  for (const name of output.needs) {
    const value = scaffolding.attributes[name];
    // Optional on the templates: without it, there is nothing the reference says they generate.
    if (typeof value !== "string" || !known(name, value)) return [];
    values[name] = value;
  }
  const fill = (text: string): string => text.replaceAll("{P}", values.Profile ?? "").replaceAll("{E}", values.EntityType ?? "");
  return [
    ...(output.rules ?? []).map((r): ElementPlan => ({
      name: "AccessControlRule",
      attributes: { Identifier: fill(r.id), DisplayName_L1: fill(r.name), EntityType: fill(r.entityType), Profile: values.Profile! },
      children: r.entries.map((e) => ({ name: "Entry", attributes: { ...e, Permission: fill(e.Permission) } })),
    })),
    ...(output.scaffoldings ?? []).map(([name, takes]): ElementPlan => ({ name, attributes: Object.fromEntries(takes.map((a) => [a, values[a]!])) })),
  ];
}
