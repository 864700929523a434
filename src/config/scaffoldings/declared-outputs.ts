/**
 * What the scaffoldings idm-toolkit only stores are documented to generate, where other elements
 * name it: the Administrator profile, a workflow entity type `Workflow_<EntityType>`, the workflows,
 * display tables, reports and menu items named after an entity type. References to them resolve
 * (the product has them once it deploys), though idm-toolkit has no element to check them against.
 * `{E}` is the scaffolding's EntityType.
 */
import type { ConfigElement } from "../configuration.js";

export interface DeclaredOutput {
  kind: string;
  identifier: string;
}

const OUTPUTS: Record<string, [kind: string, identifier: string][]> = {
  CreateAdministratorProfile: [["Profile", "Administrator"]],
  WorkflowEntityType: [["EntityType", "Workflow_{E}"]],
  CreateUpdateDeleteWorkflows: [["Workflow", "{E}_Create"], ["Workflow", "{E}_Update"], ["Workflow", "{E}_Delete"]],
  UpdateResourcesWorkflows: [["Workflow", "{E}_UpdateResources"]],
  EntityTypeDisplayTable: [["DisplayTable", "{E}"]],
  EntityTypeDisplayTableAdaptable: [["DisplayTable", "{E}"]],
  EntityTypeDisplayTargetResourceTable: [["DisplayTable", "{E}"]],
  WorkflowEntityTypeDisplayTable: [["DisplayTable", "Workflow_{E}"]],
  WorkflowEntityTypeDisplayEntityType: [["DisplayEntityType", "Workflow_{E}"]],
  TargetResourceReport: [["ReportQuery", "Resources_{E}"]],
  TargetResourceReportMenus: [["MenuItem", "Reports_Resources_{E}"]],
  CreateUpdateDeleteMenus: [["MenuItem", "Search_{E}"], ["MenuItem", "Search_{E}_Create"], ["MenuItem", "View_{E}"], ["MenuItem", "View_{E}_Update"], ["MenuItem", "View_{E}_Delete"]],
  UpdateResourcesMenus: [["MenuItem", "View_{E}"], ["MenuItem", "View_{E}_UpdateResources"]],
};

export function declaredOutputs(element: ConfigElement): DeclaredOutput[] {
  const outputs = OUTPUTS[element.spec.name];
  if (outputs === undefined) return [];
  const entityType = element.attributes.EntityType;
  return outputs.flatMap(([kind, identifier]) => {
    if (!identifier.includes("{E}")) return [{ kind, identifier }];
    return typeof entityType === "string" ? [{ kind, identifier: identifier.replaceAll("{E}", entityType) }] : [];
  });
}
