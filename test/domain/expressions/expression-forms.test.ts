/** The Expression / Binding forms (pure) and the C# → CEL mapping validation hints with. */
import { describe, expect, it } from "vitest";
import { csharpToCel, literalValue, readExpressionForm } from "../../../src/domain/expressions/expression-forms.js";

describe("expression forms", () => {
  it("reads CEL (with the offset of its source in the value), Literal, Binding alone, C#, functions and the rest", () => {
    expect(readExpressionForm("CEL:resource.A", undefined)).toEqual({ kind: "cel", source: "resource.A", offset: 4, attribute: "Expression" });
    expect(readExpressionForm(undefined, "Manager.A")).toEqual({ kind: "cel", source: "resource.Manager.A", offset: -9, attribute: "Binding" });
    expect(readExpressionForm("Literal:x:y", "Ignored")).toEqual({ kind: "literal", value: "x:y" });
    expect(readExpressionForm("C#:p:return p.A;", undefined)).toEqual({ kind: "csharp", body: "return p.A;", cel: "CEL:resource.A" });
    expect(readExpressionForm("C#:return 1;", undefined)).toEqual({ kind: "csharp", body: "return 1;", cel: undefined });
    expect(readExpressionForm("ToUpper", "LastName")).toEqual({ kind: "function", name: "ToUpper", cel: "CEL:upper(resource.LastName)" });
    expect(readExpressionForm("ParseUniversalDate:yyyy-MM-dd", "D")).toEqual({ kind: "function", name: "ParseUniversalDate", cel: undefined });
    expect(readExpressionForm("resource.A", undefined)).toEqual({ kind: "unknown", text: "resource.A" });
    expect(readExpressionForm("", "")).toEqual({ kind: "none" });
  });

  it("maps simple C# concatenations with ToLower/ToUpper/Trim to CEL, and nothing else", () => {
    expect(csharpToCel("p", `return p.LastName + " " + p.FirstName;`)).toBe(`CEL:resource.LastName + " " + resource.FirstName`);
    expect(csharpToCel("u", ` return u.FirstName.ToLower().Trim() + "." + u.Manager.LastName.ToUpperInvariant() ; `))
      .toBe(`CEL:resource.FirstName.lower().trim() + "." + resource.Manager.LastName.upper()`);
    expect(csharpToCel("p", `return "a + b" + p.X;`)).toBe(`CEL:"a + b" + resource.X`);
    expect(csharpToCel("p", `return p.X.Substring(1);`)).toBeUndefined();
    expect(csharpToCel("p", `return q.X;`)).toBeUndefined();
    expect(csharpToCel("p", `var x = p.X; return x;`)).toBeUndefined();
    expect(csharpToCel("p", `return p.X + ;`)).toBeUndefined();
  });

  it("types literals as their property", () => {
    expect(literalValue("42", "Int32")).toBe(42);
    expect(literalValue("1.5", "Double")).toBe(1.5);
    expect(literalValue("TRUE", "Bool")).toBe(true);
    expect(literalValue(" x ", "String")).toBe(" x ");
    expect(() => literalValue("1.5", "Int64")).toThrow("Literal:1.5 is not a Int64");
    expect(() => literalValue("yes", "Bool")).toThrow(/not a Bool/);
  });
});
