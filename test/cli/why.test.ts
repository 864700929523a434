/**
 * `idm why` as a user runs it (the built CLI) over the deployed demo whose role model was computed
 * for the fixture's people: the words with each rule's file:line, the JSON, `--at` before and after
 * a contract ends, and the names it refuses with their exit codes.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SubjectExplanation } from "../../src/domain/rolemodel/evaluate/explain.js";
import { openStore } from "../../src/store/store.js";
import { idm } from "../helpers/idm-process.js";
import { dropProcessDatabases, PROCESS_DATABASES } from "../helpers/process-databases.js";
import { computeKeys, deployDemo, loadDemoData, PEOPLE, roleModel } from "../domain/rolemodel/demo-role-model-fixture.js";

afterAll(dropProcessDatabases);

const AT = "2026-06-01T00:00:00Z";

describe.each(PROCESS_DATABASES)("idm why on $name", (database) => {
  let run: (...args: string[]) => ReturnType<typeof idm>;

  beforeAll(async () => {
    const cwd = mkdtempSync(join(tmpdir(), "idm-why-"));
    const url = await database.create(cwd);
    run = (...args: string[]) => idm(cwd, "--database", url, ...args);
    const store = await openStore(url);
    try {
      await deployDemo(store);
      // E6 left on 2026-03-01.
      await loadDemoData(store, [...PEOPLE, { id: "E6", first: "Frances", last: "Allen", department: "OPS", end: "2026-03-01T00:00:00.000Z" }]);
      await computeKeys(store);
      await roleModel(store);
    } finally {
      await store.close();
    }
  });

  it("says in words which rule granted a role, and why the others did not match", () => {
    const result = run("why", "HR_Person", "E2", "Department_IT", "--at", AT);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`HR_Person E2: single role Department_IT is assigned.
  Context (Department IT, from 2020-01-01): assigned.
    granted by SingleRoleRule at RoleModel/RoleModel.xml:40 (Required, priority 0)
`);
    expect(run("why", "HR_Person", "E2", "Department_FIN", "--at", AT).stdout).toContain(
      "SingleRoleRule at RoleModel/RoleModel.xml:38 does not match: Department (D0) is IT, the rule wants FIN",
    );
  });

  it("prints the explanation as JSON: the verdicts with their rules, the resource type's target and correlation", () => {
    const result = run("why", "HR_Person", "E1", "AD_Entry_NominativeUser", "--json", "--at", AT);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { owner: unknown; identifier: string; at: string; dimensions: unknown; subjects: SubjectExplanation[]; warnings: string[] };
    expect(json).toMatchObject({ owner: { entityType: "HR_Person", key: "E1" }, identifier: "AD_Entry_NominativeUser", at: "2026-06-01T00:00:00.000Z", dimensions: { 0: "Department" }, warnings: [] });
    const [subject] = json.subjects;
    expect(subject!.outcome).toBe("assigned");
    expect(subject!.contexts[0]!.verdicts[0]).toMatchObject({
      rule: { kind: "TypeRule", identifier: "AD_Entry_NominativeUser/TypeRule#1", file: "RoleModel/RoleModel.xml", line: 45 }, outcome: "inferred", requires: { kind: "singleRole", role: "AllStaff" },
    });
    expect(subject!.targets).toEqual([{
      target: { id: expect.any(String), key: "CN=Ada Lovelace (E1),OU=Users,DC=demo,DC=local" }, needsReview: false,
      correlation: { rule: { kind: "ResourceCorrelationRule", identifier: expect.any(String), file: "RoleModel/RoleModel.xml", line: 62 }, confidence: 100 },
    }]);
  });

  it("evaluates at --at: after the contract ended, no context and no role", () => {
    expect(run("why", "HR_Person", "E6", "Department_OPS", "--at", AT).stdout).toBe(`HR_Person E6: single role Department_OPS is not assigned.
  The owner has no current context: no rule can apply.
`);
    expect(run("why", "HR_Person", "E6", "Department_OPS", "--at", "2026-02-01").stdout).toBe(`HR_Person E6: single role Department_OPS is assigned.
  Context (Department OPS, from 2020-01-01 until 2026-03-01): assigned.
    granted by SingleRoleRule at RoleModel/RoleModel.xml:42 (Required, priority 0)
`);
  });

  it("refuses an unknown role (exit 64), entity type (64), key (3) or --at (64)", () => {
    const role = run("why", "HR_Person", "E1", "AllStaf");
    expect(role.status).toBe(64);
    expect(role.stderr).toContain("no role or resource type of HR_Person is named AllStaf; did you mean AllStaff?");
    expect(role.stdout).toBe("");
    const type = run("why", "HR_Persn", "E1", "AllStaff");
    expect(type.status).toBe(64);
    expect(type.stderr).toContain("no entity type HR_Persn is deployed; did you mean HR_Person?");
    const key = run("why", "HR_Person", "E9", "AllStaff");
    expect(key.status).toBe(3);
    expect(key.stderr).toContain("HR_Person has no resource with the key E9; did you mean E1?");
    const at = run("why", "HR_Person", "E1", "AllStaff", "--at", "next monday");
    expect(at.status).toBe(64);
    expect(at.stderr).toContain("--at next monday is not an ISO 8601 time");
  });
});
