/**
 * ComputeRiskScoresTask after ComputeRoleModelTask in one job, on the demo's role model with two
 * risks added: the risks the role model identified become scores (Average), a Dirty run finds the
 * owners whose risks the job's role model wrote, and a complete run after it writes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AssignmentStore } from "../../src/domain/rolemodel/assignment-store.js";
import type { Store } from "../../src/store/store.js";
import computeRiskScores from "../../src/tasks/compute-risk-scores.js";
import computeRoleModel from "../../src/tasks/compute-role-model.js";
import { handlerFor } from "../../src/tasks/registry.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../helpers/task-workspace.js";
import { computeKeys, deployDemo, groupDn, idsOf, loadDemoData } from "../domain/rolemodel/demo-role-model-fixture.js";

const RISKS = ([["Staff_Groups", "GG_AllStaff", 20], ["Finance_Groups", "GG_FIN", 90]] as const).map(([id, group, level]) => `
  <Risk Identifier="${id}" DisplayName_L1="${id}" Policy="Default" EntityType="HR_Person" RiskType="1" Level="${level}">
    <Rule><Item ResourceType="AD_Entry_NominativeUser" Property="memberOf" Resource="${groupDn(group)}" /></Rule>
  </Risk>`).join("");

const roleModelTask = taskSnapshot({
  identifier: "CRM", type: "ComputeRoleModelTask", entityTypes: ["HR_Person"],
  attributes: { BatchSelectSize: 0, BatchInsertSize: 0, Dirty: false, BlockProvisioning: false, BlockAllResourceTypeProvisioning: false, IgnoreHistorization: false },
});
const riskTask = (dirty: boolean) => taskSnapshot({ identifier: "Risk", type: "ComputeRiskScoresTask", entityTypes: ["HR_Person"], attributes: { BatchSize: 2, Dirty: dirty } });

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("ComputeRiskScoresTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ws: TaskWorkspace;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    ws = taskWorkspace({}, { store, job: { identifier: "HR_Complete", instanceId: 7 } });
    await deployDemo(store, (xml) => xml
      .replace(`SourceEntityType="HR_Person" B0="Department"`, `SourceEntityType="HR_Person" RiskFactorType="Average" B0="Department"`)
      .replace("</ConfigurationFile>", `${RISKS}\n</ConfigurationFile>`));
    await loadDemoData(store);
    await computeKeys(store);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("is registered: a job runs it instead of ending task-not-implemented", () => {
    expect(handlerFor("ComputeRiskScoresTask")).toBe(computeRiskScores);
  });

  it("scores the risks the job's role model identified, in Dirty mode too, and a complete run then writes nothing", async () => {
    expect(await computeRoleModel.run(ws.context, roleModelTask)).toMatchObject({ state: "Succeeded", didWork: true });
    // Nobody is dirty: the owners come from the risks this job instance wrote.
    const dirty = await computeRiskScores.run(ws.context, riskTask(true));
    expect(dirty).toMatchObject({ state: "Succeeded", didWork: true, counters: { owners: 5, scored: 5, rescored: 0, unscored: 0, undeployed: 0 } });
    const ids = await idsOf(store);
    const people = ["E1", "E2", "E3", "E4", "E5"].map((e) => ids.get(`HR_Person:${e}`)!);
    const scores = await new AssignmentStore(store.dataSource.manager).riskScores(people);
    // Everyone is to be in GG_AllStaff (20); the FIN department, E1 and E4, in GG_FIN too: (20 + 90) / 2.
    expect(scores.map((s) => s.score)).toEqual([55, 20, 20, 55, 20]);
    expect(await computeRiskScores.run(ws.context, riskTask(false))).toMatchObject({ didWork: false, counters: { owners: 5, scored: 0, rescored: 0 } });
  });
});
