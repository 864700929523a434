/**
 * The task contract: the table lists every task type with the side its schema gives, README's task
 * table is the one they generate, and a handler's attributes are its type's (the @ts-expect-error
 * lines are checked by `tsc --noEmit`, which includes test/: each must be an error).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TASK_TYPES } from "../../src/config/generated/schema-types.js";
import { loadCatalog } from "../../src/config/schema/catalog.js";
import { handlerFor, isHandler, registerTask, TASKS } from "../../src/tasks/registry.js";
import { taskTable, TASK_TABLE_BEGIN, TASK_TABLE_END, withTaskTable } from "../../src/tasks/readme-task-table.js";
import { defineTask, type TaskOf } from "../../src/tasks/task-handler.js";

const README = fileURLToPath(new URL("../../README.md", import.meta.url));
const catalog = loadCatalog();

describe("the task table", () => {
  it("lists every task type, with the side of its schema (x-side)", () => {
    expect(Object.keys(TASKS).sort()).toEqual([...TASK_TYPES].sort());
    for (const type of TASK_TYPES) expect([type, TASKS[type].side]).toEqual([type, catalog.get(type)?.side]);
  });

  it("holds each built handler under its own type", () => {
    const built = TASK_TYPES.filter((type) => isHandler(TASKS[type]));
    expect(built).toHaveLength(20);
    for (const type of built) expect(handlerFor(type)?.type).toBe(type);
    expect(handlerFor("GetRoleMiningTask")).toBeUndefined();
    expect(handlerFor("NoSuchTask")).toBeUndefined();
  });

  it("lets a test register a handler in place of the table's, and takes it back", () => {
    const built = handlerFor("MaintainIndexesTask");
    const restore = registerTask({ type: "MaintainIndexesTask", side: "server", run: async () => ({ state: "Succeeded", didWork: false }) });
    expect(handlerFor("MaintainIndexesTask")).not.toBe(built);
    restore();
    expect(handlerFor("MaintainIndexesTask")).toBe(built);
    const unregister = registerTask({ type: "GetRoleMiningTask", side: "server", run: async () => ({ state: "Succeeded", didWork: false }) });
    expect(handlerFor("GetRoleMiningTask")?.type).toBe("GetRoleMiningTask");
    unregister();
    expect(handlerFor("GetRoleMiningTask")).toBeUndefined();
  });

  it("cannot leave a task type out", () => {
    const { ExportTask: _, ...rest } = TASKS;
    // @ts-expect-error a table without ExportTask is not a task table
    const incomplete: typeof TASKS = rest;
    expect(Object.keys(incomplete)).toHaveLength(TASK_TYPES.length - 1);
  });
});

describe("README's task table", () => {
  it("is the one the task table and the schemas generate", () => {
    const readme = readFileSync(README, "utf8");
    expect(readme === withTaskTable(readme), "stale: run `npm run gen` and commit README.md").toBe(true);
  });

  it("says which types run, on which side, and what they do", () => {
    const table = taskTable("\n### ExportTask\n", () => "does | things");
    expect(table.split("\n")[0]).toBe("20 of the 34 task types run.");
    expect(table).toContain("| [`ExportTask`](#exporttask) | agent | yes | does \\| things |");
    expect(table).toContain("| `GetRoleMiningTask` | server | no: `task-not-implemented` | does \\| things |");
    expect(table).toContain("| `MaintainIndexesTask` | server | yes |");
    expect(() => withTaskTable(`${TASK_TABLE_END}\n${TASK_TABLE_BEGIN}`)).toThrow("README has no task table");
  });
});

describe("a handler's attributes", () => {
  it("are those of its type as deploy stores them: an override names no other attribute, of no other type", () => {
    const differ: string[] = [];
    for (const type of TASK_TYPES) {
      const task = catalog.get(type)!;
      for (const [name, spec] of catalog.get(`${type}Override`)!.attributes) {
        const own = task.attributes.get(name);
        if (own?.type !== spec.type || JSON.stringify(own.enumNames) !== JSON.stringify(spec.enumNames)) differ.push(`${type}Override ${name}`);
      }
    }
    expect(differ).toEqual([]);
  });

  it("are typed: a misspelt attribute does not compile, a defaulted one is present, an optional one may be absent", async () => {
    const handler = defineTask<"ExportTask">({
      type: "ExportTask",
      side: "agent",
      async run(_context, task) {
        const ignoreCookies: boolean = task.attributes.IgnoreCookieFile;
        // @ts-expect-error misspelt: ExportTask has IgnoreCookieFile
        const misspelt: unknown = task.attributes.IgnoreCookiesFile;
        // @ts-expect-error Connection is optional: it may be absent
        const connection: string = task.attributes.Connection;
        // @ts-expect-error the level is a number
        const level: string = task.attributes.Level;
        return { state: "Succeeded", didWork: ignoreCookies && misspelt === undefined && connection !== level };
      },
    });
    const task: TaskOf<"ExportTask"> = {
      identifier: "E", type: "ExportTask", dependsOn: [], entityTypes: [], resourceTypes: [], source: undefined,
      attributes: { DisplayName_L1: "E", ContinueOnError: false, IgnoreCookieFile: true, InitMode: false, Level: -1, LogLevel: "None" },
    };
    expect(await handler.run({} as never, task)).toEqual({ state: "Succeeded", didWork: true });
    // @ts-expect-error a handler runs the type it names
    defineTask<"ExportTask">({ type: "SynchronizeTask", side: "server", run: async () => ({ state: "Succeeded", didWork: false }) });
  });
});
