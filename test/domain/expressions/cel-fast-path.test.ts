/** String-building CEL expressions as closures: the interpreter's results, and the interpreter for anything else. */
import { isCelError, parse, plan } from "@bufbuild/cel";
import { describe, expect, it } from "vitest";
import { expressionEnvironment } from "../../../src/domain/expressions/cel-environment.js";
import { compileStringExpression, FALLBACK } from "../../../src/domain/expressions/cel-fast-path.js";
import { compileValue } from "../../../src/domain/expressions/compile-expressions.js";
import type { EntityModel } from "../../../src/domain/resources/entity-model.js";

const resource = (values: Record<string, unknown>) => new Map(Object.entries(values)) as never;

function interpreted(source: string, values: Record<string, unknown>): unknown {
  const result = plan(expressionEnvironment(), parse(source))({ resource: resource(values) });
  return isCelError(result) ? `error: ${result.message}` : result;
}

const PEOPLE = [
  { FirstName: "Élodie", LastName: "Müller", Login: "EMuller" },
  { FirstName: "  Ann ", LastName: "O'Hara-Dvořák", Login: "ANN" },
  { FirstName: "", LastName: "ẞtraße", Login: "x" },
];

describe("CEL string expressions as closures", () => {
  it.each([
    "resource.LastName + \" \" + resource.FirstName",
    "lower(resource.Login)",
    "normalize(lower(resource.FirstName)) + \".\" + normalize(lower(resource.LastName)) + \"@example.com\"",
    "resource.LastName.upper() + trim(resource.FirstName) + resource.FirstName.normalize().lower()",
    "'literal'",
  ])("gives what the interpreter gives: %s", (source) => {
    const strings = compileStringExpression(parse(source));
    expect(strings).toBeTypeOf("function");
    for (const values of PEOPLE) expect(strings!(resource(values))).toBe(interpreted(source, values));
  });

  it.each([
    "resource.FirstName == 'Ann' ? 'a' : 'b'",
    "resource.Manager.LastName",
    "resource.FirstName.trim()",
    "size(resource.FirstName)",
    "resource.Age + 1",
    "has(resource.FirstName) ? resource.FirstName : ''",
    "substring(resource.Login, 1)",
    "lower(resource.FirstName, resource.LastName)",
    "resource.Reports.map(r, r.LastName).join(',')",
  ])("leaves the rest to the interpreter: %s", (source) => {
    expect(compileStringExpression(parse(source))).toBeUndefined();
  });

  it("gives up on a value that is not a string, a missing one included", () => {
    const strings = compileStringExpression(parse("resource.A + lower(resource.B)"))!;
    expect(() => strings(resource({ A: "a" }))).toThrow(FALLBACK);
    expect(() => strings(resource({ A: "a", B: 42n }))).toThrow(FALLBACK);
    expect(() => strings(resource({ A: new Map(), B: "b" }))).toThrow(FALLBACK);
  });

  it("compiles a deep chain of + without overflowing, and refuses one beyond its depth bound", () => {
    const chain = (n: number) => Array.from({ length: n }, () => "resource.A").join(" + ");
    expect(compileStringExpression(parse(chain(50)))!(resource({ A: "a" }))).toBe("a".repeat(50));
    expect(compileStringExpression(parse(chain(150)))).toBeUndefined();
  });

  it("evaluates through compileValue as the interpreter does where it gives up: no value for a missing property, CEL's error otherwise", () => {
    const model: EntityModel = {
      entityTypes: new Map([["P", { identifier: "P", properties: new Map([["Name", { identifier: "Name", type: "String" }], ["Age", { identifier: "Age", type: "Int32" }]]) }]]),
    } as unknown as EntityModel;
    const value = (source: string) => compileValue({ label: "test", entityType: "P", form: { kind: "cel", source, offset: 0, attribute: "Expression" }, type: "String", model });
    const { evaluate } = value("resource.Name + '!'");
    expect(evaluate(resource({ Name: "Ann" }))).toEqual({ ok: true, value: "Ann!" });
    expect(evaluate(resource({}))).toEqual({ ok: true, value: undefined });
    const mixed = value("resource.Name + lower(resource.Name)").evaluate(resource({ Name: 7n }));
    expect(mixed).toEqual({ ok: false, message: String(interpreted("resource.Name + lower(resource.Name)", { Name: 7n })).replace(/^error: /, "") });
  });
});
