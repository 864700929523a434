/**
 * BuildRoleModelTask through its handler, on the demo's configuration with a RoleMapping over its AD
 * groups: registered, did work then none, its Connector read, and Warning when a generated role
 * collides with a configured one.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttributeValue } from "../../src/config/coerce-attribute.js";
import { readGeneratedRoles } from "../../src/domain/rolemodel/generated-role-store.js";
import type { Store } from "../../src/store/store.js";
import buildRoleModel from "../../src/tasks/build-role-model.js";
import { handlerFor } from "../../src/tasks/registry.js";
import type { TaskSnapshot } from "../../src/tasks/task-handler.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../helpers/task-workspace.js";
import { deployDemo, GROUPS, loadDemoData } from "../domain/rolemodel/demo-role-model-fixture.js";

const task = (attributes: Record<string, AttributeValue> = {}): TaskSnapshot => taskSnapshot({ identifier: "BRM", type: "BuildRoleModelTask", attributes });
const MAPPING = `  <RoleMapping Identifier="AD_Groups" Policy="Default" Property="AD_Entry:memberOf" ResourceType="AD_Entry_NominativeUser" IdentifierBinding="sAMAccountName">
    <Rule><Item Property="sAMAccountName" Operator="StartWith" Value="GG_" /></Rule>
  </RoleMapping>
`;

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("BuildRoleModelTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ws: TaskWorkspace;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    ws = taskWorkspace({}, { store });
    await loadDemoData(store);
  });
  afterEach(async () => {
    await db.drop();
  });

  const deploy = (xml: string) => deployDemo(store, (roleModel) => roleModel.replace("</ConfigurationFile>", `${xml}</ConfigurationFile>`));

  it("is registered: a job runs it instead of ending task-not-implemented", () => {
    expect(handlerFor("BuildRoleModelTask")).toBe(buildRoleModel);
  });

  it("generates the roles of its connector's mappings once, then does no work", async () => {
    await deploy(MAPPING);
    const first = await buildRoleModel.run(ws.context, task({ Connector: "AD" }));
    expect(first).toMatchObject({ state: "Succeeded", didWork: true, counters: { mappings: 1, inserted: GROUPS.length, errors: 0 } });
    expect(await readGeneratedRoles(store)).toHaveLength(GROUPS.length);
    expect(await buildRoleModel.run(ws.context, task({ Connector: "AD" }))).toMatchObject({ state: "Succeeded", didWork: false });
  });

  it("ends Warning when a generated role would take a configured SingleRole's identifier", async () => {
    await deploy(`${MAPPING}  <SingleRole Identifier="GG_IT" DisplayName_L1="IT group" Policy="Default" EntityType="HR_Person" />\n`);
    const result = await buildRoleModel.run(ws.context, task());
    expect(result).toMatchObject({ state: "Warning", didWork: true, counters: { inserted: GROUPS.length - 1, collisions: 1, errors: 1 } });
    expect(result.message).toBe("1 role mapping warnings (see the log): a mapping that cannot run, a failed expression, a colliding role identifier");
    expect(ws.lines("Warning")).toHaveLength(1);
  });
});
