/**
 * ComputeRiskScoresTask: the score formula (pure), then on real databases the scores of Max and
 * Average, who gets a row, RiskFactorType None, idempotence and Dirty mode against a complete run.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttributeValue } from "../../../src/config/coerce-attribute.js";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { ruleColumns, type NewRisk } from "../../../src/domain/rolemodel/assignment-rows.js";
import { AssignmentStore } from "../../../src/domain/rolemodel/assignment-store.js";
import * as r from "../../../src/domain/rolemodel/risk-score-queries.js";
import { riskScore, type RiskFactorType } from "../../../src/domain/rolemodel/risk-scores.js";
import { offlineMssqlStore, type Store } from "../../../src/store/store.js";
import handler from "../../../src/tasks/compute-risk-scores.js";
import type { TaskSnapshot } from "../../../src/tasks/task-handler.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { statement } from "../../helpers/sql-statement.js";
import { configFile } from "../../helpers/temp-folder.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../../helpers/task-workspace.js";
import { deployRoleModel, insertResources, T0 } from "./role-model-fixture.js";

const T1 = new Date("2026-02-01T00:00:00.000Z");
const T2 = new Date("2026-03-01T00:00:00.000Z");
const LEVELS = new Map([["SoD_Pay", 80], ["Admin", 45], ["Low", 10]]);

const row = (risk: string, validFrom: Date | null = null, validTo: Date | null = null) => ({ risk, validFrom, validTo });

describe("riskScore", () => {
  it("is the highest Level under Max and the mean rounded half up under Average, over the distinct current risks", () => {
    const risks = [row("SoD_Pay"), row("Admin"), row("Admin", T0, T2)];
    expect(riskScore("Max", risks, LEVELS, T1)).toBe(80);
    // (80 + 45) / 2 = 62.5: the second period of Admin does not count it twice.
    expect(riskScore("Average", risks, LEVELS, T1)).toBe(63);
    expect(riskScore("Average", [row("SoD_Pay"), row("Admin"), row("Low")], LEVELS, T1)).toBe(45);
  });

  it("counts neither periods that ended or have not begun nor risks no longer deployed", () => {
    expect(riskScore("Max", [row("SoD_Pay", null, T1), row("Admin", T2), row("Low")], LEVELS, T1)).toBe(10);
    expect(riskScore("Max", [row("Gone"), row("Low")], LEVELS, T1)).toBe(10);
  });

  it("gives no score without a current risk, and none under None", () => {
    expect(riskScore("Max", [], LEVELS, T1)).toBeUndefined();
    expect(riskScore("Average", [row("SoD_Pay", null, T0)], LEVELS, T1)).toBeUndefined();
    expect(riskScore("None", [row("SoD_Pay")], LEVELS, T1)).toBeUndefined();
  });
});

function riskXml(factor: RiskFactorType | undefined, levels: Record<string, number> = { SoD_Pay: 80, Admin: 45, Low: 10 }): Record<string, string> {
  const contextRule = `  <ContextRule Identifier="Ctx_Person" DisplayName_L1="People" Policy="Default" SourceEntityType="HR_Person"${factor ? ` RiskFactorType="${factor}"` : ""} />`;
  const risks = Object.entries(levels).map(([id, level]) =>
    `  <Risk Identifier="${id}" DisplayName_L1="${id}" Policy="Default" EntityType="HR_Person" RiskType="HighPrivilege" Level="${level}">\n    <Rule><Item ResourceType="AD_Account" Property="memberOf" /></Rule>\n  </Risk>`);
  return { "RoleModel/Risks.xml": configFile([contextRule, ...risks].join("\n")) };
}

function task(attributes: Record<string, AttributeValue> = {}, entityTypes: string[] = []): TaskSnapshot {
  return taskSnapshot({ identifier: "Risk", type: "ComputeRiskScoresTask", attributes: { BatchSize: 0, Dirty: false, ...attributes }, entityTypes });
}

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("ComputeRiskScoresTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ws: TaskWorkspace;
  let assignments: AssignmentStore;
  let people: Map<string, number>;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    ws = taskWorkspace({}, { store, job: { identifier: "J", instanceId: 7 } });
    assignments = new AssignmentStore(store.dataSource.manager);
  });
  afterEach(async () => {
    await db.drop();
  });

  function identified(login: string, risk: string, over: Partial<NewRisk> = {}): NewRisk {
    return {
      ownerId: people.get(login)!, risk, ruleIndex: 0, origin: "rule", ...ruleColumns({ kind: "Rule", identifier: `${risk}/Rule#1` }), workflowState: "PolicyApproved",
      validFrom: T0, validTo: null, ...over,
    };
  }

  async function setUp(factor: RiskFactorType | undefined): Promise<void> {
    await deployRoleModel(store, [], { files: riskXml(factor) });
    people = (await insertResources(store, { people: [{ login: "ada" }, { login: "bob" }, { login: "cy" }, { login: "dan" }] })).get("HR_Person")!;
    await assignments.writeDelta({
      risks: {
        insert: [
          identified("ada", "SoD_Pay"), identified("ada", "Admin"), identified("bob", "Admin"),
          // cy's risk has ended: it counts no more.
          identified("cy", "Low", { validTo: T0 }),
        ],
      },
    }, { at: T0, jobInstanceId: 1 });
  }

  /** login → score, for the owners that have a row. */
  async function scores(): Promise<Record<string, number>> {
    const byId = new Map([...people].map(([login, id]) => [id, login]));
    return Object.fromEntries((await assignments.riskScores([...people.values()])).map((s) => [byId.get(s.ownerId)!, s.score]));
  }

  it("scores the owners holding current risks by the highest Level under Max, and a second run writes nothing", async () => {
    await setUp("Max");
    const first = await handler.run(ws.context, task({}, ["HR_Person"]));
    expect(first).toMatchObject({ state: "Succeeded", didWork: true, counters: { owners: 3, scored: 2, rescored: 0, unscored: 0, undeployed: 0 } });
    expect(await scores()).toEqual({ ada: 80, bob: 45 });
    const [ada] = await assignments.riskScores([people.get("ada")!]);
    expect(ada).toMatchObject({ updatedByJobInstance: 7 });

    const second = await handler.run(ws.context, task({}, ["HR_Person"]));
    expect(second).toMatchObject({ didWork: false, counters: { owners: 3, scored: 0, rescored: 0, unscored: 0 } });
    expect((await assignments.riskScores([people.get("ada")!]))[0]).toEqual(ada);
  });

  it("averages the Levels under Average, and removes the row of an owner who lost every risk", async () => {
    await setUp("Average");
    // Without TaskEntityType: every ContextRule's SourceEntityType.
    await handler.run(ws.context, task());
    expect(await scores()).toEqual({ ada: 63, bob: 45 });
    const bobs = (await assignments.risksOf([people.get("bob")!])).map((r) => r.id);
    const adaAdmin = (await assignments.risksOf([people.get("ada")!])).find((r) => r.risk === "Admin")!.id;
    await assignments.writeDelta({ risks: { delete: bobs, end: [{ id: adaAdmin, validTo: T1 }] } }, { at: T1, jobInstanceId: 3 });
    const result = await handler.run(ws.context, task());
    expect(result).toMatchObject({ didWork: true, counters: { owners: 3, scored: 0, rescored: 1, unscored: 1 } });
    expect(await scores()).toEqual({ ada: 80 });
  });

  it("keeps no score for an entity type whose RiskFactorType is None (the default) or that has no ContextRule", async () => {
    await setUp("Max");
    await handler.run(ws.context, task());
    await deployRoleModel(store, [], { files: riskXml(undefined) });
    const none = await handler.run(ws.context, task());
    expect(none).toMatchObject({ didWork: true, counters: { scored: 0, unscored: 2 } });
    expect(await scores()).toEqual({});

    const other = await handler.run(ws.context, task({}, ["AD_Entry"]));
    expect(other).toMatchObject({ didWork: false, counters: { owners: 0 } });
    expect(ws.lines("Information")).toContain("AD_Entry: no ContextRule has it as SourceEntityType, its owners get no risk score");
  });

  it("follows a redeployed Level, and leaves risks no longer deployed out with a warning", async () => {
    await setUp("Max");
    await handler.run(ws.context, task());
    await deployRoleModel(store, [], { files: riskXml("Max", { Admin: 90, Low: 10 }) });
    const result = await handler.run(ws.context, task());
    expect(result).toMatchObject({ state: "Succeeded", didWork: true, counters: { rescored: 2, undeployed: 1 } });
    expect(await scores()).toEqual({ ada: 90, bob: 90 });
    expect(ws.lines("Warning")).toEqual([
      "1 identified risks name a Risk that is not deployed: they count in no score until ComputeRoleModelTask runs again",
    ]);
  });

  it("in Dirty mode scores the dirty owners and those whose risks this job instance changed, then equals a complete run", async () => {
    await setUp("Max");
    await handler.run(ws.context, task({ BatchSize: 1 }));
    // This job's role model gave dan a risk and took ada's worst; another job's gave cy one; nobody is dirty.
    const adaPay = (await assignments.risksOf([people.get("ada")!])).find((r) => r.risk === "SoD_Pay")!.id;
    await assignments.writeDelta({ risks: { insert: [identified("dan", "Low")], delete: [adaPay] } }, { at: T1, jobInstanceId: 7 });
    await assignments.writeDelta({ risks: { insert: [identified("cy", "Admin")] } }, { at: T1, jobInstanceId: 5 });

    const dirty = await handler.run(ws.context, task({ Dirty: true, BatchSize: 1 }));
    expect(dirty).toMatchObject({ didWork: true, counters: { owners: 2, scored: 1, rescored: 1 } });
    expect(await scores()).toEqual({ ada: 45, bob: 45, dan: 10 });

    // A dirty owner is scored again whoever changed its risks.
    await new ResourceStore(store.dataSource.manager).markDirty([people.get("cy")!]);
    ws = taskWorkspace({}, { store, job: { identifier: "J", instanceId: 8 } });
    expect(await handler.run(ws.context, task({ Dirty: true }))).toMatchObject({ counters: { owners: 1, scored: 1 } });
    expect(await scores()).toEqual({ ada: 45, bob: 45, cy: 45, dan: 10 });
    expect(await handler.run(ws.context, task())).toMatchObject({ didWork: false, counters: { owners: 4 } });
  });
});

describe("risk score statements on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const { dataSource } = await offlineMssqlStore();
    const m = dataSource.manager;
    const sql = [
      statement("a page of the owners of an entity type holding risks", r.selectRiskOwners(m, "HR_Person", 0, 5000)),
      statement("a page of the owners with a score and no risk left", r.selectScoredOwnersWithoutRisks(m, "HR_Person", 0, 5000)),
      statement("Dirty: owners whose risks a job instance wrote", r.selectOwnersOfRisksWrittenBy(m, "HR_Person", 7)),
      statement("Dirty: owners whose risks a job instance archived", r.selectOwnersOfRisksArchivedBy(m, "HR_Person", 7)),
    ].join("\n");
    await expect(sql).toMatchFileSnapshot("./snapshots/mssql-risk-scores.sql");
    expect(sql).not.toMatch(/\bLIMIT\b|`/);
  });
});
