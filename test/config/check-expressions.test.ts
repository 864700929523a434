/**
 * Validation of EntityPropertyExpression (config/check-expressions.ts): the target property, one
 * expression per property, synchronized vs computed, and CEL and C# checked at `idm validate` time
 * with positions inside the attribute value.
 */
import { describe, expect, it } from "vitest";
import type { Problem } from "../../src/config/problems.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";

const MODEL = [
  `  <Agent Identifier="Local" DisplayName_L1="Local agent"/>`,
  `  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local"/>`,
  `  <Connection Identifier="HRPeople" DisplayName_L1="People" Connector="HR" Package="Usercube.CSV@0000001"/>`,
  `  <EntityType Identifier="HR_Person">`,
  `    <Property Identifier="EmployeeId" IsKey="true"/>`,
  `    <Property Identifier="FirstName"/>`,
  `    <Property Identifier="LastName"/>`,
  `    <Property Identifier="Age" Type="Int32"/>`,
  `    <Property Identifier="Mail"/>`,
  `    <Property Identifier="Title"/>`,
  `    <Property Identifier="Manager" Type="ForeignKey"/>`,
  `    <Property Identifier="Reports" Type="ForeignKey"/>`,
  `  </EntityType>`,
  `  <EntityTypeMapping Identifier="HR_Person" Connector="HR" ConnectionTable="HRPeople">`,
  `    <Property Identifier="EmployeeId" ConnectionColumn="id" IsPrimaryKey="true"/>`,
  `    <Property Identifier="LastName" ConnectionColumn="last"/>`,
  `  </EntityTypeMapping>`,
  `  <EntityAssociation Identifier="HR_Person_Manager" Property1="HR_Person:Reports" IsProperty1Collection="true" Property2="HR_Person:Manager"/>`,
].join("\n");

/** The problems of the model plus `body` (which starts on line 3 of its own file, b.xml). */
function problemsOf(body: string): Problem[] {
  return validateFolder(writeFolder({ "a.xml": configFile(MODEL), "b.xml": configFile(body) })).problems;
}

/** Line and column of the first `text` of `body` (as problemsOf writes it, from line 3). */
function at(body: string, text: string): { file: string; line: number; column: number } {
  const lines = body.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const column = lines[i]!.indexOf(text);
    if (column !== -1) return { file: "b.xml", line: i + 3, column: column + 1 };
  }
  throw new Error(`${text} is not in the body`);
}

const lineColumn = ({ line, column }: { line: number; column: number }) => ({ line, column });

const expression = (id: string, property: string, attributes: string) =>
  `  <EntityPropertyExpression Identifier="${id}" EntityType="HR_Person" Property="${property}" ${attributes}/>`;

describe("EntityPropertyExpression validation", () => {
  it("accepts CEL with helpers and navigations, Literal and Binding forms, and InternalDisplayName", () => {
    const body = [
      expression("A", "InternalDisplayName", `Expression="CEL:resource.LastName + &quot; &quot; + (has(resource.FirstName) ? resource.FirstName : &quot;&quot;)"`),
      expression("B", "Mail", `Expression="CEL:normalize(lower(resource.FirstName)) + &quot;.&quot; + resource.Manager.LastName.upper() + string(size(resource.Reports))"`),
      expression("C", "FirstName", `Binding="Manager.FirstName"`),
      expression("D", "Age", `Expression="Literal:42" Priority="2"`),
    ].join("\n");
    expect(problemsOf(body)).toEqual([]);
  });

  it("reports a CEL syntax error where the parser stops, in the value, past entity references", () => {
    const body = expression("A", "Mail", `Expression="CEL:resource.FirstName + &quot;.&quot; + + )"`);
    expect(problemsOf(body)).toEqual([{
      code: "invalid-expression", severity: "error", ...at(body, "+ + )"),
      message: expect.stringMatching(/^EntityPropertyExpression "A" Expression is not valid CEL: /),
    }]);
  });

  it("places a problem inside a value written over several lines with CRLF and character references", () => {
    const body = [
      `  <EntityPropertyExpression Identifier="A" EntityType="HR_Person" Property="Mail"`,
      `    Expression="CEL:resource.FirstName +&#13;`,
      `      &quot;.&quot; + resource.Lastname"/>`,
    ].join("\r\n");
    expect(problemsOf(body)).toEqual([{
      code: "unresolved-reference", severity: "error", file: "b.xml", line: 5, column: 32, hint: "did you mean LastName?",
      message: `EntityPropertyExpression "A" Expression: resource.Lastname: EntityType HR_Person has no Property Lastname`,
    }]);
  });

  it("reports an unknown property of a resource chain at its name, with a did-you-mean, through navigations to their target type", () => {
    const body = [
      expression("A", "Mail", `Expression="CEL:resource.FirstNme + &quot;.&quot;"`),
      expression("B", "InternalDisplayName", `Expression="CEL:resource.Manager.LastNam"`),
      expression("C", "FirstName", `Binding="Manager.Nope"`),
      expression("D", "Age", `Expression="CEL:size(resource.Reports.LastName)"`),
      expression("E", "Title", `Expression="CEL:resource.Reports.map(r, r.Manager.LastNme).join(&quot;,&quot;)"`),
    ].join("\n");
    expect(problemsOf(body)).toEqual([
      { code: "unresolved-reference", severity: "error", ...at(body, "FirstNme"), hint: "did you mean FirstName?",
        message: `EntityPropertyExpression "A" Expression: resource.FirstNme: EntityType HR_Person has no Property FirstNme` },
      { code: "unresolved-reference", severity: "error", ...at(body, "LastNam\""), hint: "did you mean LastName?",
        message: `EntityPropertyExpression "B" Expression: resource.Manager.LastNam: EntityType HR_Person has no Property LastNam` },
      { code: "unresolved-reference", severity: "error", ...at(body, "Nope"),
        message: `EntityPropertyExpression "C" Binding: resource.Manager.Nope: EntityType HR_Person has no Property Nope` },
      { code: "unresolved-reference", severity: "error", ...at(body, "LastName)"),
        message: `EntityPropertyExpression "D" Expression: resource.Reports.LastName: Reports is a collection: use resource.Reports.map(r, r.LastName)` },
      { code: "unresolved-reference", severity: "error", ...at(body, "LastNme"), hint: "did you mean LastName?",
        message: `EntityPropertyExpression "E" Expression: resource.Reports.Manager.LastNme: EntityType HR_Person has no Property LastNme` },
    ]);
  });

  it("accepts C#, with any input name and navigations, and the built-in functions applied to a Binding", () => {
    const body = [
      expression("A", "InternalDisplayName", `Expression="C#:p:return p.FirstName.ToLower() + &quot; &quot; + p.Manager?.LastName;"`),
      expression("B", "Mail", `Expression="C#:person:if (string.IsNullOrEmpty(person.LastName)) { return null; } return person.Reports.Count() + &quot;@x&quot;;"`),
      expression("C", "FirstName", `Binding="Manager.FirstName" Expression="ToUpper"`),
      expression("D", "Title", `Binding="LastName" Expression="Simplify"`),
    ].join("\n");
    expect(problemsOf(body)).toEqual([]);
  });

  it("reports a C# return whose kind the target property cannot hold, at the returned expression", () => {
    const body = [
      expression("A", "Age", `Expression="C#:p:if (p.FirstName == null) { return -1; } return p.LastName + &quot;!&quot;;"`),
      expression("B", "Title", `Expression="C#:p:return p.Age &gt; 3;"`),
      expression("C", "Mail", `Expression="C#:p:return p.Age.HasValue ? p.FirstName : null;"`),
    ].join("\n");
    expect(problemsOf(body)).toEqual([
      { code: "invalid-expression", severity: "error", ...at(body, "p.LastName + &quot;!"),
        message: `EntityPropertyExpression "A" Expression returns a string where HR_Person:Age is a Int32` },
    ]);
  });

  it("reports C# syntax, unsupported constructs and unknown members at their character, with a hint", () => {
    const body = [
      expression("A", "InternalDisplayName", `Expression="C#:p:return p.FirstName + ;"`),
      expression("B", "Mail", `Expression="C#:p:return p.Manager.LastNme;"`),
      expression("C", "Title", `Expression="C#:p:while (true) { } return p.LastName;"`),
      expression("D", "FirstName", `Binding="Manager.FirstNam" Expression="ToUpper"`),
      expression("E", "Age", `Expression="ToUpper"`),
    ].join("\n");
    const problems = problemsOf(body);
    expect(problems.map(({ code, line, column, hint }) => ({ code, line, column, ...(hint ? { hint } : {}) }))).toEqual([
      expect.objectContaining({ code: "invalid-expression", ...lineColumn(at(body, " ;\"/>")) }),
      { code: "unresolved-reference", ...lineColumn(at(body, "LastNme")), hint: "did you mean LastName?" },
      expect.objectContaining({ code: "invalid-expression", ...lineColumn(at(body, "while")) }),
      { code: "unresolved-reference", ...lineColumn(at(body, "FirstNam\"")), hint: "did you mean FirstName?" },
      expect.objectContaining({ code: "missing-attribute", ...lineColumn(at(body, "<EntityPropertyExpression Identifier=\"E\"")) }),
    ]);
    expect(problems[1]!.message).toBe(`EntityPropertyExpression "B" Expression: p.Manager.LastNme: EntityType HR_Person has no Property LastNme`);
    expect(problems[0]!.message).toMatch(/EntityPropertyExpression "A" Expression is not valid C#: .*missing/);
    expect(problems[2]!.hint).toMatch(/LINQ/);
  });

  it("checks the target property: it exists, is not synchronized, is not a navigation, and has one expression", () => {
    const body = [
      expression("A", "Mial", `Expression="Literal:x"`),
      expression("B", "LastName", `Expression="Literal:x"`),
      expression("C", "Manager", `Expression="Literal:x"`),
      expression("D", "Mail", `Expression="Literal:x"`),
      expression("E", "Mail", `Expression="Literal:y"`),
      expression("F", "Age", `Expression="Literal:old"`),
      expression("G", "FirstName", ``),
      expression("H", "InternalDisplayName", `Expression="resource.LastName"`),
    ].join("\n");
    const problems = problemsOf(body);
    expect(problems.map((p) => [p.code, p.line, p.column, p.hint])).toEqual([
      ["unresolved-reference", ...Object.values(at(body, `Property="Mial"`)).slice(1), "did you mean Mail?"],
      ["invalid-value", ...Object.values(at(body, `Property="LastName"`)).slice(1), "compute another property, or remove it from the EntityTypeMapping"],
      ["invalid-value", ...Object.values(at(body, `Property="Manager"`)).slice(1), undefined],
      ["duplicate-identifier", ...Object.values(at(body, `Property="Mail" Expression="Literal:y"`)).slice(1), "a property has one expression: remove one, or merge them with a conditional (a ? b : c)"],
      ["invalid-value", ...Object.values(at(body, `Expression="Literal:old"`)).slice(1), undefined],
      ["missing-attribute", at(body, `Identifier="G"`).line, 3, expect.stringContaining("CEL:")],
      ["invalid-expression", ...Object.values(at(body, `Expression="resource.LastName"`)).slice(1), `e.g. Expression="CEL:resource.LastName"`],
    ]);
    expect(problems.find((p) => p.code === "invalid-value" && p.message.includes("synchronized"))).toMatchObject({
      message: `EntityPropertyExpression Property="LastName" is not valid: HR_Person:LastName is synchronized by EntityTypeMapping HR_Person (a.xml:18:5); a property is either synchronized or computed`,
      related: [{ file: "a.xml", line: 18, column: 5 }],
    });
    expect(problems.find((p) => p.code === "invalid-value" && p.message.includes("old"))!.message)
      .toBe(`EntityPropertyExpression "F" Expression is not valid: Literal:old is not a Int32 (HR_Person:Age is a Int32)`);
  });

  it("accepts Binding=\"Photo.Id\" on a Binary property, the product's id of the stored file, with a warning; other fields of a Binary stay errors", () => {
    const body = [
      `  <EntityType Identifier="Album"><Property Identifier="Code" IsKey="true"/><Property Identifier="Title"/>` +
        `<Property Identifier="Photo" Type="Binary"/><Property Identifier="PhotoCopy" Type="Binary"/></EntityType>`,
      `  <EntityPropertyExpression Identifier="P" EntityType="Album" Property="PhotoCopy" Binding="Photo.Id"/>`,
      `  <EntityPropertyExpression Identifier="Q" EntityType="Album" Property="Title" Binding="Photo.Name"/>`,
    ].join("\n");
    const problems = problemsOf(body);
    expect(problems).toEqual([
      {
        code: "unsupported-expression", severity: "warning", ...at(body, "Id\""),
        message: 'EntityPropertyExpression "P" Binding="Photo.Id" names the file of the Binary property Album:Photo, as the product accepts; ' +
          "idm-toolkit does not store files apart from their property: the expression is deployed, and UpdateEntityPropertyExpressionsTask fails on it",
        hint: 'Binding="Photo" copies the binary value itself',
      },
      {
        code: "unresolved-reference", severity: "error", ...at(body, "Name\""),
        message: 'EntityPropertyExpression "Q" Binding: resource.Photo.Name: Photo is a Binary, not a navigation',
      },
    ]);
  });
});
