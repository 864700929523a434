import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type Settings } from "../../src/config/settings.js";
import { readWindowsPrefixes } from "../../src/config/windows-paths.js";
import { listDeployments } from "../../src/deploy/history.js";
import { identifierDeclarations, namespaceProblem, type DeclarableItem } from "../../src/deploy/identifier-declarations.js";
import { readStoredItems } from "../../src/deploy/read-stored.js";
import { runDeploy } from "../../src/deploy/run-deploy.js";
import { runJob } from "../../src/jobs/runner.js";
import { ENTITY } from "../../src/store/entities.js";
import type { Store } from "../../src/store/store.js";
import deployConfiguration from "../../src/tasks/deploy-configuration.js";
import { registerTask } from "../../src/tasks/registry.js";
import type { TaskContext, TaskResult, TaskSnapshot } from "../../src/tasks/task-handler.js";
import { deployFolder, itemsOf } from "../helpers/deploy-xml.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace } from "../helpers/task-workspace.js";
import { BASE_MODEL, configFile } from "../helpers/temp-folder.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

const DEMO = fileURLToPath(new URL("../../conf-samples/demo", import.meta.url));
const TSC = fileURLToPath(new URL("../../node_modules/.bin/tsc", import.meta.url));
const XSD = fileURLToPath(new URL("../../schema/identitymanager-configuration.xsd", import.meta.url));

afterEach(() => removeTaskWorkspaces());

const tempRoot = (): string => taskWorkspace({}).root;

function writeFiles(folder: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), content);
  }
}

/** A job J of MaintainIndexesTasks, one per identifier (with an optional display name). */
function jobsFile(tasks: (string | [string, string])[]): string {
  const lines = tasks.map((t) => {
    const [id, name] = typeof t === "string" ? [t, t] : t;
    return `    <MaintainIndexesTask Identifier="${id}" DisplayName_L1="${name}" Level="0"/>`;
  });
  return configFile(`  <Job Identifier="J" DisplayName_L1="Job">\n${lines.join("\n")}\n  </Job>`);
}

function task(attributes: Record<string, string>, identifier = "Deploy"): TaskSnapshot {
  return taskSnapshot({ identifier, type: "DeployConfigurationTask", attributes });
}

/** kind, identifier and hash of every item, sorted: what two equal deployments share. */
function fingerprint(items: { kind: string; identifier: string; hash: string }[]): string[] {
  return items.map((i) => `${i.kind} ${i.identifier} ${i.hash}`).sort();
}

function tsc(cwd: string, files: string[]): { status: number | null; output: string } {
  const result = spawnSync(TSC, ["--noEmit", "--strict", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler", ...files],
    { cwd, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.each(BACKENDS)("DeployConfigurationTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
  });

  afterEach(async () => {
    await db.drop();
  });

  /** A TaskContext on this test's store, the running configuration deployed from `configuration`. */
  function setup(configuration: string | undefined, settings: Partial<Settings> = {}) {
    return taskWorkspace({}, {
      store, configuration, job: { identifier: "J", instanceId: 1 }, settings: (folders) => ({ ...DEFAULT_SETTINGS, paths: folders, ...settings }),
    });
  }

  /** A configuration folder conf/ under a new temporary folder. */
  function confFolder(files: Record<string, string>): { root: string; conf: string } {
    const { root, conf } = taskWorkspace(files);
    return { root, conf };
  }

  const run = (context: TaskContext, attributes: Record<string, string>): Promise<TaskResult> =>
    deployConfiguration.run(context, task(attributes));

  async function stored(s: Store = store): Promise<string[]> {
    return fingerprint(await readStoredItems(s.dataSource.manager));
  }

  it("deploys the demo exactly as idm deploy's engine does, then a second run changes nothing", async () => {
    const { context } = setup(DEMO);
    const first = await run(context, { ConfigurationDirectory: "." });
    const items = itemsOf(DEMO);
    expect(first).toEqual({ state: "Succeeded", didWork: true, counters: { inserted: items.length, updated: 0, deleted: 0 } });

    // The engine itself, as idm deploy calls it, into another database.
    const otherDb = await backend.create("deploy task equals idm deploy (engine)");
    try {
      const engineStore = await otherDb.open();
      const direct = await runDeploy(DEFAULT_SETTINGS, engineStore, items, { sourceFolder: DEMO, allowDeletes: false, lockTimeoutSeconds: 5 });
      expect(direct.plan.summary).toEqual({ insert: items.length, update: 0, delete: 0 });
      expect(await stored()).toEqual(await stored(engineStore));
      expect(await stored()).toEqual(fingerprint(items));
    } finally {
      await otherDb.drop();
    }

    const deployments = await listDeployments(store);
    expect(deployments).toHaveLength(1);
    expect(deployments[0]).toMatchObject({ kind: "deploy", sourceFolder: DEMO, inserted: items.length, updated: 0, deleted: 0 });

    const second = await run(context, { ConfigurationDirectory: "." });
    expect(second).toEqual({ state: "Succeeded", didWork: false, counters: { inserted: 0, updated: 0, deleted: 0 } });
    expect(await listDeployments(store)).toHaveLength(1);
  });

  it("counts inserts, updates and deletes, and records the folder as the new configuration folder", async () => {
    const { conf } = confFolder({ "model.xml": BASE_MODEL, "jobs.xml": jobsFile(["T1", "T2", "T3", "T4", "T5"]) });
    const { context, lines } = setup(conf);
    expect((await run(context, { ConfigurationDirectory: "." })).counters).toEqual({ inserted: 14, updated: 0, deleted: 0 });

    writeFiles(conf, { "jobs.xml": jobsFile([["T1", "Renamed"], "T2", "T3", "T4", "T6"]) });
    const result = await run(context, { ConfigurationDirectory: conf }); // an absolute path to the folder itself is allowed
    // T6 inserted; T1 and the job J updated; T5 deleted (1 of 5 tasks: 20 %, at the guard's limit).
    expect(result).toEqual({ state: "Succeeded", didWork: true, counters: { inserted: 1, updated: 2, deleted: 1 } });
    expect(lines("Information").join("\n")).toMatch(/deployed .*conf as deployment 2: 1 inserted, 2 updated, 1 deleted/);
    const deployments = await listDeployments(store);
    expect(deployments.map((d) => d.sourceFolder)).toEqual([conf, conf]);

    // A sub-folder deploys too (with deletes allowed by the settings), and becomes the recorded folder.
    writeFiles(conf, { "sub/model.xml": BASE_MODEL });
    const sub = setup(conf, { deploy: { ...DEFAULT_SETTINGS.deploy, maxDeletes: 100, maxDeletePercent: 100 } });
    const subResult = await run(sub.context, { ConfigurationDirectory: "sub" });
    expect(subResult).toEqual({ state: "Succeeded", didWork: true, counters: { inserted: 0, updated: 0, deleted: 6 } });
    expect((await listDeployments(store))[0]!.sourceFolder).toBe(join(conf, "sub"));
  });

  it("fails on validation errors with the first problems in its log and message, and writes nothing", async () => {
    const bad = Array.from({ length: 7 }, (_, i) => `  <Jbo${i}/>`).join("\n");
    const { conf } = confFolder({ "model.xml": BASE_MODEL, "bad.xml": configFile(bad) });
    const { context, lines } = setup(conf);
    const result = await run(context, { ConfigurationDirectory: "." });
    expect(result.state).toBe("Error");
    expect(result.didWork).toBe(false);
    expect(result.message).toMatch(/^DeployConfigurationTask Deploy: ConfigurationDirectory \. has 7 errors, nothing deployed \(idm validate .*conf shows every problem\): /);
    expect(result.message).toContain("bad.xml:3:3 unknown-element unknown element Jbo0");
    expect(result.message).toContain("bad.xml:7:3 unknown-element unknown element Jbo4");
    expect(result.message).not.toContain("Jbo5");
    expect(result.message).toMatch(/; 2 more$/);
    expect(lines("Error")).toEqual(Array.from({ length: 5 }, (_, i) => `bad.xml:${3 + i}:3 unknown-element unknown element Jbo${i}`));
    expect(await stored()).toEqual([]);
    expect(await listDeployments(store)).toEqual([]);
  });

  it("validates against the settings as idm deploy does (unknown-database)", async () => {
    const body = `  <InvokeSqlCommandTask Identifier="Q" DisplayName_L1="Q" SQLCommand="SELECT 1" DatabaseIdentifier="HRdb"/>`;
    const { conf } = confFolder({ "model.xml": BASE_MODEL, "jobs.xml": configFile(body) });
    const { context, lines } = setup(conf, { databases: { HRDb: "sqlite:hr.db" }, fromFile: true });
    const result = await run(context, { ConfigurationDirectory: "." });
    expect(result.state).toBe("Error");
    expect(lines("Error")).toEqual(["jobs.xml:3:81 unknown-database InvokeSqlCommandTask \"Q\": DatabaseIdentifier HRdb is not in the settings' Databases (HRDb are)"]);
    expect(await stored()).toEqual([]);
  });

  it("refuses deletes beyond the guard, naming it, and changes nothing", async () => {
    const { conf } = confFolder({ "model.xml": BASE_MODEL, "jobs.xml": jobsFile(["T1", "T2", "T3", "T4", "T5"]) });
    const { context, lines } = setup(conf);
    await run(context, { ConfigurationDirectory: "." });
    const before = await stored();

    writeFiles(conf, { "jobs.xml": jobsFile(["T1", "T2", "T3"]) });
    const result = await run(context, { ConfigurationDirectory: "." });
    expect(result.state).toBe("Error");
    expect(result.message).toMatch(/^DeployConfigurationTask Deploy: deletion-guard: the deploy would delete 2 of 5 task items \(40%, limit 20%\)/);
    expect(result.message).toContain("Deploy.MaxDeletePercent 20");
    expect(result.message).toContain("idm deploy --allow-deletes");
    expect(result.message).not.toContain("rerun with");
    expect(lines("Error")).toEqual(["would delete MaintainIndexesTask T4 (jobs.xml:7)", "would delete MaintainIndexesTask T5 (jobs.xml:8)"]);
    expect(await stored()).toEqual(before);
    expect(await listDeployments(store)).toHaveLength(1);
  });

  it("writes the merged configuration as one file that validates to the same items, atomically and only when it changes", async () => {
    const { root, context } = setup(DEMO);
    const merged = join(root, "work", "out", "merged.xml");
    const first = await run(context, { ConfigurationDirectory: ".", GeneratedFile: merged });
    expect(first.counters).toMatchObject({ filesWritten: 1 });
    const text = readFileSync(merged, "utf8");
    expect(text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">\n/);
    expect(readdirSync(join(root, "work", "out"))).toEqual(["merged.xml"]); // no temporary file left

    const again = itemsOf(join(root, "work", "out"));
    expect(new Set(again.map((i) => i.source.file))).toEqual(new Set(["merged.xml"]));
    expect(fingerprint(again)).toEqual(await stored());
    const lint = spawnSync("xmllint", ["--noout", "--schema", XSD, merged], { encoding: "utf8" });
    expect(lint.error, "xmllint (Debian libxml2-utils) must be installed").toBeUndefined();
    expect(lint.status, lint.stderr).toBe(0);

    const second = await run(context, { ConfigurationDirectory: ".", GeneratedFile: merged });
    expect(second).toEqual({ state: "Succeeded", didWork: false, counters: { inserted: 0, updated: 0, deleted: 0, filesWritten: 0 } });
    expect(readFileSync(merged, "utf8")).toBe(text);
  });

  it("writes declarations of the deployed identifiers that compile and catch an unknown identifier", async () => {
    const { root, context } = setup(DEMO);
    const declarations = join(root, "work", "generated", "idm.d.ts");
    const result = await run(context, { ConfigurationDirectory: ".", GeneratedCodePath: declarations, GeneratedCodeNamespace: "Acme.Idm" });
    expect(result).toMatchObject({ state: "Succeeded", didWork: true, counters: { filesWritten: 1 } });
    const text = readFileSync(declarations, "utf8");
    expect(text).toContain("export declare namespace Acme.Idm {");
    const items = itemsOf(DEMO);
    for (const item of items) expect(text).toContain(JSON.stringify(item.identifier));
    expect(text).toMatch(/export type EntityTypeIdentifier =(\n    \| "\w+")*\n    \| "Directory_User"/);

    writeFileSync(join(root, "work", "generated", "use.ts"), `import type { Acme } from "./idm.js";
export const job: Acme.Idm.JobIdentifier = "Demo_Main";
export const task: Acme.Idm.TaskIdentifier = "Demo_Hello";
export const type: Acme.Idm.TaskTypes["Demo_Hello"] = "InvokeExpressionTask";
export const step: Acme.Idm.JobTasks["Demo_Main"] = "Demo_InventoryReport";
export const entity: Acme.Idm.EntityTypeIdentifier = "Directory_User";
export const agent: Acme.Idm.AgentIdentifier = "Local";
// @ts-expect-error not a deployed job
export const wrong: Acme.Idm.JobIdentifier = "Demo_Mian";
// @ts-expect-error a task of another job
export const other: Acme.Idm.JobTasks["Demo_Main"] = "HR_Synchronize";
`);
    const compiled = tsc(join(root, "work", "generated"), ["use.ts"]);
    expect(compiled.output).toBe("");
    expect(compiled.status).toBe(0);

    // The same stored items, the same text: a second run leaves the file alone.
    const second = await run(context, { ConfigurationDirectory: ".", GeneratedCodePath: declarations, GeneratedCodeNamespace: "Acme.Idm" });
    expect(second).toMatchObject({ didWork: false, counters: { filesWritten: 0 } });
  });

  it("refuses a bad namespace, code path or merged file before deploying anything", async () => {
    const { root, context } = setup(DEMO);
    const code = join(root, "work", "ids.d.ts");
    for (const namespace of ["Acme.1Idm", "class", "Acme..Idm", "Acme-Idm", "Acme.Idm."]) {
      await expect(run(context, { ConfigurationDirectory: ".", GeneratedCodePath: code, GeneratedCodeNamespace: namespace }))
        .rejects.toThrow(`DeployConfigurationTask Deploy: GeneratedCodeNamespace "${namespace}" is not a namespace`);
    }
    await expect(run(context, { ConfigurationDirectory: ".", GeneratedCodePath: join(root, "ids.cs") }))
      .rejects.toThrow("GeneratedCodePath");
    const { conf } = confFolder({ "model.xml": BASE_MODEL });
    const inside = setup(conf);
    await expect(run(inside.context, { ConfigurationDirectory: ".", GeneratedFile: join(conf, "generated", "all.xml") }))
      .rejects.toThrow(/GeneratedFile .* is inside the deployed folder/);
    expect(await stored()).toEqual([]);
    expect(existsSync(code)).toBe(false);
  });

  it("refuses a ConfigurationDirectory that escapes the configuration folder, does not exist or is not a folder", async () => {
    const { root, conf } = confFolder({ "model.xml": BASE_MODEL, "file.xml": BASE_MODEL });
    mkdirSync(join(root, "elsewhere"));
    writeFiles(join(root, "elsewhere"), { "model.xml": BASE_MODEL });
    symlinkSync(join(root, "elsewhere"), join(conf, "link"));
    const { context } = setup(conf);
    const outside = /DeployConfigurationTask Deploy: ConfigurationDirectory .* is outside the configuration folder .*conf; it must be that folder or a folder under it/;
    await expect(run(context, { ConfigurationDirectory: "../../etc" })).rejects.toThrow(outside);
    await expect(run(context, { ConfigurationDirectory: "/etc" })).rejects.toThrow(outside);
    await expect(run(context, { ConfigurationDirectory: "../elsewhere" })).rejects.toThrow(outside);
    await expect(run(context, { ConfigurationDirectory: "link" })).rejects.toThrow(outside); // a symlink out
    await expect(run(context, { ConfigurationDirectory: "missing" })).rejects.toThrow(/ConfigurationDirectory missing does not exist \(.*conf\/missing\)/);
    await expect(run(context, { ConfigurationDirectory: "file.xml" })).rejects.toThrow(/ConfigurationDirectory file\.xml is not a folder/);
    await expect(run(context, {})).rejects.toThrow("DeployConfigurationTask Deploy has no ConfigurationDirectory");
    expect(await stored()).toEqual([]);
  });

  it("deploys another checkout listed in Tasks.ConfigurationRoots, and writes outputs only under the job's folders or Tasks.OutputRoots", async () => {
    const { root, conf } = confFolder({ "model.xml": BASE_MODEL });
    const checkout = join(root, "checkout");
    mkdirSync(checkout);
    writeFiles(checkout, { "model.xml": BASE_MODEL });
    const refused = setup(conf);
    await expect(run(refused.context, { ConfigurationDirectory: checkout })).rejects.toThrow(/is outside the configuration folder .*Tasks\.ConfigurationRoots/);
    await expect(run(refused.context, { ConfigurationDirectory: ".", GeneratedFile: join(root, "merged.xml") }))
      .rejects.toThrow(/GeneratedFile .*merged\.xml is outside the folders tasks may write to .*Tasks\.OutputRoots/);
    await expect(run(refused.context, { ConfigurationDirectory: ".", GeneratedCodePath: "/tmp/../etc/idm.d.ts" })).rejects.toThrow(/GeneratedCodePath .* is outside/);
    expect(await stored()).toEqual([]);

    const outputs = join(root, "outputs");
    const allowed = setup(conf, { tasks: { ...DEFAULT_SETTINGS.tasks, configurationRoots: [checkout], outputRoots: [outputs] } });
    const result = await run(allowed.context, { ConfigurationDirectory: checkout, GeneratedFile: join(outputs, "merged.xml") });
    expect(result).toMatchObject({ state: "Succeeded", didWork: true });
    expect(existsSync(join(outputs, "merged.xml"))).toBe(true);
  });

  it("deploys a ConfigurationDirectory and writes a GeneratedFile named by Windows paths, through Paths.WindowsPrefixes, still confined", async () => {
    const { root, conf } = confFolder({ "Sub/model.xml": BASE_MODEL });
    mkdirSync(join(root, "elsewhere"));
    writeFiles(join(root, "elsewhere"), { "model.xml": BASE_MODEL });
    const { context, folders } = setup(conf);
    const prefixes = readWindowsPrefixes({ "D:\\Conf": conf, "D:\\Root": root, "E:\\Jobs": folders.work });
    context.settings = { ...context.settings, paths: { ...folders, windowsPrefixes: prefixes } };
    await expect(run(context, { ConfigurationDirectory: "D:\\Root\\elsewhere" })).rejects.toThrow(/ConfigurationDirectory .*elsewhere is outside the configuration folder/);
    await expect(run(context, { ConfigurationDirectory: "C:\\Conf" })).rejects.toThrow(
      "DeployConfigurationTask Deploy: ConfigurationDirectory C:\\Conf is a Windows path that no prefix maps; Paths.WindowsPrefixes in the settings",
    );
    expect(await stored()).toEqual([]);
    const result = await run(context, { ConfigurationDirectory: "d:\\conf\\Sub", GeneratedFile: "E:\\Jobs\\merged.xml" });
    expect(result).toMatchObject({ state: "Succeeded", didWork: true });
    expect(existsSync(join(folders.work, "merged.xml"))).toBe(true);
    expect((await listDeployments(store)).map((d) => d.sourceFolder)).toEqual([join(conf, "Sub")]);
  });

  it("deploys nothing once cancelled", async () => {
    const { context, controller } = setup(DEMO);
    controller.abort(new Error("cancel requested (idm cancel)"));
    await expect(run(context, { ConfigurationDirectory: "." })).rejects.toThrow("cancel requested");
    expect(await stored()).toEqual([]);
  });

  it("waits for another deploy's lease, and gives up at once when cancelled", async () => {
    const { acquireLease } = await import("../../src/store/lease.js");
    const lease = await acquireLease(store, "deploy", { waitMs: 0, ttlMs: 60_000 });
    const { context, controller, lines } = setup(DEMO);
    const running = run(context, { ConfigurationDirectory: "." });
    await new Promise((r) => setTimeout(r, 600));
    expect(lines("Information").some((l) => l.startsWith("waiting for another deploy to finish: lease \"deploy\" is held by"))).toBe(true);
    controller.abort(new Error("cancel requested (idm cancel)"));
    const started = Date.now();
    await expect(running).rejects.toThrow("cancel requested");
    expect(Date.now() - started).toBeLessThan(1000);
    await lease.release();
    expect(await stored()).toEqual([]);

    // Released, it deploys.
    const { context: again } = setup(DEMO);
    expect((await run(again, { ConfigurationDirectory: "." })).state).toBe("Succeeded");
  });

  it("runs in a job: the job keeps its snapshot, and the new deployment is what runs next", async () => {
    const restore = registerTask(deployConfiguration);
    try {
      const job = (extra: string) => configFile(`  <Job Identifier="Redeploy" DisplayName_L1="Redeploy">
    <DeployConfigurationTask Identifier="Deploy" DisplayName_L1="Deploy" ConfigurationDirectory="." Level="0"/>
    <InvokeExpressionTask Identifier="Hello" DisplayName_L1="Hello" InputPath="hello.sh" Agent="Local" Level="1">
      <TaskDependsOnTask ParentTask="Deploy"/>
    </InvokeExpressionTask>
  </Job>${extra}`);
      const { conf } = confFolder({ "model.xml": BASE_MODEL, "jobs.xml": job(""), "hello.sh": "echo hello\n" });
      const { context } = setup(conf);
      await deployFolder(store, conf, { allowDeletes: false });

      // The folder changes on disk: the job deploys it, the task after it still runs as snapshotted.
      writeFiles(conf, {
        "jobs.xml": job(`\n  <Job Identifier="Added" DisplayName_L1="Added"/>`).replace('InputPath="hello.sh"', 'InputPath="gone.sh"'),
      });
      const summary = await runJob("Redeploy", { store, settings: context.settings });
      expect(summary.tasks.map((t) => [t.identifier, t.state, t.didWork])).toEqual([["Deploy", "Succeeded", true], ["Hello", "Succeeded", true]]);
      expect(summary.tasks[0]!.counters).toEqual({ inserted: 1, updated: 1, deleted: 0 });
      expect(summary.state).toBe("Succeeded");

      expect((await listDeployments(store)).map((d) => d.sourceFolder)).toEqual([conf, conf]);
      expect(await stored()).toEqual(fingerprint(itemsOf(conf)));
      const rows = await store.dataSource.manager.getRepository(ENTITY.item).findBy({ kind: "Job", identifier: "Added" });
      expect(rows).toHaveLength(1);

      // The next run deploys nothing (didWork false), so Hello, which depends on it, is skipped.
      const next = await runJob("Redeploy", { store, settings: context.settings });
      expect(next.tasks.map((t) => [t.identifier, t.state, t.didWork])).toEqual([["Deploy", "Succeeded", false], ["Hello", "Skipped", false]]);
      // Hello alone runs the new deployment: its script is now gone.sh, which does not exist.
      const hello = await runJob("Redeploy", { store, settings: context.settings, selection: { task: "Hello" } });
      expect(hello.tasks.find((t) => t.identifier === "Hello")).toMatchObject({ state: "Error", error: expect.stringContaining("script gone.sh does not exist") });
    } finally {
      restore();
    }
  });
});

describe("identifier declarations", () => {
  it("escapes identifiers as string literals, in a stable order, and compiles", () => {
    const root = tempRoot();
    const items: DeclarableItem[] = [
      { kind: "Job", identifier: "Z", children: { steps: [{ task: "b\"q", level: 0, launchOrder: 1, kind: "inline" as const }] } },
      { kind: "Job", identifier: "A", children: { steps: [] } },
      { kind: "InvokeExpressionTask", identifier: "b\"q", children: { dependsOn: [], entityTypes: [], resourceTypes: [] } },
      { kind: "MaintainIndexesTask", identifier: "a\\b\u2028c", children: { dependsOn: [], entityTypes: [], resourceTypes: [] } },
      { kind: "EntityType", identifier: "É", children: {} },
    ];
    const text = identifierDeclarations(items, "X", ["Agent", "EntityType"], "test");
    expect(identifierDeclarations([...items].reverse(), "X", ["EntityType", "Agent"], "test")).toBe(text);
    expect(text).toContain('export type JobIdentifier =\n    | "A"\n    | "Z";');
    expect(text).toContain("export type AgentIdentifier = never;");
    expect(text).toContain('"a\\\\b\u2028c"');
    expect(text).toContain('"Z": "b\\"q";');
    expect(text).toContain('"A": never;');
    writeFileSync(join(root, "ids.ts"), text);
    writeFileSync(join(root, "use.ts"), `import type { X } from "./ids.js";
export const t: X.TaskIdentifier = "b\\"q";
export const u: X.TaskTypes["a\\\\b\\u2028c"] = "MaintainIndexesTask";
export const e: X.EntityTypeIdentifier = "É";
`);
    const compiled = tsc(root, ["use.ts"]);
    expect(compiled.output).toBe("");
    expect(compiled.status).toBe(0);
  });

  it("accepts dotted identifier paths and refuses anything else", () => {
    for (const ok of ["Idm", "Acme.Idm", "_x.$y", "type", "Acme.Idm2"]) expect(namespaceProblem(ok)).toBeUndefined();
    expect(namespaceProblem("")).toMatch(/empty part/);
    expect(namespaceProblem("a.b.")).toMatch(/empty part/);
    expect(namespaceProblem("2x")).toMatch(/"2x" is not an identifier/);
    expect(namespaceProblem("Acme.default")).toMatch(/default is a reserved word/);
    expect(namespaceProblem("a b")).toMatch(/is not an identifier/);
  });
});
