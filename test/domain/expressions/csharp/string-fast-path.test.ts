/** String-building C# bodies as closures: the interpreter's results, and the interpreter for anything else. */
import { describe, expect, it } from "vitest";
import { compileStringBody, FALLBACK } from "../../../../src/domain/expressions/csharp/string-fast-path.js";
import { compileBody } from "../../../../src/domain/expressions/csharp/compiler.js";
import { compileCSharp } from "../../../../src/domain/expressions/csharp/compile-csharp.js";
import { parseCSharp } from "../../../../src/domain/expressions/csharp/syntax.js";
import { MODEL } from "./csharp-fixture.js";

const resource = (values: Record<string, unknown>) => new Map(Object.entries(values)) as never;
const strings = (body: string) => compileStringBody(parseCSharp(body), "person", MODEL, "Person");

/** The interpreter alone: the compiled body, as compileCSharp ran it before the closures. */
function interpreted(body: string, values: Record<string, unknown>): unknown {
  const compiled = compileBody(parseCSharp(body), "person", MODEL, "Person");
  const locals = new Array(compiled.slots).fill(null);
  locals[0] = resource(values);
  return compiled.run!({ locals, steps: 0, iteration: 0n });
}

const PEOPLE = [
  { FirstName: "Élodie", LastName: "Müller", Login: "EMuller" },
  { FirstName: "  Ann ", LastName: "O'Hara-Dvořák", Login: "ANN" },
  { FirstName: "", LastName: "Strauß Øre", Login: "ß" },
];

describe("C# string bodies as closures", () => {
  it.each([
    "return person.LastName + \" \" + person.FirstName;",
    "return person.Login.ToLowerInvariant();",
    "return person.FirstName.ToLowerInvariant().RemoveDiacritics() + \".\" + person.LastName.ToLowerInvariant().RemoveDiacritics() + \"@example.com\";",
    "return (person.LastName.ToUpper() + person.Login.ToLower()).ToUpperInvariant();",
  ])("gives what the interpreter gives: %s", (body) => {
    const closure = strings(body);
    expect(closure).toBeTypeOf("function");
    for (const values of PEOPLE) expect(closure!(resource(values))).toBe(interpreted(body, values));
  });

  it.each([
    "return person.StartDate + \"x\";",
    "return person.Age + \"x\";",
    "return person.Manager.LastName;",
    "return person?.LastName;",
    "return person.LastName.Trim();",
    "return person.LastName.Substring(1);",
    "return \"a\\tb\" + person.LastName;",
    "return person.LastName == null ? \"\" : person.LastName;",
    "var x = person.LastName; return x;",
    "return $\"{person.LastName}\";",
    "return person.Unknown + \"x\";",
  ])("leaves the rest to the interpreter: %s", (body) => {
    expect(strings(body)).toBeUndefined();
  });

  it("gives up on a value that is not a string, a missing one included; compileCSharp then answers as the interpreter", () => {
    const body = "return person.LastName + person.FirstName.ToLowerInvariant();";
    expect(() => strings(body)!(resource({ LastName: "a" }))).toThrow(FALLBACK);
    const { program } = compileCSharp("person", body, { model: MODEL, entityType: "Person" });
    expect(program!.evaluate(resource({ LastName: "A", FirstName: "B" }))).toEqual({ ok: true, value: "Ab" });
    // C#: null + "x" is "x", and null.ToLowerInvariant() a NullReferenceException.
    expect(program!.evaluate(resource({ FirstName: "B" }))).toEqual({ ok: true, value: "b" });
    expect(program!.evaluate(resource({ LastName: "A" }))).toMatchObject({ ok: false, error: expect.stringMatching(/^NullReferenceException/) });
  });

  it("refuses a chain of + beyond its depth bound", () => {
    const chain = (n: number) => `return ${Array.from({ length: n }, () => "person.Login").join(" + ")};`;
    expect(strings(chain(50))!(resource({ Login: "a" }))).toBe("a".repeat(50));
    expect(strings(chain(150))).toBeUndefined();
  });
});
