/**
 * README's table of task types, generated between two marker comments from the task table
 * (registry.ts: which types run, and on which side) and the JSON Schemas (what each type does), so
 * that the list is written once. `npm run gen` rewrites it; a test fails when README is stale.
 */
import { TASK_TYPES } from "../config/generated/schema-types.js";
import { loadCatalog } from "../config/schema/catalog.js";
import { isHandler, TASKS } from "./registry.js";
import type { TaskSide } from "./task-handler.js";

export const TASK_TABLE_BEGIN = "<!-- task types: generated from src/tasks/registry.ts and schema/tasks/ by `npm run gen`; do not edit -->";
export const TASK_TABLE_END = "<!-- end of task types -->";

const SIDE: Record<TaskSide, string> = { agent: "agent", server: "server", both: "agent or server" };

/** The generated lines: a count, then one row per task type. `readme` says which types have a section of their own to link to. */
export function taskTable(readme: string, describe: (type: string) => string = schemaDescriptions()): string {
  const built = TASK_TYPES.filter((type) => isHandler(TASKS[type]));
  const rows = TASK_TYPES.map((type) => {
    const entry = TASKS[type];
    const name = readme.includes(`\n### ${type}\n`) ? `[\`${type}\`](#${type.toLowerCase()})` : `\`${type}\``;
    const runs = isHandler(entry) ? "yes" : "no: `task-not-implemented`";
    return `| ${name} | ${SIDE[entry.side]} | ${runs} | ${cell(describe(type))} |`;
  });
  return [
    `${built.length} of the ${TASK_TYPES.length} task types run.`,
    "",
    "| Task type | Side | Runs | What it does (the reference's description) |",
    "|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** README with its task table regenerated; throws when the markers are missing. */
export function withTaskTable(readme: string, describe?: (type: string) => string): string {
  const begin = readme.indexOf(TASK_TABLE_BEGIN);
  const end = readme.indexOf(TASK_TABLE_END);
  if (begin === -1 || end < begin) throw new Error(`README has no task table between ${TASK_TABLE_BEGIN} and ${TASK_TABLE_END}`);
  const head = readme.slice(0, begin + TASK_TABLE_BEGIN.length);
  return `${head}\n${taskTable(readme, describe)}\n${readme.slice(end)}`;
}

/** Each task type's description, from its JSON Schema. */
export function schemaDescriptions(): (type: string) => string {
  const catalog = loadCatalog();
  return (type) => catalog.get(type)?.description ?? "";
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}
