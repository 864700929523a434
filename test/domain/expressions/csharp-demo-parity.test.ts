// The demo's computed properties written in C# give what their CEL versions give, on the demo's
// 3,000 people (names with accents, hyphens and spaces), with and without a department.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configurationEntityModel } from "../../../src/config/check-expressions.js";
import { validateFolder } from "../../../src/config/validate-folder.js";
import { compileExpression, type CompiledExpression, type ResourceObject } from "../../../src/domain/expressions/compile-expressions.js";
import { readCsv } from "../../helpers/demo-data.js";
import { DEMO } from "../../helpers/idm-process.js";

const CSHARP: Record<string, string> = {
  HR_Person_InternalDisplayName: `C#:person:return person.LastName + " " + person.FirstName + (person.Department != null ? " (" + person.Department.Name + ")" : "");`,
  HR_Person_Login: `C#:person:return (person.FirstName.Substring(0, 1) + person.LastName).ToLowerInvariant().RemoveDiacritics().Replace(" ", "").Replace("-", "");`,
  HR_Person_WorkEmail: `C#:person:return person.Login + "." + person.EmployeeId.ToLowerInvariant() + "@demo.local";`,
  HR_Department_InternalDisplayName: `C#:d:return d.Name + " (" + d.Code + ")";`,
};

describe("the demo's expressions in C#", () => {
  const result = validateFolder(DEMO);
  const model = configurationEntityModel(result.configuration.models);
  const elements = result.configuration.models.filter((m) => m.spec.name === "EntityPropertyExpression");

  /** Per entity type, the expressions in evaluation order (Priority, then identifier), CEL as written or C# from the table. */
  function compiled(language: "cel" | "csharp", entityType: string): CompiledExpression[] {
    return elements
      .filter((e) => e.attributes.EntityType === entityType)
      .map((e) => {
        const identifier = String(e.attributes.Identifier);
        const attributes = language === "cel" ? e.attributes : { ...e.attributes, Expression: CSHARP[identifier]! };
        return compileExpression(identifier, entityType, attributes, model, "").expression;
      })
      .sort((a, b) => a.priority - b.priority || (a.identifier < b.identifier ? -1 : 1));
  }

  function computeAll(expressions: CompiledExpression[], resource: ResourceObject): Record<string, unknown> {
    const computed: Record<string, unknown> = {};
    for (const expression of expressions) {
      const evaluation = expression.evaluate(resource);
      expect(evaluation, expression.identifier).toMatchObject({ ok: true });
      if (!evaluation.ok) continue;
      computed[expression.property] = evaluation.value;
      if (evaluation.value !== undefined) resource.set(expression.property, evaluation.value);
    }
    return computed;
  }

  it("covers every expression of the demo", () => {
    expect(elements.map((e) => String(e.attributes.Identifier)).sort()).toEqual(Object.keys(CSHARP).sort());
  });

  it("computes the same properties for every person and department", () => {
    const [header, ...rows] = readCsv(join(DEMO, "data", "HRPeople.csv"));
    const column = (name: string) => header!.indexOf(name);
    const departments = new Map<string, ResourceObject>();
    for (const code of new Set(rows.map((r) => r[column("department_code")]!).filter((c) => c !== ""))) {
      departments.set(code, new Map([["Code", code], ["Name", `Département ${code.toLowerCase()}`]]));
    }
    const person = (row: string[]): ResourceObject => {
      const resource: ResourceObject = new Map([["EmployeeId", row[column("employee_id")]!], ["FirstName", row[column("first_name")]!], ["LastName", row[column("last_name")]!]]);
      const department = departments.get(row[column("department_code")]!);
      if (department) resource.set("Department", new Map(department));
      return resource;
    };
    const [cel, csharp] = [compiled("cel", "HR_Person"), compiled("csharp", "HR_Person")];
    expect(rows.length).toBeGreaterThan(2000);
    const differences = rows.map((row) => [computeAll(cel, person(row)), computeAll(csharp, person(row))]).filter(([a, b]) => JSON.stringify(a) !== JSON.stringify(b));
    expect(differences).toEqual([]);
    const [celDepartment, csharpDepartment] = [compiled("cel", "HR_Department"), compiled("csharp", "HR_Department")];
    for (const department of departments.values()) expect(computeAll(csharpDepartment, new Map(department))).toEqual(computeAll(celDepartment, new Map(department)));
  });
});
