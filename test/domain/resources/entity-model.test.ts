import { afterEach, describe, expect, it } from "vitest";
import { readEntityModel } from "../../../src/domain/resources/entity-model.js";
import { deployDemo } from "../../helpers/demo-data.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";

describe.each(BACKENDS)("readEntityModel on %s", (_, backend) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it("reads the demo's entity types with typed properties and both ends of each association", async () => {
    db = await backend.create("entity-model");
    const store = await db.open();
    await deployDemo(store);
    const model = await readEntityModel(store);

    const person = model.entityTypes.get("HR_Person")!;
    expect(person.properties.get("EmployeeId")).toMatchObject({ type: "String", isKey: true });
    expect(person.properties.get("ContractStartDate")?.type).toBe("DateTime");
    expect(person.properties.get("InternalDisplayName")).toMatchObject({ type: "String", isKey: false });
    // HR_Person_Manager links (manager, employee): the employee reaches one manager, the manager many reports.
    expect(person.properties.get("Manager")?.navigation).toEqual({ association: "HR_Person_Manager", end: "to", target: "HR_Person", inverse: "DirectReports", collection: false });
    expect(person.properties.get("DirectReports")?.navigation).toEqual({ association: "HR_Person_Manager", end: "from", target: "HR_Person", inverse: "Manager", collection: true });
    expect(model.entityTypes.get("HR_Department")!.properties.get("Members")?.navigation)
      .toEqual({ association: "HR_Person_Department", end: "from", target: "HR_Person", inverse: "Department", collection: true });
    expect(model.associations.get("HR_Person_Department")).toEqual({
      identifier: "HR_Person_Department",
      from: { entityType: "HR_Department", property: "Members", collection: true },
      to: { entityType: "HR_Person", property: "Department", collection: false },
    });
  });
});
