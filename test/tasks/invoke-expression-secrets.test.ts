/** A script's environment holds none of the runner's database secrets: a script that prints `env` stores it in the task log. */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, loadSettings } from "../../src/config/settings.js";
import { openStore, type Store } from "../../src/store/store.js";
import invokeExpression from "../../src/tasks/invoke-expression.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace } from "../helpers/task-workspace.js";
import { writeFolder } from "../helpers/temp-folder.js";

const SECRETS = {
  IDM_DATABASE_URL: "postgres://idm:s3cret-db@db.example:5432/idm",
  REPORTING_URL: "mssql://sa:an0ther-secret@sql.example:1433/reports",
  PGPASSWORD: "pg-secret-value",
  IDM_DEMO_LDAP_PASSWORD: "ldap-bind-secret",
  SMTP_Secret: "smtp-secret-value",
  GITHUB_TOKEN: "token-secret-value",
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
  it("has no database URL with a password, PGPASSWORD nor variable named as a password, secret or token, and keeps the job's variables and the rest", async () => {
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
    for (const secret of ["s3cret-db", "an0ther-secret", "pg-secret-value", "ldap-bind-secret", "smtp-secret-value", "token-secret-value"]) {
      expect(printed.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});

describe.each(BACKENDS)("Tasks.DatabaseUrlForScripts on %s", (name, backend) => {
  let db: TestDatabase;
  let store: Store;
  /** The URL the script must see: the runner's, password included (PostgreSQL's test server trusts, so any password opens it). */
  let expected: string;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    if (name === "postgres") {
      const url = new URL(db.url);
      url.password = "s3cret-pw";
      expected = url.toString();
      store = await openStore(expected, { schema: db.schema! });
    } else {
      store = await db.open();
      expected = `sqlite:${(store.dataSource.options as { database: string }).database}`;
    }
  });

  afterEach(async () => {
    if (name === "postgres") await store.close();
    await db.drop();
  });

  /** Runs `env.sh` as task `task` of job `job` with the setting; the IDM_DATABASE_URL lines it printed. */
  async function printedUrl(list: string[] | undefined, job: string, task: string): Promise<string[]> {
    const { context, lines } = taskWorkspace({ "env.sh": "env\n" }, {
      store,
      job: { identifier: job, instanceId: 7 },
      settings: (folders) => ({ ...DEFAULT_SETTINGS, paths: folders, tasks: { ...DEFAULT_SETTINGS.tasks, ...(list === undefined ? {} : { databaseUrlForScripts: list }) } }),
    });
    const result = await invokeExpression.run(context, taskSnapshot({ identifier: task, type: "InvokeExpressionTask", attributes: { InputPath: "env.sh" } }));
    expect(result.state).toBe("Succeeded");
    return lines("Information").filter((line) => line.startsWith("IDM_DATABASE_URL=") || line.includes("s3cret"));
  }

  it("gives the runner's full database URL to a listed task's script only", async () => {
    expect(expected).not.toBe(SECRETS.IDM_DATABASE_URL);
    expect(await printedUrl(["Refresh", "J2/Report"], "J1", "Refresh")).toEqual([`IDM_DATABASE_URL=${expected}`]);
    expect(await printedUrl(["Refresh", "J2/Report"], "J2", "Report")).toEqual([`IDM_DATABASE_URL=${expected}`]);
    // Report is listed in J2 only; Other is not listed; without the setting no script gets it.
    expect(await printedUrl(["Refresh", "J2/Report"], "J1", "Report")).toEqual([]);
    expect(await printedUrl(["Refresh", "J2/Report"], "J1", "Other")).toEqual([]);
    expect(await printedUrl(undefined, "J1", "Refresh")).toEqual([]);
  });
});

describe("the setting Tasks.DatabaseUrlForScripts", () => {
  const load = (value: unknown) => loadSettings(join(writeFolder({ "appsettings.json": JSON.stringify({ Tasks: { DatabaseUrlForScripts: value } }) }), "appsettings.json"));

  it("reads task identifiers and Job/Task names", () => {
    expect(load(["Refresh", "Job_1/Report"]).tasks.databaseUrlForScripts).toEqual(["Refresh", "Job_1/Report"]);
  });

  it.each([["Refresh"], [["a/b/c"]], [[""]], [["/Task"]], [[3]]])("refuses %j, naming the setting", (value) => {
    expect(() => load(value)).toThrow('setting Tasks.DatabaseUrlForScripts must be an array of task identifiers or "Job/Task" names');
  });
});
