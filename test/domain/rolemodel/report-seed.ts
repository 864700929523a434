/**
 * Assignments and orders for the report tests (assignment-report, order-report, the CLI), written
 * through the assignment store API over the role-model fixture: p1 holds a context, an inferred
 * composite and a rule-made single role, a correlated AD account with scalar and navigation values
 * and a risk; p2 an account still to create; p3 nothing.
 */
import { ruleColumns, type NewOrder, type NewResourceType, type NewValueOfType } from "../../../src/domain/rolemodel/assignment-rows.js";
import { AssignmentStore } from "../../../src/domain/rolemodel/assignment-store.js";
import type { Store } from "../../../src/store/store.js";
import { BY_EMPLOYEE_ID, deployRoleModel, insertResources, MODEL_XML, ruleLines, T0 } from "./role-model-fixture.js";

export const T_END = new Date("2027-01-01T00:00:00.000Z");
/** The line of model.xml the fixture's ResourceType AD_Account is written on: the rule children's source. */
export const AD_ACCOUNT_LINE = 3 + MODEL_XML.split("\n").length;

const provenance = { origin: "rule" as const, workflowState: "PolicyApproved" as const, validFrom: T0, validTo: null };

function value(property: string, kind: NewValueOfType["kind"], policyValue: string | null, over: Partial<NewValueOfType> = {}): NewValueOfType {
  // Written without file: the report finds the rule child's ResourceType among the deployed items.
  return {
    property, kind, provisioningState: "Pending", changeType: null, confidence: null, questioned: false, ...provenance,
    ...ruleColumns({ kind: kind === "scalar" ? "ScalarRule" : "NavigationRule", identifier: `AD_Account/${kind === "scalar" ? "ScalarRule" : "NavigationRule"}#1` }),
    policyValue, currentValue: null, ...over,
  };
}

function account(ownerId: number, over: Partial<NewResourceType>): NewResourceType {
  return {
    ownerId, resourceType: "AD_Account", targetId: null, correlationRule: null, confidence: null, provisioningState: "Pending", changeType: null, heldBack: null,
    ...provenance, ...ruleColumns({ kind: "TypeRule", identifier: "AD_Account/TypeRule#1", file: "RoleModel/AD.xml", line: 12 }), parameters: null, values: [], ...over,
  };
}

export interface Seeded {
  ids: Map<string, Map<string, number>>;
  /** The identifier of the correlation rule BY_EMPLOYEE_ID (RoleModel/Rules.xml:4). */
  correlationRule: string;
  /** idm_assigned_resource_types ids: p1's account and p2's. */
  accounts: { p1: number; p2: number };
}

export async function seedAssignments(store: Store): Promise<Seeded> {
  await deployRoleModel(store, [BY_EMPLOYEE_ID]);
  const ids = await insertResources(store, {
    departments: ["SALES"],
    people: [{ login: "p1", employeeId: "E1", department: "SALES" }, { login: "p2" }, { login: "p3" }],
    accounts: [{ name: "ada.l", employeeId: "E1" }, { name: "grp_sales" }, { name: "grp_old" }],
  });
  const person = (login: string) => ids.get("HR_Person")!.get(login)!;
  const ad = (name: string) => ids.get("AD_Entry")!.get(name)!;
  const [correlationRule] = [...(await ruleLines(store, "ResourceCorrelationRule")).keys()];
  const assignments = new AssignmentStore(store.dataSource.manager);
  const context = { at: T0, jobInstanceId: 1 };
  const result = await assignments.writeDelta({
    contexts: {
      insert: [{
        ownerId: person("p1"), dimensions: JSON.stringify({ Department: "SALES" }), ...provenance, validTo: T_END,
        ...ruleColumns({ kind: "ContextRule", identifier: "Ctx_Person", file: "RoleModel/Context.xml", line: 3 }),
      }],
    },
    roles: {
      insert: [
        { ownerId: person("p1"), role: "Employee", kind: "composite", ...provenance, ...ruleColumns({ kind: "CompositeRoleRule", identifier: "Employee_All", file: "RoleModel/Roles.xml", line: 7 }), parameters: null },
        { ownerId: person("p1"), role: "Sales_Reader", kind: "single", ...provenance, origin: "inferred", ...ruleColumns({ kind: "SingleRoleRule", identifier: "Sales_Reader_Rule", file: "RoleModel/Roles.xml", line: 9 }), parameters: null },
        { ownerId: person("p1"), role: "Auditor", kind: "single", ...provenance, origin: "manual", workflowState: "Approved", ...ruleColumns(null), parameters: null },
      ],
    },
    resourceTypes: {
      insert: [
        account(person("p1"), {
          targetId: ad("ada.l"), correlationRule: correlationRule!, confidence: 120, changeType: "Modified",
          values: [
            value("mail", "scalar", "p1@example.com", { currentValue: "old@example.com" }),
            value("memberOf", "navigation", String(ad("grp_sales"))),
            value("memberOf", "navigation", String(ad("grp_old")), { changeType: "Deleted" }),
            value("description", "scalar", "kept", { currentValue: "kept", provisioningState: "Verified" }),
          ],
        }),
        account(person("p2"), { changeType: "Added", values: [value("sAMAccountName", "scalar", "p2")] }),
      ],
    },
    risks: {
      insert: [{ ownerId: person("p1"), risk: "Sales_And_Audit", ruleIndex: 0, ...provenance, ...ruleColumns({ kind: "Risk", identifier: "Sales_And_Audit", file: "RoleModel/Risks.xml", line: 5 }) }],
    },
  }, context);
  const [p1, p2] = result.resourceTypeIds;
  return { ids, correlationRule: correlationRule!, accounts: { p1: p1!, p2: p2! } };
}

/** Orders as GenerateProvisioningOrdersTask records them: p2's account written to a file, p1's blocked. */
export async function seedOrders(store: Store, seeded: Seeded): Promise<void> {
  const person = (login: string) => seeded.ids.get("HR_Person")!.get(login)!;
  const order = (over: Partial<NewOrder>): NewOrder => ({
    assignedResourceTypeId: seeded.accounts.p2, resourceType: "AD_Account", connector: "AD", changeType: "Added", ownerId: person("p2"), targetId: null, state: "applied",
    orderFile: "ProvisioningOrders/AD/AD_Account-7-0001.json", createdAt: T0, jobInstanceId: 7, decision: null, decidedBy: null, decidedAt: null, decisionComment: null,
    changes: JSON.stringify({ sAMAccountName: "p2" }), ...over,
  });
  await new AssignmentStore(store.dataSource.manager).insertOrders([
    order({}),
    order({
      assignedResourceTypeId: seeded.accounts.p1, changeType: "Modified", ownerId: person("p1"), targetId: seeded.ids.get("AD_Entry")!.get("ada.l")!, state: "blocked", orderFile: null,
      changes: JSON.stringify({ mail: "p1@example.com" }),
    }),
  ]);
}
