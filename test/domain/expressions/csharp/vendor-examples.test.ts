/**
 * The C# expressions of the vendor's documentation (netwrix/docs, identitymanager), as their XML
 * attribute holds them once unescaped: those idm-toolkit runs give what the product gives; those it
 * refuses are refused at compile time with the reason. The share is in the README.
 */
import { describe, expect, it } from "vitest";
import type { EntityModel, PropertyModel, PropertyType } from "../../../../src/domain/resources/entity-model.js";
import { compileCSharp } from "../../../../src/domain/expressions/csharp/compile-csharp.js";
import { resource, show, type Plain } from "./csharp-fixture.js";

function property(identifier: string, type: PropertyType, target?: string): [string, PropertyModel] {
  return [identifier, { identifier, type, isKey: false, ...(target ? { navigation: { association: identifier, end: "from" as const, target, inverse: "Back", collection: false } } : {}) }];
}

const strings = (...names: string[]) => names.map((n) => property(n, "String"));

const MODEL: EntityModel = {
  entityTypes: new Map([
    ["User", {
      identifier: "User",
      properties: new Map([
        ...strings("userPrincipalName", "mail", "displayName", "dn", "Name", "Email", "Matricule", "Login", "FirstName", "LastName", "ProxyAddress", "Mail",
          "UserPrincipalName", "userAccountControl", "accountExpires", "LastLogonTimeStamp"),
        property("Id", "Int64"), property("StartDate", "DateTime"), property("ContractStartDate", "DateTime"), property("EndDate", "DateTime"), property("ContractEndDate", "DateTime"),
        property("Organization", "ForeignKey", "Organization"), property("EmployeeType", "ForeignKey", "EmployeeType"),
      ]),
    }],
    ["Organization", { identifier: "Organization", properties: new Map([...strings("Code_Organisation")]) }],
    ["EmployeeType", { identifier: "EmployeeType", properties: new Map([property("Category", "ForeignKey", "Category")]) }],
    ["Category", { identifier: "Category", properties: new Map([...strings("Identifier")]) }],
  ]),
  associations: new Map(),
};

const USER: Plain = {
  Id: 42, mail: "Nathan.Smith@acme.com", dn: "SG_ABC_x", Name: "Nathan", Matricule: "123", Login: "nsmith", FirstName: "Nathan", LastName: "Smith",
  Mail: "nathan.smith@acme.com", UserPrincipalName: "nsmith@acme.com", ContractStartDate: "2024-01-31T00:00:00.000Z", EndDate: "2024-12-31T00:00:00.000Z",
  Organization: { Code_Organisation: "SRV46" }, EmployeeType: { Category: { Identifier: "Internal" } },
};

type Example = [variable: string | undefined, body: string, expected: unknown, input?: Plain, iteration?: number];

/** Each example of the pages, with an input and what C# gives for it. */
const RUNS: Example[] = [
  ["resource", "return resource.userPrincipalName ?? resource.mail ?? resource.displayName ?? resource.Id.ToString();", "Nathan.Smith@acme.com", USER],
  ["resource", "return resource.userPrincipalName ?? resource.mail ?? resource.displayName ?? resource.Id.ToString();", "42", { Id: 42 }],
  ["resource", "return resource.dn?.Split('_')[1].Length == 3;", true, USER],
  ["resource", "return resource.dn?.Split('_')[1].Length == 3;", false, {}],
  ["resource", 'return resource.dn.Contains(",CN=Roles,");', false, USER],
  ["resource", "return resource.Name ?? resource.Email ?? resource.Id.ToString();", "Nathan", USER],
  ["resource", "return 'U' + resource.Matricule;", "U123", USER],
  ["person", "return person.StartDate.HasValue ? person.StartDate : person.ContractStartDate;", "date:2024-01-31T00:00:00.000Z Utc", USER],
  ["person", "return person.EndDate.HasValue ? person.EndDate : person.ContractEndDate;", "date:2024-12-31T00:00:00.000Z Utc", USER],
  ["person", "return person.Login;", "nsmith", USER],
  ["person", "return person.FirstName.Approximate();", "NATHAN", USER],
  ["person", "return !person.EndDate.HasValue ? null : person.EndDate.Value.ToSince1601DateString();", "133800768000000000", USER],
  ["person", 'return person.LastName + " " + person.FirstName;', "Smith Nathan", USER],
  ["person", "return (person.LastName + person.FirstName).Simplify();", "SMITHNATHAN", USER],
  ["user", 'return user.FirstName+" "+user.LastName;', "Nathan Smith", USER],
  ["user", 'return "New Employee";', "New Employee", USER],
  ["user", 'return $"join MainRecord r where r.ContractStartDate > \\"{new DateTime(2024, 5, 1).ToString("yyyy-MM-ddTHH:mm:ssZ")}\\"";', 'join MainRecord r where r.ContractStartDate > "2024-05-01T00:00:00Z"', USER],
  ["user", 'return user.LastName+"@company.com";', "Smith@company.com", USER],
  ["user", 'return user.Organization.Code_Organisation == "SRV46";', true, USER],
  ["person", 'return String.IsNullOrEmpty(person.ProxyAddress) ? "SMTP:" + person.Mail : "smtp:" + person.ProxyAddress + " SMTP:" + person.Mail;', "SMTP:nathan.smith@acme.com", USER],
  ["mailbox", "return mailbox.UserPrincipalName;", "nsmith@acme.com", USER],
  ["record", 'return record.StartDate.HasValue ? record.StartDate.Value.ToString("yyyyMMdd") : string.Empty;', "", USER],
  ["resource", "return resource?.mail?.ToLower();", "nathan.smith@acme.com", USER],
  ["person", 'return UtilExpressions.BuildUsername(person.FirstName, person.LastName, ".", ((person.EmployeeType != null) && (person.EmployeeType.Category != null) && (person.EmployeeType.Category.Identifier == "Internal")) ? null : ".ext", iteration) + "@acme.com";', "NATHAN.SMITH@acme.com", USER],
  ["person", 'return UtilExpressions.BuildUsernameWithInitials(person.FirstName, person.LastName, ".", ((person.EmployeeType != null) && (person.EmployeeType.Category != null) && (person.EmployeeType.Category.Identifier == "Internal")) ? null : ".ext", 16, iteration) + "@acme.com";', "N.SMITH.ext@acme.com", { FirstName: "Nathan", LastName: "Smith" }],
  ["resource", 'logger.LogDebug("Name={0}", resource.Name); return resource.Name;', "Nathan", USER],
  ["bot", 'return "66048";', "66048", USER],
  ["bot", 'return "OU=Bots,DC=acme,DC=internal";', "OU=Bots,DC=acme,DC=internal", USER],
];

/** Those idm-toolkit refuses, with the first problem it reports. */
const REFUSED: Example[] = [
  ["user", 'var resources = queryHandler.Select<Directory_EmployeeType>("Select Id Where Identifier=\\"CDI\\""); return resources.FirstOrDefault()?.Id;', "'queryHandler' is not a variable or a type idm-toolkit knows"],
  [undefined, 'return queryHandler.Select<Directory_Organization>("Select Identifier Where Id=23040").FirstOrDefault()?.Identifier;', "'queryHandler' is not a variable or a type idm-toolkit knows"],
  // The page's own example misses a closing parenthesis: the product refuses it too.
  ["resource", 'if (resource.userAccountControl == null) { return false; } if ((int.Parse(resource.userAccountControl) & 2) != 0) { return false; } if (resource.accountExpires != null && resource.accountExpires != "0" && resource.accountExpires != "9223372036854775807" && Usercube.Expressions.Functions.UtilExpressions.ParseSince1601Date(resource.accountExpires) < DateTime.UtcNow) { return false; } return ((resource.LastLogonTimeStamp == null) || (Usercube.Expressions.Functions.UtilExpressions.ParseSince1601Date(resource.LastLogonTimeStamp) < DateTime.UtcNow.AddMonths(-6));', "syntax error: missing ')'"],
  ["resource", 'var arguments = new System.Collections.Generic.Dictionary<string, string>(); if (provisioningOrder.HasChanged("cn")) { arguments.Add("description", "This entry\'s login has been modified by Usercube."); } else { arguments.Add("description", "This entry has been modified by Usercube."); } return arguments;', "new System.Collections.Generic.Dictionary<string, string> is not supported"],
];

function evaluate(variable: string | undefined, body: string, input: Plain, iteration: number): unknown {
  const { program, problems } = compileCSharp(variable, body, { model: MODEL, entityType: "User" });
  if (!program) return `problems: ${problems.map((p) => p.message).join("; ")}`;
  const result = program.evaluate(resource(input), { iteration });
  return result.ok ? show(result.value) : `!${result.error}`;
}

describe("the vendor documentation's C# examples", () => {
  it.each(RUNS)("C#:%s:%s", (variable, body, expected, input, iteration) => {
    expect(evaluate(variable, body, input ?? {}, iteration ?? 0)).toEqual(expected);
  });

  it.each(REFUSED)("refuses C#:%s:%s", (variable, body, expected) => {
    expect(compileCSharp(variable, body, { model: MODEL, entityType: "User" }).problems[0]?.message).toBe(expected);
  });

  it("runs the isUnused example once its parenthesis is closed", () => {
    const body = 'if (resource.userAccountControl == null) { return false; } if ((int.Parse(resource.userAccountControl) & 2) != 0) { return false; } if (resource.accountExpires != null && resource.accountExpires != "0" && resource.accountExpires != "9223372036854775807" && Usercube.Expressions.Functions.UtilExpressions.ParseSince1601Date(resource.accountExpires) < DateTime.UtcNow) { return false; } return ((resource.LastLogonTimeStamp == null) || (Usercube.Expressions.Functions.UtilExpressions.ParseSince1601Date(resource.LastLogonTimeStamp) < DateTime.UtcNow.AddMonths(-6)));';
    expect(evaluate("resource", body, { userAccountControl: "514" }, 0)).toBe(false);
    expect(evaluate("resource", body, { userAccountControl: "512", accountExpires: "0", LastLogonTimeStamp: "132514560000000000" }, 0)).toBe(true);
    expect(evaluate("resource", body, { userAccountControl: "512", accountExpires: "9223372036854775807" }, 0)).toBe(true);
  });
});
