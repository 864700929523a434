/**
 * Every task type, with its handler or as not implemented yet: the table is closed over TASK_TYPES,
 * so a task type added to the schemas does not compile until it is listed here. A type without a
 * handler is still validated and deployed, and running it fails the task with task-not-implemented.
 * README's task table is generated from this table (readme-task-table.ts). Tests and benchmarks
 * register their own handlers with registerTask and take them back with the function it returns.
 */
import type { TaskType } from "../config/generated/schema-types.js";
import buildRoleModel from "./build-role-model.js";
import computeCorrelationKeys from "./compute-correlation-keys.js";
import computeRiskScores from "./compute-risk-scores.js";
import computeRoleModel from "./compute-role-model.js";
import createDatabaseViews from "./create-database-views.js";
import deployConfiguration from "./deploy-configuration.js";
import exportTask from "./export.js";
import fulfill from "./fulfill.js";
import generateProvisioningOrders from "./generate-provisioning-orders.js";
import invokeExpression from "./invoke-expression.js";
import invokeSqlCommand from "./invoke-sql-command.js";
import maintainIndexes from "./maintain-indexes.js";
import manageConfigurationIndexes from "./manage-configuration-indexes.js";
import prepareSynchronization from "./prepare-synchronization.js";
import resetValidFrom from "./reset-valid-from.js";
import savePreExistingAccessRights from "./save-pre-existing-access-rights.js";
import setRecentlyModifiedFlag from "./set-recently-modified-flag.js";
import synchronize from "./synchronize.js";
import { defineTask, type TaskDefinition, type TaskHandler, type TaskSide } from "./task-handler.js";
import updateClassification from "./update-classification.js";
import updateEntityPropertyExpressions from "./update-entity-property-expressions.js";

/** A task type idm-toolkit validates and deploys but cannot run yet. */
export interface NotImplemented {
  notImplemented: true;
  side: TaskSide;
}

const notImplemented = (side: TaskSide): NotImplemented => ({ notImplemented: true, side });

export const TASKS: { readonly [T in TaskType]: TaskHandler<T> | NotImplemented } = {
  ActivityInstanceActorTask: notImplemented("agent"),
  BuildRoleModelTask: buildRoleModel,
  CleanDataBase: notImplemented("server"),
  ComputeCorrelationKeysTask: computeCorrelationKeys,
  ComputeRiskScoresTask: computeRiskScores,
  ComputeRoleModelTask: computeRoleModel,
  CreateDatabaseViewsTask: createDatabaseViews,
  DeployConfigurationTask: deployConfiguration,
  ExportTask: exportTask,
  FulfillTask: fulfill,
  GenerateProvisioningOrdersTask: generateProvisioningOrders,
  GetRoleMiningTask: notImplemented("server"),
  InvokeApiTask: notImplemented("agent"),
  InvokeAspectsTask: notImplemented("agent"),
  InvokeExpressionTask: invokeExpression,
  InvokeSqlCommandTask: invokeSqlCommand,
  MaintainIndexesTask: maintainIndexes,
  ManageConfigurationIndexesTask: manageConfigurationIndexes,
  PrepareSynchronizationTask: prepareSynchronization,
  ProcessAccessCertificationItemsTask: notImplemented("server"),
  RefreshSchemaTask: notImplemented("agent"),
  ResetValidFromTask: resetValidFrom,
  SavePreExistingAccessRightsTask: savePreExistingAccessRights,
  SendAccessCertificationNotificationTask: notImplemented("server"),
  SendNotificationsTask: notImplemented("server"),
  SendRoleModelNotificationsTask: notImplemented("server"),
  SetAccessCertificationReviewerTask: notImplemented("server"),
  SetInternalUserProfilesTask: notImplemented("server"),
  SetRecentlyModifiedFlagTask: setRecentlyModifiedFlag,
  SynchronizeTask: synchronize,
  UpdateAccessCertificationCampaignTask: notImplemented("server"),
  UpdateClassificationTask: updateClassification,
  UpdateEntityPropertyExpressionsTask: updateEntityPropertyExpressions,
  UpdateParametersContextDisplayNamesTask: notImplemented("server"),
};

export function isHandler(entry: TaskHandler | NotImplemented): entry is TaskHandler {
  return !("notImplemented" in entry);
}

/** Handlers registered by tests and benchmarks, in place of the table's. */
const registered = new Map<string, TaskHandler>();

function isTaskType(type: string): type is TaskType {
  return Object.hasOwn(TASKS, type);
}

/** The handler that runs a task of this type; undefined when the type has none (task-not-implemented). */
export function handlerFor(type: string): TaskHandler | undefined {
  const own = registered.get(type);
  if (own !== undefined) return own;
  if (!isTaskType(type)) return undefined;
  const entry: TaskHandler | NotImplemented = TASKS[type];
  return isHandler(entry) ? entry : undefined;
}

/**
 * Registers a handler in place of any other for its type (a built one, or one written in place with
 * a typed run, as defineTask takes it); the returned function restores the previous one.
 */
export function registerTask<T extends TaskType>(handler: TaskDefinition<T>): () => void {
  const previous = registered.get(handler.type);
  registered.set(handler.type, defineTask(handler));
  return () => {
    if (previous) registered.set(handler.type, previous);
    else registered.delete(handler.type);
  };
}

export function implementedTaskTypes(): string[] {
  const built = (Object.keys(TASKS) as TaskType[]).filter((type) => isHandler(TASKS[type]));
  return [...new Set([...built, ...registered.keys()])].sort();
}
