/**
 * Task handlers by task type. Built-in handlers are listed here; a type without one is still
 * validated and deployed, and running it fails the task with task-not-implemented. Tests and
 * benchmarks register their own handlers with registerTask and take them back with the function it returns.
 */
import createDatabaseViews from "./create-database-views.js";
import deployConfiguration from "./deploy-configuration.js";
import exportTask from "./export.js";
import invokeExpression from "./invoke-expression.js";
import invokeSqlCommand from "./invoke-sql-command.js";
import maintainIndexes from "./maintain-indexes.js";
import manageConfigurationIndexes from "./manage-configuration-indexes.js";
import prepareSynchronization from "./prepare-synchronization.js";
import resetValidFrom from "./reset-valid-from.js";
import setRecentlyModifiedFlag from "./set-recently-modified-flag.js";
import synchronize from "./synchronize.js";
import updateEntityPropertyExpressions from "./update-entity-property-expressions.js";
import type { TaskHandler } from "./task-handler.js";

const BUILT_IN: TaskHandler[] = [
  createDatabaseViews, deployConfiguration, exportTask, invokeExpression, invokeSqlCommand, maintainIndexes, manageConfigurationIndexes,
  prepareSynchronization, resetValidFrom, setRecentlyModifiedFlag, synchronize, updateEntityPropertyExpressions,
];

const handlers = new Map<string, TaskHandler>(BUILT_IN.map((h) => [h.type, h]));

export function handlerFor(type: string): TaskHandler | undefined {
  return handlers.get(type);
}

/** Registers a handler in place of any other for its type; the returned function restores the previous one. */
export function registerTask(handler: TaskHandler): () => void {
  const previous = handlers.get(handler.type);
  handlers.set(handler.type, handler);
  return () => {
    if (previous) handlers.set(handler.type, previous);
    else handlers.delete(handler.type);
  };
}

export function implementedTaskTypes(): string[] {
  return [...handlers.keys()].sort();
}
