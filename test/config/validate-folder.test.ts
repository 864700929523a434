import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../src/config/problems.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";

/**
 * Validates a folder holding the base model plus one file, and returns that file's problems. Most
 * examples declare a lone top-level task: its orphan-task warning (tested on its own) is left out.
 */
function problemsOf(body: string): Problem[] {
  const dir = writeFolder({ "model.xml": BASE_MODEL, "jobs.xml": configFile(body) });
  const result = validateFolder(dir);
  expect(result.problems.filter((p) => p.file === "model.xml")).toEqual([]);
  return withoutOrphans(result.problems);
}

function withoutOrphans(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.code !== "orphan-task");
}

function only(problems: Problem[]): Problem {
  const relevant = withoutOrphans(problems);
  expect(relevant).toHaveLength(1);
  return relevant[0]!;
}

describe("validateFolder: one test per problem code, at the exact line and column", () => {
  it("xml-syntax", () => {
    expect(only(problemsOf(`  <Job Identifier="J" DisplayName_L1="J">\n  </Jbo>`))).toMatchObject({ code: "xml-syntax", file: "jobs.xml", line: 4, column: 3 });
  });

  it("xml-doctype", () => {
    const dir = writeFolder({ "a.xml": `<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<ConfigurationFile/>` });
    expect(only(validateFolder(dir).problems)).toMatchObject({ code: "xml-doctype", file: "a.xml", line: 2, column: 1 });
  });

  it("xml-encoding", () => {
    const dir = writeFolder({ "a.xml": Buffer.from('<?xml version="1.0" encoding="iso-8859-1"?><ConfigurationFile DisplayName_L1="é"/>', "latin1") });
    expect(only(validateFolder(dir).problems)).toMatchObject({ code: "xml-encoding", line: 1, column: 1 });
  });

  it("file-too-large", () => {
    const dir = writeFolder({ "a.xml": configFile(`  <!-- ${"x".repeat(2000)} -->`) });
    expect(only(validateFolder(dir, { maxFileBytes: 1000, maxDepth: 64 }).problems)).toMatchObject({ code: "file-too-large", line: 1, column: 1 });
  });

  it("file-too-large for a folder over Validation.MaxFolderBytes, refused before any file is read", () => {
    const file = configFile(`  <!-- ${"x".repeat(400)} -->`);
    const dir = writeFolder({ "a.xml": file, "b.xml": file, "c.xml": "<not well-formed" });
    const limits = { maxFileBytes: 1000, maxDepth: 64, maxFolderBytes: file.length + 100 };
    expect(only(validateFolder(dir, limits).problems)).toMatchObject({
      code: "file-too-large",
      file: "b.xml",
      line: 1,
      column: 1,
      message: expect.stringContaining(`limit is ${file.length + 100}`),
    });
    expect(validateFolder(dir, { ...limits, maxFolderBytes: 3 * file.length }).problems).toMatchObject([{ code: "xml-syntax", file: "c.xml" }]);
  });

  it("empty-file", () => {
    expect(only(validateFolder(writeFolder({ "a.xml": " \n" })).problems)).toMatchObject({ code: "empty-file", line: 1, column: 1 });
  });

  it("wrong-root", () => {
    const dir = writeFolder({ "a.xml": `<?xml version="1.0"?>\n<Configuration/>` });
    expect(only(validateFolder(dir).problems)).toMatchObject({ code: "wrong-root", severity: "error", line: 2, column: 1 });
  });

  it("wrong-namespace: an error for another namespace, a warning for none", () => {
    const dir = writeFolder({ "a.xml": `<ConfigurationFile xmlns="urn:other"/>`, "b.xml": `\n<ConfigurationFile/>` });
    expect(validateFolder(dir).problems).toMatchObject([
      { code: "wrong-namespace", severity: "error", file: "a.xml", line: 1, column: 1 },
      { code: "wrong-namespace", severity: "warning", file: "b.xml", line: 2, column: 1 },
    ]);
  });

  it("unknown-element, with a did-you-mean", () => {
    expect(only(problemsOf(`  <Jbo Identifier="J"/>`))).toMatchObject({ code: "unknown-element", line: 3, column: 3, hint: "did you mean Job?" });
    expect(only(problemsOf(`  <Job Identifier="J" DisplayName_L1="J">\n    <ExportTsk Identifier="E"/>\n  </Job>`)))
      .toMatchObject({ code: "unknown-element", line: 4, column: 5, hint: "did you mean ExportTask?" });
  });

  it("unknown-element for a known element in the wrong place", () => {
    expect(only(problemsOf(`  <Step Identifier="X"/>`))).toMatchObject({ code: "unknown-element", message: "Step is not allowed in ConfigurationFile", hint: "Step belongs in Job", line: 3, column: 3 });
  });

  it("unknown-attribute, with a did-you-mean", () => {
    const p = only(problemsOf(`  <Job Identifier="J" DisplayName_L1="J" Agent="Local">\n    <ExportTask Identifier="E" DisplayName_L1="E" ContinueOnErorr="true"/>\n  </Job>`));
    expect(p).toMatchObject({ code: "unknown-attribute", severity: "error", line: 4, column: 51, hint: "did you mean ContinueOnError?" });
  });

  it("unknown-attribute on a minimal model element is a warning", () => {
    expect(only(problemsOf(`  <OpenIdClient Identifier="R" DisplayName_L1="R" Foo="1"/>`))).toMatchObject({ code: "unknown-attribute", severity: "warning", line: 3, column: 51 });
  });

  it("unknown-attribute on a full model element and its children is an error, with a did-you-mean", () => {
    const problems = problemsOf([
      `  <Agent Identifier="Remote" DisplayName_L1="R" URL="https://x"/>`,
      `  <EntityType Identifier="T">`,
      `    <Property Identifier="Code" IsKy="true"/>`,
      `  </EntityType>`,
    ].join("\n"));
    expect(problems.map((p) => [p.code, p.severity, p.line, p.column, p.hint])).toEqual([
      ["unknown-attribute", "error", 3, 49, "did you mean URI?"],
      ["missing-attribute", "error", 4, 3, expect.stringContaining("IsKey")],
      ["unknown-attribute", "error", 5, 33, "did you mean IsKey?"],
    ]);
  });

  it("unknown-attribute for the vendor's TaskEntityType Identifier= mistake, with the fix", () => {
    const p = only(problemsOf(`  <UpdateEntityPropertyExpressionsTask Identifier="U" DisplayName_L1="U">\n    <TaskEntityType Identifier="AD_Entry"/>\n  </UpdateEntityPropertyExpressionsTask>`));
    expect(p).toMatchObject({ code: "unknown-attribute", line: 4, column: 21, hint: 'write EntityType="AD_Entry" (TaskEntityType has no Identifier attribute)' });
  });

  it("missing-attribute", () => {
    expect(only(problemsOf(`  <Job Identifier="J">\n    <ResetValidFromTask Identifier="R" DisplayName_L1="R"/>\n  </Job>`)))
      .toMatchObject({ code: "missing-attribute", line: 3, column: 3, message: "Job requires the attribute DisplayName_L1" });
  });

  it("missing-attribute for an agent-side task whose job has no agent", () => {
    expect(only(problemsOf(`  <Job Identifier="J" DisplayName_L1="J">\n    <ExportTask Identifier="E" DisplayName_L1="E"/>\n  </Job>`)))
      .toMatchObject({ code: "missing-attribute", line: 4, column: 5 });
  });

  it("invalid-value: booleans, integers and enums", () => {
    const problems = problemsOf(`  <Job Identifier="J" DisplayName_L1="J" IsIncremental="yes" CronTimeZone="Mars">\n    <MaintainIndexesTask Identifier="M" DisplayName_L1="M" PageCount="many" RebuildThreshold="20"/>\n  </Job>`);
    expect(problems).toMatchObject([
      { code: "invalid-value", line: 3, column: 42, message: 'Job IsIncremental="yes" is not valid: expected true, false, 1 or 0' },
      { code: "invalid-value", line: 3, column: 62, message: 'Job CronTimeZone="Mars" is not valid: expected UTC (0), ServerTime (1)' },
      { code: "invalid-value", line: 4, column: 60 },
      { code: "invalid-value", line: 4, column: 77 },
    ]);
  });

  it("accepts booleans as true/false/1/0 in any case and enums by name or number", () => {
    expect(problemsOf(`  <Job Identifier="J" DisplayName_L1="J" IsIncremental="TRUE" UserStartDenied="0" CronTimeZone="1" LogLevel="information">\n    <MaintainIndexesTask Identifier="M" DisplayName_L1="M" Offline="1" AllIndexes="False"/>\n  </Job>`)).toEqual([]);
  });

  it("duplicate-identifier, across task types, naming both places", () => {
    const p = only(problemsOf(`  <MaintainIndexesTask Identifier="T" DisplayName_L1="M"/>\n  <ResetValidFromTask Identifier="T" DisplayName_L1="R"/>`));
    expect(p).toMatchObject({ code: "duplicate-identifier", line: 4, column: 3, related: [{ file: "jobs.xml", line: 3, column: 3 }] });
    expect(p.message).toContain("jobs.xml:3:3");
  });

  it("duplicate-identifier across files", () => {
    const dir = writeFolder({ "model.xml": BASE_MODEL, "b.xml": configFile(`  <Agent Identifier="Local" DisplayName_L1="again"/>`) });
    expect(only(validateFolder(dir).problems)).toMatchObject({ code: "duplicate-identifier", file: "model.xml", line: 3, related: [{ file: "b.xml", line: 3 }] });
  });

  it("unresolved-reference for every kind of reference, with did-you-mean", () => {
    const problems = problemsOf([
      `  <Job Identifier="J" DisplayName_L1="J" Agent="Locl">`,
      `    <ExportTask Identifier="E" DisplayName_L1="E" Connector="ADD" OpenIdClient="Jobs"/>`,
      `    <UpdateEntityPropertyExpressionsTask Identifier="U" DisplayName_L1="U">`,
      `      <TaskDependsOnTask ParentTask="EE"/>`,
      `      <TaskEntityType EntityType="AD_Entr"/>`,
      `    </UpdateEntityPropertyExpressionsTask>`,
      `    <GenerateProvisioningOrdersTask Identifier="G" DisplayName_L1="G"><TaskResourceType ResourceType="Nope"/></GenerateProvisioningOrdersTask>`,
      `    <Step Identifier="U2"/>`,
      `    <ExportTaskOverride Identifier="U" IgnoreCookieFile="true"/>`,
      `  </Job>`,
    ].join("\n"));
    expect(problems.map((p) => [p.code, p.line, p.column, p.hint])).toEqual([
      ["unresolved-reference", 3, 42, "did you mean Local?"],
      ["unresolved-reference", 4, 51, "did you mean AD?"],
      ["unresolved-reference", 4, 67, "did you mean Job?"],
      ["unresolved-reference", 6, 26, "did you mean E?"],
      ["unresolved-reference", 7, 23, "did you mean AD_Entry?"],
      ["unresolved-reference", 9, 89, undefined],
      ["unresolved-reference", 10, 11, "did you mean U?"],
      ["unresolved-reference", 11, 25, 'write <UpdateEntityPropertyExpressionsTaskOverride Identifier="U" .../>'],
    ]);
  });

  it("dependency-cycle", () => {
    const p = only(problemsOf([
      `  <ResetValidFromTask Identifier="A" DisplayName_L1="A"><TaskDependsOnTask ParentTask="C"/></ResetValidFromTask>`,
      `  <ResetValidFromTask Identifier="B" DisplayName_L1="B"><TaskDependsOnTask ParentTask="A"/></ResetValidFromTask>`,
      `  <ResetValidFromTask Identifier="C" DisplayName_L1="C">`,
      `    <TaskDependsOnTask ParentTask="B"/>`,
      `  </ResetValidFromTask>`,
    ].join("\n")));
    expect(p).toMatchObject({ code: "dependency-cycle", line: 4, column: 57, message: "TaskDependsOnTask makes a cycle: A → C → B → A" });
  });

  it("agent-mismatch", () => {
    const p = only(problemsOf(`  <Agent Identifier="Other" DisplayName_L1="O"/>\n  <Job Identifier="J" DisplayName_L1="J" Agent="Local">\n    <ExportTask Identifier="E" DisplayName_L1="E" Agent="Other"/>\n  </Job>`));
    expect(p).toMatchObject({ code: "agent-mismatch", line: 5, column: 51, related: [{ line: 4, column: 42 }] });
  });

  it("invalid-cron", () => {
    expect(only(problemsOf(`  <Job Identifier="J" DisplayName_L1="J" CronTabExpression="*/15 * * 13 *">\n    <ResetValidFromTask Identifier="R" DisplayName_L1="R"/>\n  </Job>`)))
      .toMatchObject({ code: "invalid-cron", line: 3, column: 42 });
  });

  it("invalid-task-combination, on a task and on an override", () => {
    const problems = problemsOf([
      `  <InvokeSqlCommandTask Identifier="Q" DisplayName_L1="Q"/>`,
      `  <InvokeSqlCommandTask Identifier="S" DisplayName_L1="S" SQLCommand="select 1"/>`,
      `  <Job Identifier="J" DisplayName_L1="J">`,
      `    <InvokeSqlCommandTaskOverride Identifier="S" SQLInputFile="x.sql"/>`,
      `  </Job>`,
    ].join("\n"));
    expect(problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ["invalid-task-combination", 3, 3],
      ["invalid-task-combination", 6, 5],
    ]);
  });

  it("unsupported-element: one warning per kind, for known elements not modelled yet", () => {
    // Every scaffolding is a stored item now (scaffolding-not-expanded); TreeDimensionsRefreshTask is the one
    // vocabulary element left without a schema, at the top level as in a job.
    const problems = problemsOf(`  <TreeDimensionsRefreshTask Identifier="A"/>\n  <Job Identifier="J" DisplayName_L1="J">\n    <TreeDimensionsRefreshTask Identifier="C"/>\n    <TreeDimensionsRefreshTask Identifier="D"/>\n  </Job>`);
    expect(problems.map((p) => [p.code, p.severity, p.line, p.column])).toEqual([
      ["unsupported-element", "warning", 3, 3],
    ]);
    expect(problems[0]!.message).toContain("3 elements");
  });

  it("orphan-task: a top-level task no job runs (a Step, an override or an AddTask puts it in one)", () => {
    const dir = writeFolder({ "model.xml": BASE_MODEL, "jobs.xml": configFile([
      `  <MaintainIndexesTask Identifier="Alone" DisplayName_L1="A"/>`,
      `  <MaintainIndexesTask Identifier="Stepped" DisplayName_L1="S"/>`,
      `  <MaintainIndexesTask Identifier="Overridden" DisplayName_L1="O"/>`,
      `  <Job Identifier="J" DisplayName_L1="J"><Step Identifier="Stepped"/><MaintainIndexesTaskOverride Identifier="Overridden" Offline="true"/></Job>`,
    ].join("\n")) });
    expect(validateFolder(dir).problems).toEqual([{
      code: "orphan-task", severity: "warning", file: "jobs.xml", line: 3, column: 3,
      message: `MaintainIndexesTask "Alone" is in no job: deployed, it never runs`,
      hint: `add <Step Identifier="Alone"/> to a Job, or an <AddTask Task="Alone" .../> to a job scaffolding`,
    }]);
  });

  it("empty-job", () => {
    expect(only(problemsOf(`  <Job Identifier="J" DisplayName_L1="J"/>`))).toMatchObject({ code: "empty-job", severity: "warning", line: 3, column: 3 });
  });

  it("invalid-value of an Encoding no task can write", () => {
    const problem = only(problemsOf(`  <InvokeSqlCommandTask Identifier="Q" DisplayName_L1="Q" SQLCommand="SELECT 1" Encoding="klingon"/>`));
    expect(problem).toMatchObject({ code: "invalid-value", line: 3, column: 81 });
    expect(problemsOf(`  <InvokeSqlCommandTask Identifier="Q" DisplayName_L1="Q" SQLCommand="SELECT 1" Encoding="windows-1252"/>`)).toEqual([]);
  });

  it("unknown-database, only when a settings file was read", () => {
    const body = `  <InvokeSqlCommandTask Identifier="Q" DisplayName_L1="Q" SQLCommand="SELECT 1" DatabaseIdentifier="HRdb"/>`;
    const dir = writeFolder({ "model.xml": BASE_MODEL, "jobs.xml": configFile(body) });
    const settings = { databases: { HRDb: "sqlite:hr.db" }, fromFile: true };
    expect(only(validateFolder(dir, undefined, settings).problems)).toMatchObject({
      code: "unknown-database", line: 3, column: 81, hint: "did you mean HRDb?",
      message: 'InvokeSqlCommandTask "Q": DatabaseIdentifier HRdb is not in the settings\' Databases (HRDb are)',
    });
    expect(withoutOrphans(validateFolder(dir, undefined, { ...settings, fromFile: false }).problems)).toEqual([]);
  });
});

describe("validateFolder: what the product accepts", () => {
  it("accepts the looser output of the vendor's scaffoldings", () => {
    expect(problemsOf([
      `  <Job Identifier="J" DisplayName_L1="J" Agent="Local" CronTabExpression="*/15 * * * *" CronTimeZone="ServerTime">`,
      `    <ExportTask Identifier="E" DisplayName_L1="E" Connector="AD" IgnoreCookieFile="1"/>`,
      `    <PrepareSynchronizationTask Identifier="P" DisplayName_L1="P" Connector="AD"><TaskDependsOnTask ParentTask="E"/></PrepareSynchronizationTask>`,
      `    <MaintainIndexesTask DisplayName_L1="no identifier" Connector="AD"/>`,
      `  </Job>`,
    ].join("\n"))).toEqual([]);
  });

  it("gives a task without Identifier a stable derived one", () => {
    const dir = writeFolder({ "a.xml": configFile(`  <Job Identifier="J" DisplayName_L1="J">\n    <ResetValidFromTask DisplayName_L1="1"/>\n    <MaintainIndexesTask DisplayName_L1="2"/>\n    <ResetValidFromTask DisplayName_L1="3"/>\n  </Job>`) });
    const { configuration } = validateFolder(dir);
    expect(configuration.tasks.map((t) => t.identifier)).toEqual(["J_ResetValidFromTask", "J_MaintainIndexesTask", "J_ResetValidFromTask_2"]);
    expect(configuration.jobs[0]!.steps.map((s) => s.task)).toEqual(["J_ResetValidFromTask", "J_MaintainIndexesTask", "J_ResetValidFromTask_2"]);
  });

  it("types attributes and applies defaults", () => {
    const dir = writeFolder({ "a.xml": configFile(`  <Job Identifier="J" DisplayName_L1="J">\n    <MaintainIndexesTask Identifier="M" DisplayName_L1="M" Offline="1" PageCount="500"/>\n  </Job>`) });
    const task = validateFolder(dir).configuration.tasks[0]!;
    expect(task.element.attributes).toMatchObject({ Offline: true, PageCount: 500, AllIndexes: false, Level: -1, LogLevel: "None", ContinueOnError: false });
  });
});

describe("validateFolder: the folder", () => {
  it("reads UTF-8 with BOM, UTF-16 LE and BE files, with CRLF or LF", () => {
    const body = configFile(`  <Job Identifier="J" DisplayName_L1="Équipe">\n    <ResetValidFromTask Identifier="R" DisplayName_L1="R" Levl="1"/>\n  </Job>`);
    const crlf = body.replace(/\n/g, "\r\n");
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf.replace("utf-8", "utf-16").replace('"J"', '"J2"').replace('"R"', '"R2"'), "utf16le")]);
    const be = Buffer.from(body.replace("utf-8", "utf-16").replace('"J"', '"J3"').replace('"R"', '"R3"'), "utf16le").swap16();
    const dir = writeFolder({
      "bom.xml": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf)]),
      "le.xml": le,
      "be.xml": Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    });
    const result = validateFolder(dir);
    expect(result.problems.map((p) => [p.file, p.code, p.line, p.column])).toEqual([
      ["be.xml", "unknown-attribute", 4, 60],
      ["bom.xml", "unknown-attribute", 4, 59],
      ["le.xml", "unknown-attribute", 4, 60],
    ]);
    expect(result.configuration.jobs.map((j) => j.element.attributes.DisplayName_L1)).toEqual(["Équipe", "Équipe", "Équipe"]);
  });

  it("reads a 300-file folder, recursively, skipping hidden folders, node_modules and other files", () => {
    const files: Record<string, string> = { "model.xml": BASE_MODEL, ".git/x.xml": "junk", "node_modules/p/x.xml": "junk", "notes.txt": "junk" };
    for (let i = 0; i < 300; i++) {
      files[`d${i % 7}/f${i}.xml`] = configFile(`  <Job Identifier="J${i}" DisplayName_L1="J${i}">\n    <ResetValidFromTask Identifier="R${i}" DisplayName_L1="R"/>\n  </Job>`);
    }
    const result = validateFolder(writeFolder(files));
    expect(result).toMatchObject({ valid: true, files: 301, items: 608, problems: [] });
  });

  it("follows symbolic links inside the folder only", () => {
    const outside = writeFolder({ "secret.xml": configFile(`  <Job Identifier="Outside" DisplayName_L1="x"/>`) });
    const dir = writeFolder({ "in/a.xml": configFile(`  <Agent Identifier="A" DisplayName_L1="A"/>`) });
    symlinkSync(join(outside, "secret.xml"), join(dir, "link.xml"));
    symlinkSync(join(dir, "in"), join(dir, "alias"));
    symlinkSync(dir, join(dir, "in", "loop"));
    mkdirSync(join(dir, "empty"));
    writeFileSync(join(dir, "empty", "readme.md"), "");
    const result = validateFolder(dir);
    expect(result.configuration.files).toEqual(["alias/a.xml", "in/a.xml"]);
    expect(result.problems.map((p) => p.code)).toEqual(["duplicate-identifier"]);
  });
});

describe("validateFolder: the reference's contradictions, as decided in the README", () => {
  it("Step takes Identifier; the table's Task attribute gets the fix", () => {
    const p = only(problemsOf(`  <ResetValidFromTask Identifier="R" DisplayName_L1="R"/>\n  <Job Identifier="J" DisplayName_L1="J">\n    <Step Task="R"/>\n  </Job>`));
    expect(p).toMatchObject({ code: "unknown-attribute", line: 5, column: 11, hint: 'write Identifier="R" (Step has no Task attribute)' });
  });
});
