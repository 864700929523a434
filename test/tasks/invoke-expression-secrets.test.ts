/** A script's environment holds none of the runner's database secrets: a script that prints `env` stores it in the task log. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import invokeExpression from "../../src/tasks/invoke-expression.js";
import { removeTaskWorkspaces, taskWorkspace } from "../helpers/task-workspace.js";

const SECRETS = {
  IDM_DATABASE_URL: "postgres://idm:s3cret-db@db.example:5432/idm",
  REPORTING_URL: "mssql://sa:an0ther-secret@sql.example:1433/reports",
  PGPASSWORD: "pg-secret-value",
};
const saved: Record<string, string | undefined> = {};

beforeEach(() => {
  for (const [name, value] of Object.entries(SECRETS)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
});

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  removeTaskWorkspaces();
});

describe("InvokeExpressionTask's environment", () => {
  it("has no database URL with a password nor PGPASSWORD, and keeps the job's variables and the rest", async () => {
    process.env.IDM_HARMLESS = "kept";
    const { context, lines } = taskWorkspace({ "env.sh": "env\n" });
    const result = await invokeExpression.run(context, {
      identifier: "T", type: "InvokeExpressionTask", attributes: { InputPath: "env.sh" },
      dependsOn: [], entityTypes: [], resourceTypes: [], source: undefined,
    });
    delete process.env.IDM_HARMLESS;
    expect(result.state).toBe("Succeeded");
    const printed = lines("Information");
    expect(printed).toContain("IDM_JOB=J");
    expect(printed).toContain("IDM_HARMLESS=kept");
    expect(printed.some((line) => line.startsWith("PATH="))).toBe(true);
    for (const secret of ["s3cret-db", "an0ther-secret", "pg-secret-value"]) {
      expect(printed.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});
