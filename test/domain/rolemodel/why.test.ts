/**
 * `idm why`'s domain on real databases, over the demo's role model (with one deny added) computed
 * for the fixture's five people: a granted role names its rule's file:line, an inferred one the
 * role it was inferred from, a denied one the deny that won, a role that did not match the
 * department that differed; a resource type its correlation; a manual row the store holds; the
 * names the user typed refused with a did-you-mean.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ruleColumns } from "../../../src/domain/rolemodel/assignment-rows.js";
import { AssignmentStore } from "../../../src/domain/rolemodel/assignment-store.js";
import { renderExplanation } from "../../../src/domain/rolemodel/evaluate/render-explanation.js";
import { UnknownSubjectError } from "../../../src/domain/rolemodel/report-lookups.js";
import { why } from "../../../src/domain/rolemodel/why.js";
import type { Store } from "../../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { computeKeys, DEMO, deployDemo, idsOf, loadDemoData, NOW, roleModel } from "./demo-role-model-fixture.js";

const ROLE_MODEL = readFileSync(join(DEMO, "RoleModel", "RoleModel.xml"), "utf8");
const DENY_IT = `  <SingleRoleRule Role="Department_IT" Policy="Default" D0="IT" IsDenied="true" />`;
/** The deny is written where the demo's closing tag was. */
const WITH_DENY = ROLE_MODEL.replace("</ConfigurationFile>", `${DENY_IT}\n</ConfigurationFile>`);

/** The line of the demo's RoleModel.xml that first holds `text`. */
function lineOf(text: string): number {
  const index = WITH_DENY.split("\n").findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${text} is not in the demo's RoleModel.xml`);
  return index + 1;
}

const at = (text: string) => `RoleModel/RoleModel.xml:${lineOf(text)}`;

const RT = "AD_Entry_NominativeUser";

describe.each(BACKENDS)("why on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    db = await backend.create("why");
    store = await db.open();
    await deployDemo(store, () => WITH_DENY);
    await loadDemoData(store);
    await computeKeys(store);
    await roleModel(store);
  });
  afterAll(async () => {
    await db.drop();
  });

  const text = async (key: string, subject: string) => renderExplanation((await why(store, "HR_Person", key, subject, NOW)).explanation);

  it("names the rule that granted a role by its file:line", async () => {
    const result = await why(store, "HR_Person", "E1", "Department_FIN", NOW);
    expect(result.warnings).toEqual([]);
    const [subject] = result.explanation.subjects;
    expect(subject!.kind).toBe("singleRole");
    expect(subject!.contexts.map((c) => [c.context.dimensions, c.outcome, c.verdicts.map((v) => [v.rule.file, v.rule.line, v.outcome])])).toEqual([
      [{ 0: "FIN" }, "assigned", [["RoleModel/RoleModel.xml", lineOf('<SingleRoleRule Role="Department_FIN"'), "granted"]]],
    ]);
    expect(renderExplanation(result.explanation)).toEqual([
      "HR_Person E1: single role Department_FIN is assigned.",
      "  Context (Department FIN, from 2020-01-01): assigned.",
      `    granted by SingleRoleRule at ${at('<SingleRoleRule Role="Department_FIN"')} (Required, priority 0)`,
    ]);
  });

  it("says an inferred role comes from the composite role the owner holds", async () => {
    expect(await text("E1", "AllStaff")).toContain(
      `    inferred by SingleRoleRule at ${at('<SingleRoleRule Role="AllStaff"')} from the held composite role Employee (Required, priority 0)`,
    );
  });

  it("says which deny won over the grant", async () => {
    expect(await text("E2", "Department_IT")).toEqual([
      "HR_Person E2: single role Department_IT is denied.",
      "  Context (Department IT, from 2020-01-01): denied.",
      `    SingleRoleRule at ${at('<SingleRoleRule Role="Department_IT" Policy="Default" D0="IT" />')} would grant it (Required, priority 0), but a deny of equal or stronger priority wins: SingleRoleRule at ${at(DENY_IT.trim())}`,
      `    denied by SingleRoleRule at ${at(DENY_IT.trim())} (priority 0)`,
    ]);
  });

  it("says which dimension value differed when a rule did not match", async () => {
    const result = await why(store, "HR_Person", "E2", "Department_FIN", NOW);
    const [verdict] = result.explanation.subjects[0]!.contexts[0]!.verdicts;
    expect(verdict!.outcome).toBe("not-matched");
    expect(verdict!.mismatches).toEqual([{ kind: "dimension", dimensionIdentifier: "Department", parameter: "D0", dimension: 0, actual: "IT", wanted: "FIN", hierarchical: false }]);
    expect(renderExplanation(result.explanation)).toEqual([
      "HR_Person E2: single role Department_FIN is not assigned.",
      "  Context (Department IT, from 2020-01-01): not assigned.",
      `    SingleRoleRule at ${at('<SingleRoleRule Role="Department_FIN"')} does not match: Department (D0) is IT, the rule wants FIN`,
    ]);
  });

  it("explains a resource type: its type and navigation rules, and the target its correlation rule found", async () => {
    const resourceType = at(`<ResourceType Identifier="${RT}"`);
    const lines = await text("E1", RT);
    expect(lines.slice(0, 3)).toEqual([
      `HR_Person E1: resource type ${RT} is assigned.`,
      "  Context (Department FIN, from 2020-01-01): assigned.",
      `    inferred by TypeRule #1 of ${RT} at ${resourceType} from the held single role AllStaff (Required, priority 0)`,
    ]);
    expect(lines).toContain(`    inferred by NavigationRule #2 of ${RT} at ${resourceType} from the held single role Department_FIN (Required, priority 0)`);
    expect(lines).toContain(`    NavigationRule #3 of ${RT} at ${resourceType} does not match: the owner does not hold the single role Department_HR`);
    expect(lines.at(-1)).toBe(`  Target CN=Ada Lovelace (E1),OU=Users,DC=demo,DC=local, correlated by ResourceCorrelationRule at ${at("<ResourceCorrelationRule")} (confidence 100).`);
    // E5 has no account: the creation.
    expect((await text("E5", RT)).at(-1)).toBe("  No target resource yet: a creation order follows.");
  });

  it("mentions a manual assignment the store holds besides the rules", async () => {
    const ids = await idsOf(store);
    await new AssignmentStore(store.dataSource.manager).writeDelta({
      roles: {
        insert: [{
          ownerId: ids.get("HR_Person:E4")!, role: "Department_LEGAL", kind: "single", origin: "manual", workflowState: "Approved",
          validFrom: new Date("2026-02-01T00:00:00.000Z"), validTo: null, ...ruleColumns(null), parameters: null,
        }],
      },
    }, { at: NOW, jobInstanceId: 2 });
    expect(await text("E4", "Department_LEGAL")).toEqual([
      "HR_Person E4: single role Department_LEGAL is not assigned.",
      "  Context (Department FIN, from 2020-01-01): not assigned.",
      `    SingleRoleRule at ${at('<SingleRoleRule Role="Department_LEGAL"')} does not match: Department (D0) is FIN, the rule wants LEGAL`,
      "  Also held through a manual assignment (Approved), from 2026-02-01.",
    ]);
  });

  it("refuses an unknown role, entity type or key with a did-you-mean", async () => {
    const refusal = (entityType: string, key: string, subject: string) => why(store, entityType, key, subject, NOW).then(() => null, (e: unknown) => e);
    const role = await refusal("HR_Person", "E1", "Department_FN");
    expect(role).toBeInstanceOf(UnknownSubjectError);
    expect(role).toMatchObject({ subject: "role-or-resource-type", message: "no role or resource type of HR_Person is named Department_FN; did you mean Department_FIN?" });
    expect(await refusal("AD_Entry", "guid-E1", "AllStaff")).toMatchObject({ subject: "role-or-resource-type", message: "AllStaff is a single role of HR_Person, not of AD_Entry" });
    expect(await refusal("HR_Persn", "E1", "AllStaff")).toMatchObject({ subject: "entity-type", message: "no entity type HR_Persn is deployed; did you mean HR_Person?" });
    expect(await refusal("HR_Person", "E9", "AllStaff")).toMatchObject({ subject: "key", message: "HR_Person has no resource with the key E9; did you mean E1?" });
  });
});
