/**
 * The README's "First hour", run as a newcomer runs it: npm start's commands (read from package.json,
 * the built CLI in a working folder holding a copy of the demo), a demo job with no --settings, then
 * `idm init` and the new configuration validated, deployed and run.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO, idm } from "../helpers/idm-process.js";
import { dropProcessDatabases, PROCESS_DATABASES } from "../helpers/process-databases.js";

afterAll(dropProcessDatabases);

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A working folder as the project root looks to the demo: conf-samples/demo, and node_modules for its scripts. */
function demoRoot(): string {
  const cwd = mkdtempSync(join(tmpdir(), "idm-first-hour-"));
  cpSync(DEMO, join(cwd, "conf-samples", "demo"), { recursive: true });
  // build-directory.mjs imports better-sqlite3 as the project's own scripts do.
  symlinkSync(join(ROOT, "node_modules"), join(cwd, "node_modules"), "dir");
  return cwd;
}

/** npm start's commands, each `node dist/cli/main.js <args>`: the arguments of each. */
function npmStartCommands(): string[][] {
  const start = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
  return start.split(" && ").map((command) => {
    const words = command.trim().split(/\s+/);
    expect(words.slice(0, 2)).toEqual(["node", "dist/cli/main.js"]);
    return words.slice(2);
  });
}

describe("the first hour", () => {
  it("npm start, a demo job without --settings, idm init, then validate, deploy and run of the new configuration", () => {
    const cwd = demoRoot();
    try {
      const commands = npmStartCommands();
      expect(commands.flat()).not.toContain("--settings");
      for (const args of commands) {
        const result = idm(cwd, ...args);
        expect(result.status, `${args.join(" ")}: ${result.stderr}`).toBe(0);
      }
      // The job the issue names: its connections' settings come from the deployed folder's appsettings.json.
      const job = idm(cwd, "run", "HR_Synchronize_Complete");
      expect(job.stderr).toBe("");
      // npm start ran its jobs first, one instance each.
      const instance = commands.filter((args) => args[0] === "run").length + 1;
      expect(job.stdout).toContain(`Job HR_Synchronize_Complete instance ${instance} ended Succeeded (4 succeeded)`);
      // Quiet: the views are one line each, the DDL is not on the terminal.
      const views = idm(cwd, "run", "Demo_Initialization", "-t", "CreateDatabaseViews");
      expect(views.stdout).toContain("CreateDatabaseViews │ created view zz_HR_Person (16 columns)");
      expect(views.stdout).not.toContain("CREATE VIEW");
      expect(idm(cwd, "--verbose", "run", "Demo_Initialization", "-t", "CreateDatabaseViews").stdout).toContain('CREATE VIEW "zz_HR_Person"');

      const init = idm(cwd, "init", "my-idm");
      expect(init.status, init.stderr).toBe(0);
      expect(init.stdout).toContain("valid: 3 files, 2 jobs, 4 tasks");
      expect(init.stdout).toContain("cd my-idm\n  npx idm deploy");
      const mine = join(cwd, "my-idm");
      expect(JSON.parse(readFileSync(join(mine, ".vscode", "settings.json"), "utf8"))).toEqual({
        "xml.fileAssociations": [{ pattern: "**/*.xml", systemId: "${workspaceFolder}/.vscode/identitymanager-configuration.xsd" }],
      });
      expect(readFileSync(join(mine, ".vscode", "identitymanager-configuration.xsd"), "utf8"))
        .toBe(readFileSync(join(ROOT, "schema", "identitymanager-configuration.xsd"), "utf8"));

      const again = idm(cwd, "init", "my-idm");
      expect(again.status).toBe(73);
      expect(again.stderr).toContain("idm: my-idm is not empty (.vscode, Agents.xml, Jobs.xml, …)");

      expect(idm(mine, "validate").stdout).toContain("valid: 3 files");
      expect(idm(mine, "deploy").status).toBe(0);
      const sync = idm(mine, "run", "People_Synchronize");
      expect(sync.stdout).toContain("People: 3 inserted, 0 updated, 0 deleted");
      expect(sync.stdout).toContain("Job People_Synchronize instance 1 ended Succeeded (3 succeeded)");
      const hello = idm(mine, "run", "Hello");
      expect(hello.stdout).toContain("Hello_Script │ Hello from idm-toolkit: job Hello, task Hello_Script.");
      expect(hello.status).toBe(0);
      // The new configuration has its own database, in its own folder.
      expect(existsSync(join(mine, ".idm", "idm.db"))).toBe(true);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 300_000);

  it("a missing setting names the places looked at and --settings", () => {
    const cwd = mkdtempSync(join(tmpdir(), "idm-first-hour-"));
    try {
      expect(idm(cwd, "init", "conf").status).toBe(0);
      const conf = join(cwd, "conf");
      rmSync(join(conf, "appsettings.json"));
      expect(idm(cwd, "deploy", "conf").status).toBe(0);
      const run = idm(cwd, "run", "People_Synchronize");
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`settings Connections.PeopleFile is missing: add { "Folder": "<folder of the CSV files>" } for Connection PeopleFile ` +
        `(Usercube.CSV@0000001); no settings file was found (looked for ${join(cwd, "appsettings.json")}, ${join(conf, "appsettings.json")}); ` +
        "give one with --settings <file>");
      writeFileSync(join(cwd, "appsettings.json"), JSON.stringify({ Connections: {} }));
      expect(idm(cwd, "run", "People_Synchronize").stdout)
        .toContain(`settings read from ${join(cwd, "appsettings.json")}; give another file with --settings <file>`);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe.each(PROCESS_DATABASES)("the demo on $name", (database) => {
  it("exports the HR departments from the database given by --database (ConnectionString idm:store)", async () => {
    const cwd = demoRoot();
    try {
      const url = await database.create(cwd);
      const run = (...args: string[]) => idm(cwd, "--database", url, ...args);
      expect(run("deploy", "conf-samples/demo").status).toBe(0);
      expect(run("run", "HR_Synchronize_Complete").stdout).toContain("ended Succeeded (4 succeeded)");
      expect(run("run", "Demo_HR_Change").status).toBe(0);
      const exported = run("run", "HR_Synchronize_Complete", "-t", "HR_Sync_Export");
      expect(exported.stdout).toContain(`HR_Sync_Export │ Connection HROrganizations: HROrganizations from ${database.name === "sqlite" ? url : "postgres://"}`);
      expect(readFileSync(join(cwd, ".idm", "export", "HROrganizations.csv"), "utf8")).toContain("LEGAL,Legal and compliance\r\n");
      // Nothing was written to, or read from, the default database.
      expect(existsSync(join(cwd, ".idm", "idm.db"))).toBe(false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);
});
