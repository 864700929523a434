import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateFolder } from "../../src/config/validate-folder.js";
import { buildItems, canonicalJson, sha256, type Item } from "../../src/config/items.js";
import { planDeploy } from "../../src/deploy/plan.js";
import { type StoredItem } from "../../src/domain/stored-items.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";

function itemsOf(files: Record<string, string>): Item[] {
  const result = validateFolder(writeFolder(files));
  expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
  return buildItems(result.configuration);
}

function stored(items: Item[]): StoredItem[] {
  return items.map((item, id) => ({ id, kind: item.kind, identifier: item.identifier, attributes: item.attributes, children: item.children, hash: item.hash, source: item.source }));
}

const JOB = `  <Job Identifier="J" DisplayName_L1="J" Agent="Local" CronTabExpression="*/15 * * * *">
    <ExportTask Identifier="E" DisplayName_L1="E" Connector="AD" Level="0"/>
    <PrepareSynchronizationTask Identifier="P" DisplayName_L1="P" Connector="AD" SynchronizationMode="Complete" Level="1">
      <TaskDependsOnTask ParentTask="E"/>
    </PrepareSynchronizationTask>
    <Step Identifier="M"/>
    <MaintainIndexesTaskOverride Identifier="M" Offline="true"/>
  </Job>
  <MaintainIndexesTask Identifier="M" DisplayName_L1="M" Level="2"/>`;

describe("buildItems", () => {
  it("makes one item per job, task and model element, with typed attributes and ordered steps", () => {
    const items = itemsOf({ "model.xml": BASE_MODEL, "jobs.xml": configFile(JOB) });
    expect(items.map((i) => `${i.kind}:${i.identifier}`)).toEqual([
      "Job:J", "ExportTask:E", "PrepareSynchronizationTask:P", "MaintainIndexesTask:M",
      "Agent:Local", "OpenIdClient:Job", "Connector:AD", "Connector:HR", "EntityType:AD_Entry", "EntityType:Directory_User", "Policy:Default",
      "ResourceType:AD_Entry_NominativeUser",
    ]);
    const job = items[0]!;
    expect(job.attributes).toMatchObject({ Agent: "Local", CronTabExpression: "*/15 * * * *", CronTimeZone: "UTC", IsIncremental: false });
    expect(job.attributes).not.toHaveProperty("Identifier");
    expect(job.children).toEqual({ steps: [
      { task: "E", level: 0, launchOrder: 1, kind: "inline" },
      { task: "P", level: 1, launchOrder: 2, kind: "inline" },
      { task: "M", level: 2, launchOrder: 3, kind: "step" },
      { task: "M", level: 2, launchOrder: 4, kind: "override", override: { Offline: true } },
    ] });
    expect(items[2]!.children).toEqual({ dependsOn: ["E"], entityTypes: [], resourceTypes: [] });
    expect(job.source).toEqual({ file: "jobs.xml", line: 3, column: 3 });
  });

  it("gives the same hash when the element is reformatted or moved to another file", () => {
    const a = itemsOf({ "model.xml": BASE_MODEL, "jobs.xml": configFile(JOB) });
    const moved = JOB.replace(/\n\s*/g, " ").replace('Identifier="E"', 'Connector="AD" Identifier="E"').replace(' Connector="AD" Level="0"', ' Level="0"');
    const b = itemsOf({ "model.xml": BASE_MODEL, "other/place.xml": configFile(`\n\n${moved}`) });
    expect(b.map((i) => i.hash)).toEqual(a.map((i) => i.hash));
    expect(b[0]!.source).toEqual({ file: "other/place.xml", line: 5, column: 3 });
  });
});

describe("item hash", () => {
  it("is the SHA-256 of the canonical JSON (sorted keys at every level), without the source", () => {
    const demo = fileURLToPath(new URL("../../conf-samples/demo", import.meta.url));
    const examples = fileURLToPath(new URL("../fixtures/reference-examples", import.meta.url));
    for (const dir of [demo, examples]) {
      for (const item of buildItems(validateFolder(dir).configuration)) {
        const { kind, identifier, attributes, children } = item;
        expect(item.hash).toBe(sha256(canonicalJson({ kind, identifier, attributes, children })));
      }
    }
  });
});

describe("planDeploy", () => {
  const base = { "model.xml": BASE_MODEL, "jobs.xml": configFile(JOB) };

  it("plans every item as an insert into an empty store, and nothing the second time", () => {
    const items = itemsOf(base);
    const first = planDeploy(items, []);
    expect(first.summary).toEqual({ insert: 12, update: 0, delete: 0 });
    expect(first.jobs).toEqual([{ job: "J", changes: ["job added with 4 tasks: E, P, M, M"] }]);
    const second = planDeploy(items, stored(items));
    expect(second.summary).toEqual({ insert: 0, update: 0, delete: 0 });
    expect(second.basis).toBe(second.configurationHash);
  });

  it("shows an update down to the attribute, and its job-level summary", () => {
    const before = itemsOf(base);
    const after = itemsOf({ ...base, "jobs.xml": configFile(JOB.replace('SynchronizationMode="Complete" Level="1"', 'SynchronizationMode="Incremental" Level="3"')) });
    const plan = planDeploy(after, stored(before));
    expect(plan.summary).toEqual({ insert: 0, update: 2, delete: 0 });
    expect(plan.updates.map((u) => [u.kind, u.identifier, u.changes])).toEqual([
      ["Job", "J", [{ path: "children.steps[1].level", before: 1, after: 3 }]],
      ["PrepareSynchronizationTask", "P", [
        { path: "attributes.Level", before: 1, after: 3 },
        { path: "attributes.SynchronizationMode", before: "Complete", after: "Incremental" },
      ]],
    ]);
    expect(plan.jobs).toEqual([{ job: "J", changes: ["task P level 1 → 3", 'task P: SynchronizationMode "Complete" → "Incremental"'] }]);
  });

  it("describes tasks added, removed, reordered, dependencies, cron and overrides per job", () => {
    const before = itemsOf(base);
    const changed = JOB
      .replace('CronTabExpression="*/15 * * * *"', 'CronTabExpression="0 * * * *"')
      .replace('<TaskDependsOnTask ParentTask="E"/>', "")
      .replace('<ExportTask Identifier="E" DisplayName_L1="E" Connector="AD" Level="0"/>', "")
      .replace('<Step Identifier="M"/>', '<Step Identifier="M"/>\n    <ResetValidFromTask Identifier="R" DisplayName_L1="R"/>')
      .replace('Offline="true"', 'Offline="false"');
    const plan = planDeploy(itemsOf({ ...base, "jobs.xml": configFile(changed) }), stored(before));
    expect(plan.summary).toEqual({ insert: 1, update: 2, delete: 1 });
    expect(plan.jobs).toEqual([{ job: "J", changes: [
      'cron CronTabExpression: "*/15 * * * *" → "0 * * * *"',
      "task R added (level -1, order 3)",
      "task E removed",
      "override of task M: {\"Offline\":true} → {\"Offline\":false}",
      "task P: dependency on E removed",
    ] }]);
  });

  it("treats a moved element as a source update, not a change", () => {
    const before = itemsOf(base);
    const plan = planDeploy(itemsOf({ "model.xml": BASE_MODEL, "moved.xml": configFile(`\n${JOB}`) }), stored(before));
    expect(plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
    expect(plan.moves).toHaveLength(4);
    expect(plan.moves[0]).toMatchObject({ kind: "ExportTask", from: { file: "jobs.xml", line: 4 }, to: { file: "moved.xml", line: 5 } });
  });

  it("limits changes to a scope, leaving items elsewhere untouched even when absent", () => {
    const before = itemsOf({ ...base, "hr/jobs.xml": configFile(`  <ResetValidFromTask Identifier="R" DisplayName_L1="R"/>`) });
    const after = itemsOf({ ...base, "jobs.xml": configFile(JOB.replace('DisplayName_L1="M"', 'DisplayName_L1="M2"')), "hr/other.xml": configFile(`  <ResetValidFromTask Identifier="R2" DisplayName_L1="R"/>`) });
    const plan = planDeploy(after, stored(before), { scope: "hr" });
    expect(plan.summary).toEqual({ insert: 1, update: 0, delete: 1 });
    expect(plan.inserts.map((i) => i.identifier)).toEqual(["R2"]);
    expect(plan.deletes.map((d) => d.identifier)).toEqual(["R"]);
  });
});
