/**
 * The InternalResources package on real databases: orders of each change type written into the
 * resource store, mono- and multi-valued navigations, idempotence (a batch applied twice), Dirty,
 * IgnoreHistorization, and the orders it refuses, each alone, the rest of the batch committed.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FulfilOrder, FulfilPackage, OrderOutcome, ProvisioningOrder } from "../../../src/connectors/fulfil/fulfiller.js";
import { internalResourcesPackage, type InternalResourcesOptions } from "../../../src/domain/provisioning/internal-resources.js";
import { decodeProperties } from "../../../src/domain/resources/properties.js";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import type { Store } from "../../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { deployXml } from "../../helpers/deploy-xml.js";
import { configFile } from "../../helpers/temp-folder.js";

const MODEL = configFile(`  <EntityType Identifier="App_User" DisplayName_L1="User">
    <Property Identifier="Login" IsKey="true" />
    <Property Identifier="Mail" />
    <Property Identifier="Title" />
    <Property Identifier="Manager" Type="ForeignKey" />
    <Property Identifier="Reports" Type="ForeignKey" />
    <Property Identifier="Groups" Type="ForeignKey" />
  </EntityType>
  <EntityType Identifier="App_Group" DisplayName_L1="Group">
    <Property Identifier="Code" IsKey="true" />
    <Property Identifier="Members" Type="ForeignKey" />
  </EntityType>
  <EntityType Identifier="App_Badge" DisplayName_L1="Badge">
    <Property Identifier="Number" IsKey="true" />
    <Property Identifier="Color" />
  </EntityType>
  <EntityAssociation Identifier="App_User_Manager" Property1="App_User:Manager" Property2="App_User:Reports" IsProperty2Collection="true" />
  <EntityAssociation Identifier="App_User_Groups" Property1="App_User:Groups" IsProperty1Collection="true" Property2="App_Group:Members" IsProperty2Collection="true" />`);

const T0 = new Date("2026-01-02T03:04:05.000Z");
const ROUTE = { resourceType: "App_Account", connection: "Internal", packageName: "Usercube.FulfillDatabase@0000001", mappingKind: "ResourceTypeMapping", mapping: {} };

function order(changeType: ProvisioningOrder["ChangeType"], changes: Record<string, unknown>, over: Partial<ProvisioningOrder> = {}, target = "App_User"): ProvisioningOrder {
  return {
    AssignedResourceTypeId: "1", ChangeType: changeType, Owner: { Id: "100", Identifier: "owner-1" }, Changes: changes,
    ResourceType: { Id: "7", Identifier: "App_Account", SourceEntityType: null, TargetEntityType: { Id: "8", Identifier: target } }, ...over,
  };
}
const ref = (Id: number | string, Identifier = "") => ({ Id: String(Id), Identifier });

describe.each(BACKENDS)("InternalResources package on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let resources: ResourceStore;
  let id: Record<string, number>;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    await deployXml(store, { "model.xml": MODEL });
    resources = new ResourceStore(store.dataSource.manager);
    await resources.insertResources([
      ...["boss", "old.boss", "ann"].map((login) => ({ entityType: "App_User", connector: null, sourceKey: login, properties: { Login: login, Mail: `${login}@example.com`, Title: "Staff" } })),
      ...["sales", "it", "ops"].map((code) => ({ entityType: "App_Group", connector: null, sourceKey: code, properties: { Code: code } })),
    ], { at: T0, jobInstanceId: null });
    id = Object.fromEntries([...(await resources.idsByKeys("App_User", ["boss", "old.boss", "ann"])), ...(await resources.idsByKeys("App_Group", ["sales", "it", "ops"]))]);
    await resources.insertLinks([
      { association: "App_User_Manager", fromResourceId: id.ann!, toResourceId: id["old.boss"]! },
      { association: "App_User_Groups", fromResourceId: id.ann!, toResourceId: id.sales! },
      { association: "App_User_Groups", fromResourceId: id.ann!, toResourceId: id.it! },
    ], { at: T0, jobInstanceId: null });
  });
  afterEach(async () => {
    await db.drop();
  });

  function pkg(options: Partial<InternalResourcesOptions> = {}): FulfilPackage {
    return internalResourcesPackage({ store, dirty: false, ignoreHistorization: false, jobInstanceId: null, ...options });
  }

  async function apply(orders: ProvisioningOrder[], options: Partial<InternalResourcesOptions> = {}, signal = new AbortController().signal): Promise<OrderOutcome[]> {
    const fulfiller = await pkg(options).open(ROUTE, { settings: {}, workFolder: "/nonexistent", log: () => {} });
    const outcomes: OrderOutcome[] = [];
    try {
      const batch: FulfilOrder[] = orders.map((o, i) => ({ id: i + 1, order: o }));
      for await (const outcome of fulfiller.apply(batch, signal)) outcomes.push(outcome);
    } finally {
      await fulfiller.close();
    }
    return outcomes;
  }

  async function user(login: string) {
    const userId = (await resources.idsByKeys("App_User", [login])).get(login);
    const row = userId === undefined ? undefined : (await resources.resourcesByIds([userId]))[0];
    return row === undefined ? undefined : { id: row.id, connector: row.connector, dirty: row.dirty, properties: decodeProperties(row.properties) };
  }

  async function links(association: string): Promise<[number, number][]> {
    const all: [number, number][] = [];
    for await (const page of resources.links(association)) all.push(...page.map((l): [number, number] => [l.fromResourceId, l.toResourceId]));
    return all;
  }

  it("handles the FulfillDatabase package names only", () => {
    expect(pkg().handles("Usercube.FulfillDatabase@0000001")).toBe(true);
    expect(pkg().handles("Usercube.FulfillDatabase")).toBe(true);
    expect(pkg().handles("Usercube.FulfillDatabaseX@0000001")).toBe(false);
    expect(pkg().handles("Usercube.CSV@0000001")).toBe(false);
  });

  it("creates an Added resource under its key property's value with its properties and links, and finds it there the second time", async () => {
    const added = order("Added", { Login: "bob", Mail: "bob@example.com", Title: null, Manager: ref(id.boss!), Groups_add: [ref(id.ops!), ref("", "it")] });

    expect(await apply([added])).toEqual([{ id: 1, state: "Executed", message: "created App_User bob" }]);
    const bob = (await user("bob"))!;
    expect(bob).toEqual({ id: bob.id, connector: null, dirty: false, properties: { Login: "bob", Mail: "bob@example.com" } });
    expect(await links("App_User_Manager")).toContainEqual([bob.id, id.boss]);
    expect((await links("App_User_Groups")).filter(([from]) => from === bob.id)).toEqual([[bob.id, id.it], [bob.id, id.ops]]);

    expect(await apply([added])).toEqual([{ id: 1, state: "Executed", message: "already applied", alreadyApplied: true }]);
    expect((await resources.countResources(["App_User"])).get("App_User")).toBe(4);
    expect((await links("App_User_Groups")).filter(([from]) => from === bob.id)).toHaveLength(2);
  });

  it("keys an Added resource whose key property the order leaves out by its owner's Identifier, and sets one already under its key to the order's values", async () => {
    expect(await apply([order("Added", { Color: "red" }, {}, "App_Badge")])).toEqual([{ id: 1, state: "Executed", message: "created App_Badge owner-1" }]);
    const badgeId = (await resources.idsByKeys("App_Badge", ["owner-1"])).get("owner-1")!;
    expect(decodeProperties((await resources.resourcesByIds([badgeId]))[0]!.properties)).toEqual({ Number: "owner-1", Color: "red" });

    expect(await apply([order("Added", { Login: "ann", Title: "Chief", Manager: ref(id.boss!) })]))
      .toEqual([{ id: 1, state: "Executed", message: "App_User ann was already there: set to the order's values" }]);
    expect((await user("ann"))!.properties).toEqual({ Login: "ann", Mail: "ann@example.com", Title: "Chief" });
    expect((await links("App_User_Manager")).filter(([from]) => from === id.ann)).toEqual([[id.ann, id.boss]]);
  });

  it("sets a Modified target's changed properties, replaces its manager, adds and ends group links, archiving what it replaces", async () => {
    const modified = order("Modified", { Title: "Lead", Mail: null, Manager: ref(id.boss!), Groups_add: [ref(id.ops!)], Groups_remove: [ref(id.sales!)] }, { Resource: { Id: String(id.ann) } });

    expect(await apply([modified])).toEqual([{ id: 1, state: "Executed", message: "updated App_User ann" }]);
    expect((await user("ann"))!.properties).toEqual({ Login: "ann", Title: "Lead" });
    expect((await links("App_User_Manager")).filter(([from]) => from === id.ann)).toEqual([[id.ann, id.boss]]);
    expect((await links("App_User_Groups")).filter(([from]) => from === id.ann).sort()).toEqual([[id.ann, id.it], [id.ann, id.ops]].sort());
    const history = await resources.history(id.ann!);
    expect(history.map((h) => decodeProperties(h.properties))).toEqual([{ Login: "ann", Mail: "ann@example.com", Title: "Staff" }]);
    expect((await resources.linkHistory(id.ann!)).map((l) => [l.association, l.toResourceId]).sort())
      .toEqual([["App_User_Groups", id.sales], ["App_User_Manager", id["old.boss"]]].sort());

    expect(await apply([modified])).toEqual([{ id: 1, state: "Executed", message: "already applied", alreadyApplied: true }]);
    expect(await resources.history(id.ann!)).toHaveLength(1);
  });

  it("clears a mono-valued navigation set to null", async () => {
    expect(await apply([order("Modified", { Manager: null }, { Resource: { Id: String(id.ann) } })])).toEqual([{ id: 1, state: "Executed", message: "updated App_User ann" }]);
    expect(await links("App_User_Manager")).toEqual([]);
  });

  it("deletes a Deleted target with its links, and finds it gone the second time", async () => {
    const deleted = order("Deleted", {}, { Resource: { Id: String(id.ann) } });
    expect(await apply([deleted])).toEqual([{ id: 1, state: "Executed", message: "deleted App_User ann" }]);
    expect(await user("ann")).toBeUndefined();
    expect(await links("App_User_Groups")).toEqual([]);
    expect(await resources.history(id.ann!)).toHaveLength(1);

    expect(await apply([deleted])).toEqual([{ id: 1, state: "Executed", message: "already deleted", alreadyApplied: true }]);
  });

  it("flags what it writes dirty under Dirty, a change of links alone included, and leaves the flag alone otherwise", async () => {
    await apply([
      order("Added", { Login: "bob" }),
      order("Modified", { Title: "Lead" }, { Resource: { Id: String(id.ann) } }),
      order("Modified", { Groups_add: [ref(id.ops!)] }, { Resource: { Id: String(id.boss) } }),
    ], { dirty: true });
    expect([(await user("bob"))!.dirty, (await user("ann"))!.dirty, (await user("boss"))!.dirty, (await user("old.boss"))!.dirty]).toEqual([true, true, true, false]);

    await apply([order("Added", { Login: "carl" }), order("Modified", { Title: "Staff" }, { Resource: { Id: String(id["old.boss"]) } })]);
    expect((await user("carl"))!.dirty).toBe(false);
    expect((await user("ann"))!.dirty).toBe(true);
  });

  it("writes no history under IgnoreHistorization", async () => {
    const outcomes = await apply([
      order("Modified", { Title: "Lead", Manager: ref(id.boss!), Groups_remove: [ref(id.sales!)] }, { Resource: { Id: String(id.ann) } }),
      order("Deleted", {}, { Resource: { Id: String(id["old.boss"]) } }),
    ], { ignoreHistorization: true });
    expect(outcomes.map((o) => o.state)).toEqual(["Executed", "Executed"]);
    expect((await user("ann"))!.properties.Title).toBe("Lead");
    expect(await user("old.boss")).toBeUndefined();
    expect([await resources.history(id.ann!), await resources.history(id["old.boss"]!), await resources.linkHistory(id.ann!)]).toEqual([[], [], []]);
  });

  it("refuses an order alone, rolling back what it had written, while the rest of the batch commits", async () => {
    const outcomes = await apply([
      order("Modified", { Nickname: "x" }, { Resource: { Id: String(id.ann) } }),
      order("Added", { Code: "new" }, {}, "App_Unknown"),
      order("Added", { Login: "bob" }, { ResourceType: { Id: "7", Identifier: "App_Account", SourceEntityType: null, TargetEntityType: null } }),
      order("Modified", { Title: "Lead" }, { Resource: { Id: "999999" } }),
      order("Added", { Login: "dan", Manager: ref(999999, "nobody") }),
      order("Modified", { Groups: [ref(id.ops!)] }, { Resource: { Id: String(id.ann) } }),
      order("Added", { Login: "eve" }),
    ]);
    expect(outcomes).toEqual([
      { id: 1, state: "Errored", message: "entity type App_User has no property Nickname" },
      { id: 2, state: "Errored", message: "target entity type App_Unknown is not deployed" },
      { id: 3, state: "Errored", message: "resource type App_Account has no target entity type to write" },
      { id: 4, state: "Errored", message: "target resource 999999 does not exist" },
      { id: 5, state: "Errored", message: 'Manager: no App_User resource with Id "999999" or Identifier "nobody"' },
      { id: 6, state: "Errored", message: "Groups of entity type App_User is multi-valued: write Groups_add and Groups_remove" },
      { id: 7, state: "Executed", message: "created App_User eve" },
    ]);
    expect(await user("dan")).toBeUndefined();
    expect(await user("eve")).toBeDefined();
  });

  it("applies nothing once the signal has aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await apply([order("Added", { Login: "bob" })], {}, controller.signal)).toEqual([]);
    expect(await user("bob")).toBeUndefined();
  });
});
