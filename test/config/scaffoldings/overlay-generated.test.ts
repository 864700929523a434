/**
 * ConsolidationMode over what a scaffolding generates (jobs-and-deploy.md §3.6): absent (replace),
 * Merge, Update and Delete on a generated job and on a generated task, what contributed, and the
 * fragments recorded on the scaffolding for export.
 */
import { describe, expect, it } from "vitest";
import { buildItems, isJobChildren, isTaskChildren, type Item } from "../../../src/config/items.js";
import { validateFolder, type ValidationResult } from "../../../src/config/validate-folder.js";
import { configFile, writeFolder } from "../../helpers/temp-folder.js";

const MODEL = configFile([
  `  <Agent Identifier="Local" DisplayName_L1="Local agent"/>`,
  `  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local"/>`,
  `  <Connection Identifier="ADExport" DisplayName_L1="AD export" Connector="AD" Package="Usercube.AD@0000001"/>`,
  `  <EntityType Identifier="AD_Entry" DisplayName_L1="Entry"><Property Identifier="dn" DisplayName_L1="DN" IsKey="true" TargetColumnIndex="4"/></EntityType>`,
  `  <EntityTypeMapping Identifier="AD_Entry" Connector="AD" ConnectionTable="ADExport_entries"><Property Identifier="dn" ConnectionColumn="dn" IsPrimaryKey="true"/></EntityTypeMapping>`,
].join("\n"));

/** A top-level task for the jobs below to run. */
const CHECK = `  <InvokeExpressionTask Identifier="AD_Check" DisplayName_L1="Check" Agent="Local" InputPath="scripts/check.sh"/>`;

const SCAFFOLDING = `  <CreateConnectorSynchroComplete Connector="AD" JobIdentifier="AD_Sync"/>`;
const JOB = "AD_Sync";
const SYNC = `${JOB}_Synchronize_AD`;

/** The scaffolding in Jobs.xml (line 3), the overlays in Overlays.xml (from line 3). */
function validate(overlays: string): ValidationResult {
  return validateFolder(writeFolder({ "Model.xml": MODEL, "Jobs.xml": configFile(SCAFFOLDING), "Overlays.xml": configFile(overlays) }));
}

function itemsOf(overlays: string, codes: string[] = []): Item[] {
  const result = validate(overlays);
  expect(result.problems.map((p) => p.code)).toEqual(codes);
  return buildItems(result.configuration);
}

const find = (items: Item[], kind: string, id: string): Item | undefined => items.find((i) => i.kind === kind && i.identifier === id);

/** The job's steps as `level task (kind)`. */
function steps(items: Item[]): string[] {
  const job = find(items, "Job", JOB)!;
  if (!isJobChildren(job.children)) throw new Error("not a job");
  return job.children.steps.map((s) => `${s.level} ${s.task.replace(`${JOB}_`, "")} (${s.kind})`);
}

describe("ConsolidationMode over a generated task", () => {
  it("Merge: keeps the generated attributes and children, adds and overrides with the fragment's; the job runs it in its place", () => {
    const items = itemsOf(`  <SynchronizeTask Identifier="${SYNC}" ConsolidationMode="Merge" DisplayName_L1="AD sync (merged)" DoNotDeleteChanges="true"/>`);
    const task = find(items, "SynchronizeTask", SYNC)!;
    expect(task.attributes).toMatchObject({ DisplayName_L1: "AD sync (merged)", DoNotDeleteChanges: true, Connector: "AD", Level: 2 });
    expect(isTaskChildren(task.children) && task.children.dependsOn).toEqual([`${JOB}_PrepareSynchronization_AD_Complete`]);
    expect(task.source).toEqual({ file: "Jobs.xml", line: 3, column: 3, generatedBy: "CreateConnectorSynchroComplete" });
    expect(task.contributions).toEqual([
      { file: "Jobs.xml", line: 3, column: 3, mode: "Base", generatedBy: "CreateConnectorSynchroComplete" },
      { file: "Overlays.xml", line: 3, column: 3, mode: "Merge" },
    ]);
    expect(steps(items)[2]).toBe("2 Synchronize_AD (inline)");
  });

  it("Update: the fragment's attributes replace the generated ones (Level too), the generated dependencies stay", () => {
    const items = itemsOf(`  <SynchronizeTask Identifier="${SYNC}" ConsolidationMode="Update" DisplayName_L1="AD sync" Connector="AD"/>`);
    const task = find(items, "SynchronizeTask", SYNC)!;
    expect(task.attributes).toMatchObject({ DisplayName_L1: "AD sync", DoNotDeleteChanges: false, Level: -1 });
    expect(isTaskChildren(task.children) && task.children.dependsOn).toEqual([`${JOB}_PrepareSynchronization_AD_Complete`]);
    expect(task.contributions!.map((c) => c.mode)).toEqual(["Base", "Update"]);
    // Without a Level of its own, the step keeps its place and runs in a group of its own.
    expect(steps(items)[2]).toBe("-1 Synchronize_AD (inline)");
  });

  it("Delete: the task leaves the job, and nothing else depends on it any more than the scaffolding said", () => {
    const items = itemsOf(`  <SynchronizeTask Identifier="${SYNC}" ConsolidationMode="Delete"/>`);
    expect(find(items, "SynchronizeTask", SYNC)).toBeUndefined();
    expect(steps(items).some((s) => s.includes("Synchronize_AD"))).toBe(false);
    expect(steps(items)).toHaveLength(9);
  });

  it("absent: a hand-written task replaces it whole, with a warning, and the job runs it as a Step at the generated level", () => {
    const result = validate(`  <SynchronizeTask Identifier="${SYNC}" DisplayName_L1="mine" Connector="AD"/>`);
    expect(result.problems.map((p) => [p.code, p.file, p.line, p.message])).toEqual([
      ["scaffolding-conflict", "Overlays.xml", 3, `SynchronizeTask "${SYNC}" is also generated by the CreateConnectorSynchroComplete at Jobs.xml:3: this hand-written element replaces the generated one`],
    ]);
    const items = buildItems(result.configuration);
    const task = find(items, "SynchronizeTask", SYNC)!;
    expect(task.attributes).toMatchObject({ DisplayName_L1: "mine", Level: -1 });
    expect(isTaskChildren(task.children) && task.children.dependsOn).toEqual([]);
    expect(task.source).toEqual({ file: "Overlays.xml", line: 3, column: 3 });
    expect(task.contributions!.map((c) => `${c.file}:${c.mode}`)).toEqual(["Jobs.xml:Base", "Overlays.xml:Replace"]);
    expect(steps(items)[2]).toBe("2 Synchronize_AD (step)");
  });

  it("an explicit Replace is taken as meant: no warning", () => {
    const items = itemsOf(`  <SynchronizeTask Identifier="${SYNC}" DisplayName_L1="mine" Connector="AD" ConsolidationMode="Replace"/>`);
    expect(find(items, "SynchronizeTask", SYNC)!.attributes.DisplayName_L1).toBe("mine");
  });
});

describe("ConsolidationMode over a generated job", () => {
  it("Merge: keeps the generated attributes and tasks, takes the fragment's attributes and appends its steps", () => {
    const items = itemsOf([
      CHECK,
      `  <Job Identifier="${JOB}" ConsolidationMode="Merge" CronTabExpression="0 2 * * *">`,
      `    <Step Identifier="AD_Check" Level="10"/>`,
      `  </Job>`,
    ].join("\n"));
    const job = find(items, "Job", JOB)!;
    expect(job.attributes).toMatchObject({ Agent: "Local", DisplayName_L1: "AD - Synchronization Complete", CronTabExpression: "0 2 * * *" });
    expect(steps(items)).toHaveLength(11);
    expect(steps(items).at(-1)).toBe("10 AD_Check (step)");
    expect(job.contributions!.map((c) => `${c.file}:${c.line}:${c.mode}`)).toEqual(["Jobs.xml:3:Base", "Overlays.xml:4:Merge"]);
  });

  it("Update: the fragment's attributes replace the generated ones, the generated tasks stay", () => {
    const items = itemsOf(`  <Job Identifier="${JOB}" ConsolidationMode="Update" DisplayName_L1="AD nightly" Agent="Local"/>`);
    const job = find(items, "Job", JOB)!;
    expect(job.attributes).toMatchObject({ DisplayName_L1: "AD nightly", Agent: "Local" });
    expect(steps(items)).toHaveLength(10);
  });

  it("Delete: the job and the tasks it holds go; the scaffolding stays", () => {
    const items = itemsOf(`  <Job Identifier="${JOB}" ConsolidationMode="Delete"/>`);
    expect(find(items, "Job", JOB)).toBeUndefined();
    expect(items.filter((i) => i.identifier.startsWith(`${JOB}_`))).toEqual([]);
    expect(find(items, "CreateConnectorSynchroComplete", JOB)).toBeDefined();
  });

  it("absent: a hand-written job replaces it whole, its tasks included (they are its children)", () => {
    const result = validate(`${CHECK}\n  <Job Identifier="${JOB}" DisplayName_L1="mine" Agent="Local"><Step Identifier="AD_Check"/></Job>`);
    expect(result.problems.map((p) => p.code)).toEqual(["scaffolding-conflict"]);
    const items = buildItems(result.configuration);
    expect(steps(items)).toEqual(["-1 AD_Check (step)"]);
    expect(items.filter((i) => i.identifier.startsWith(`${JOB}_`))).toEqual([]);
    expect(find(items, "Job", JOB)!.contributions!.map((c) => c.mode)).toEqual(["Base", "Replace"]);
  });
});

describe("overlays of generated items", () => {
  it("record each fragment, as written, on the scaffolding item (export writes them back), in file order", () => {
    const items = itemsOf([
      `  <SynchronizeTask Identifier="${SYNC}" ConsolidationMode="Merge" DoNotDeleteChanges="true"/>`,
      `  <Job Identifier="${JOB}" ConsolidationMode="Delete"/>`,
    ].join("\n"));
    expect(find(items, "CreateConnectorSynchroComplete", JOB)!.contributions).toEqual([
      { file: "Jobs.xml", line: 3, column: 3, mode: "Base" },
      { file: "Overlays.xml", line: 3, column: 3, mode: "Merge", over: `SynchronizeTask ${SYNC}`,
        fragment: { name: "SynchronizeTask", attributes: [["Identifier", SYNC], ["ConsolidationMode", "Merge"], ["DoNotDeleteChanges", "true"]], children: [] } },
      { file: "Overlays.xml", line: 4, column: 3, mode: "Delete", over: `Job ${JOB}`,
        fragment: { name: "Job", attributes: [["Identifier", JOB], ["ConsolidationMode", "Delete"]], children: [] } },
    ]);
  });

  it("a fragment that matches nothing, generated or not, is still overlay-without-base", () => {
    const result = validate(`  <SynchronizeTask Identifier="${JOB}_Synchronize_HR" ConsolidationMode="Merge" DoNotDeleteChanges="true"/>`);
    expect(result.problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      ["overlay-without-base", "warning", `SynchronizeTask "${JOB}_Synchronize_HR" ConsolidationMode="Merge": no module, generated or configuration item has this identifier; nothing to change, the fragment is left out (not deployed)`],
    ]);
  });
});
