/** The Expression / Binding forms (pure). */
import { describe, expect, it } from "vitest";
import { functionAsCSharp, literalValue, readExpressionForm } from "../../../src/domain/expressions/expression-forms.js";

describe("expression forms", () => {
  it("reads CEL (with the offset of its source in the value), Literal, Binding alone, C#, functions and the rest", () => {
    expect(readExpressionForm("CEL:resource.A", undefined)).toEqual({ kind: "cel", source: "resource.A", offset: 4, attribute: "Expression" });
    expect(readExpressionForm(undefined, "Manager.A")).toEqual({ kind: "cel", source: "resource.Manager.A", offset: -9, attribute: "Binding" });
    expect(readExpressionForm("Literal:x:y", "Ignored")).toEqual({ kind: "literal", value: "x:y" });
    expect(readExpressionForm("C#:p:return p.A;", undefined)).toEqual({ kind: "csharp", variable: "p", body: "return p.A;", offset: 5 });
    expect(readExpressionForm("C#:return 1;", undefined)).toEqual({ kind: "csharp", variable: undefined, body: "return 1;", offset: 3 });
    expect(readExpressionForm("C#:return:x;", undefined)).toEqual({ kind: "csharp", variable: undefined, body: "return:x;", offset: 3 });
    expect(readExpressionForm("ToUpper", "LastName")).toEqual({ kind: "function", name: "ToUpper", argument: undefined, binding: "LastName" });
    expect(readExpressionForm("ParseLocalDate:Romance Standard Time|dd/MM/yyyy", "D")).toEqual({ kind: "function", name: "ParseLocalDate", argument: "Romance Standard Time|dd/MM/yyyy", binding: "D" });
    expect(readExpressionForm("Simplify", undefined)).toEqual({ kind: "function", name: "Simplify", argument: undefined, binding: undefined });
    expect(readExpressionForm("resource.A", undefined)).toEqual({ kind: "unknown", text: "resource.A" });
    expect(readExpressionForm("", "")).toEqual({ kind: "none" });
  });

  it("writes a function form as the C# extension call it stands for", () => {
    const form = readExpressionForm('ParseLocalDate:Romance Standard Time|dd/MM/"yyyy"', "Contract.Start");
    expect(form.kind === "function" && functionAsCSharp(form, "Contract.Start")).toEqual({
      variable: "resource", body: 'return resource.Contract.Start.ParseLocalDate("Romance Standard Time|dd/MM/\\"yyyy\\"");',
    });
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
