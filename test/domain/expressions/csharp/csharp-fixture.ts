/**
 * An entity model for the C# tests (a person with records, a company, an application, a manager)
 * and a way to show the interpreter's values: ints as bigint, doubles as number, a DateTime as
 * `date:<ISO> <Kind>`, a char as `char:<c>`, nulls as null.
 */
import type { EntityModel, PropertyModel, PropertyType } from "../../../../src/domain/resources/entity-model.js";
import type { ResourceObject } from "../../../../src/domain/expressions/compile-expressions.js";
import { compileCSharp, type CSharpValue } from "../../../../src/domain/expressions/csharp/compile-csharp.js";
import { CsChar, CsDateTime, CsGuid, CsTimeSpan, isNull } from "../../../../src/domain/expressions/csharp/values.js";

function property(identifier: string, type: PropertyType, navigation?: { target: string; collection: boolean }): [string, PropertyModel] {
  return [identifier, { identifier, type, isKey: false, ...(navigation ? { navigation: { association: `${identifier}_A`, end: "from" as const, inverse: "Back", ...navigation } } : {}) }];
}

export const MODEL: EntityModel = {
  entityTypes: new Map([
    ["Person", {
      identifier: "Person",
      properties: new Map([
        property("FirstName", "String"), property("LastName", "String"), property("Login", "String"), property("Mail", "String"),
        property("StartDate", "DateTime"), property("PositionStartDate", "DateTime"), property("ContractStartDate", "DateTime"), property("ContractEndDate", "DateTime"),
        property("Age", "Int32"), property("Salary", "Double"), property("Active", "Bool"), property("Since1601", "String"), property("BirthText", "String"),
        property("InternalDisplayName", "String"),
        property("Company", "ForeignKey", { target: "Company", collection: false }),
        property("Application", "ForeignKey", { target: "Application", collection: false }),
        property("EB", "ForeignKey", { target: "Record", collection: false }),
        property("Manager", "ForeignKey", { target: "Person", collection: false }),
        property("Records", "ForeignKey", { target: "Record", collection: true }),
      ]),
    }],
    ["Record", {
      identifier: "Record",
      properties: new Map([property("UserIdentifier", "String"), property("StartDate", "DateTime"), property("Rank", "Int32"), property("Title", "String"),
        property("Organization", "ForeignKey", { target: "Company", collection: false })]),
    }],
    ["Company", { identifier: "Company", properties: new Map([property("Identifier", "String"), property("DisplayName", "String")]) }],
    ["Application", { identifier: "Application", properties: new Map([property("DisplayName", "String")]) }],
  ]),
  associations: new Map(),
};

export type Plain = { [key: string]: unknown };

/** A resource as the task loads it: a Map, navigations nested, integers as bigint. */
export function resource(plain: Plain): ResourceObject {
  const convert = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map((x) => convert(x));
    if (v !== null && typeof v === "object") return resource(v as Plain);
    if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
    return v;
  };
  return new Map(Object.entries(plain).map(([k, v]) => [k, convert(v)])) as ResourceObject;
}

export function show(value: CSharpValue): unknown {
  if (isNull(value)) return null;
  if (value instanceof CsDateTime) return `date:${new Date(value.ms).toISOString()} ${value.kind}`;
  if (value instanceof CsChar) return `char:${String.fromCharCode(value.code)}`;
  if (value instanceof CsTimeSpan) return `span:${value.ms}`;
  if (value instanceof CsGuid) return `guid:${value.text}`;
  if (value instanceof Map) return "entity";
  if (Array.isArray(value)) return value.map((v) => show(v as CSharpValue));
  return value;
}

/** Compiles and runs `body` with the variable `record` on a Person: the shown value, `!<error>`, or `problems: …`. */
export function run(body: string, plain: Plain = {}, iteration = 0, variable = "record"): unknown {
  const { program, problems } = compileCSharp(variable, body, { model: MODEL, entityType: "Person" });
  if (!program) return `problems: ${problems.map((p) => p.message).join("; ")}`;
  const result = program.evaluate(resource(plain), { iteration });
  return result.ok ? show(result.value) : `!${result.error}`;
}
