/** The view and key index planners alone (no database): names checked per dialect, quoting, index names. */
import { describe, expect, it } from "vitest";
import type { EntityModel, PropertyModel, PropertyType } from "../../../src/domain/resources/entity-model.js";
import type { Dialect } from "../../../src/store/database-url.js";
import { declaredKeyIndexes } from "../../../src/domain/views/key-index-plan.js";
import { identifierProblem } from "../../../src/domain/views/sql-text.js";
import { planViews } from "../../../src/domain/views/view-plan.js";

const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
const target = (schema?: string) => ({ quote, schema });

function model(types: Record<string, [string, PropertyType, boolean?][]>, associations: [string, string, string][] = []): EntityModel {
  const entityTypes: EntityModel["entityTypes"] = new Map();
  for (const [identifier, properties] of Object.entries(types)) {
    const map = new Map<string, PropertyModel>(properties.map(([name, type, isKey]) => [name, { identifier: name, type, isKey: isKey ?? false }]));
    entityTypes.set(identifier, { identifier, properties: map });
  }
  const map: EntityModel["associations"] = new Map();
  for (const [identifier, one, two] of associations) {
    const end = (s: string) => ({ entityType: s.split(":")[0]!, property: s.split(":")[1]!, collection: false });
    map.set(identifier, { identifier, from: end(one), to: end(two) });
  }
  return { entityTypes, associations: map };
}

describe("identifierProblem", () => {
  it("measures PostgreSQL names in bytes and SQL Server names in characters", () => {
    expect(identifierProblem("postgres", "a".repeat(63))).toBeUndefined();
    expect(identifierProblem("postgres", "a".repeat(64))).toBe("64 bytes long; PostgreSQL names hold at most 63");
    expect(identifierProblem("postgres", "é".repeat(32))).toBe("64 bytes long; PostgreSQL names hold at most 63");
    expect(identifierProblem("mssql", "é".repeat(128))).toBeUndefined();
    expect(identifierProblem("mssql", "a".repeat(129))).toBe("129 characters long; SQL Server names hold at most 128");
    expect(identifierProblem("sqlite", "a".repeat(1000))).toBeUndefined();
  });
});

describe("planViews", () => {
  it("names each name the dialect cannot take", () => {
    const long = `T${"x".repeat(60)}`; // zz_ + 61 = 64 bytes
    const m = model({ [long]: [["Code", "String", true]], Short: [["P".repeat(130), "String"]] });
    expect(planViews(m, "postgres", target("s")).problems).toEqual([
      `the view of EntityType ${long} "zz_${long}" cannot be a postgres name: 64 bytes long; PostgreSQL names hold at most 63`,
      `column of EntityType Short "${"P".repeat(130)}" cannot be a postgres name: 130 bytes long; PostgreSQL names hold at most 63`,
    ]);
    expect(planViews(m, "mssql", target("dbo")).problems).toEqual([
      `column of EntityType Short "${"P".repeat(130)}" cannot be a mssql name: 130 characters long; SQL Server names hold at most 128`,
    ]);
    expect(planViews(m, "sqlite", target()).problems).toEqual([]);
  });

  it("refuses two views of the same name and a property no JSON path can name", () => {
    const m = model({ Same: [["Code", "String", true]], T: [['a"b', "String"]] }, [["same", "T:X", "Same:Y"]]);
    expect(planViews(m, "sqlite", target()).problems).toEqual([
      'EntityType T: property "a"b" has a double quote, a backslash or a control character, which a JSON path cannot name',
      "view zz_same of EntityAssociation same has the name of the view of EntityType Same",
    ]);
  });

  it("quotes names and escapes literals taken from the configuration", () => {
    const m = model({ "O'Brien": [["Select", "Int32"], ["Order", "String", true]] }, [["A'B", "O'Brien:Up", "O'Brien:Up"]]);
    const [view, association] = planViews(m, "sqlite", target()).views;
    expect(view!.sql).toContain(`json_extract(r."properties", '$."Order"') AS "Order"`);
    expect(view!.sql).toContain(`json_type(r."properties", '$."Select"')`);
    expect(view!.sql).toContain(`WHERE r."entity_type" = 'O''Brien'`);
    expect(view!.sql).toMatch(/^CREATE VIEW "zz_O'Brien" AS/);
    // Both ends have the same property name: qualified by their entity types.
    expect(association!.sql).toContain(`l."from_resource_id" AS "O'Brien_Up"`);
    expect(association!.sql).toContain(`WHERE l."association" = 'A''B'`);
    const [pgView] = planViews(m, "postgres", target('odd"schema')).views;
    expect(pgView!.sql).toMatch(/^CREATE VIEW "odd""schema"."zz_O'Brien" AS/);
    expect(pgView!.sql).toContain(`(r."properties"::jsonb ->> 'Order') AS "Order"`);
  });
});

describe("declaredKeyIndexes", () => {
  const names = (m: EntityModel, dialect: Dialect) => declaredKeyIndexes(m, dialect).indexes.map((i) => i.name);

  it("names an index after its key, cut and hashed when too long or ambiguous", () => {
    const long = `Type_${"x".repeat(70)}`;
    const m = model({ A_B: [["C", "String", true]], A: [["B_C", "String", true]], Unit: [["Code", "String", true], ["Name", "String"]], [long]: [["Key", "Int32", true]] });
    const pg = names(m, "postgres");
    expect(pg).toEqual([
      expect.stringMatching(/^IXC_A_B_C_[0-9a-f]{8}$/),
      expect.stringMatching(/^IXC_A_B_C_[0-9a-f]{8}$/),
      "IXC_Unit_Code",
      `IXC_${long.slice(0, 63 - 4 - 9)}_${pg[3]!.slice(-8)}`,
    ]);
    expect(new Set(pg).size).toBe(4);
    expect(Buffer.byteLength(pg[3]!)).toBe(63);
    expect(names(m, "postgres")).toEqual(pg); // stable
    expect(names(m, "mssql")[3]).toBe(`IXC_${long}_Key`);
    expect(names(m, "sqlite")[3]).toBe(`IXC_${long}_Key`);
  });

  it("indexes scalar keys only", () => {
    const m = model({ T: [["Code", "String", true], ["Number", "Int64", true], ["Blob", "Binary", true], ["Up", "ForeignKey", true], ["Other", "String"]] });
    expect(declaredKeyIndexes(m, "sqlite").indexes.map((i) => i.property)).toEqual(["Code", "Number"]);
  });
});
