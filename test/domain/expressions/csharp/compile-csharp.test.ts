/**
 * compileCSharp's contract besides values: problems at their offsets in the body, the chains the
 * lead resolves against the model, storedCSharpValue, and safety (no way out to JS, every
 * evaluation bounded).
 */
import { describe, expect, it } from "vitest";
import { compileCSharp, storedCSharpValue } from "../../../../src/domain/expressions/csharp/compile-csharp.js";
import { CsChar, CsDateTime, NULLS } from "../../../../src/domain/expressions/csharp/values.js";
import { MODEL, resource, run } from "./csharp-fixture.js";

const compile = (body: string, variable: string | undefined = "record") => compileCSharp(variable, body, { model: MODEL, entityType: "Person" });
const compileWithout = (body: string) => compileCSharp(undefined, body, { model: MODEL, entityType: "Person" });

/** The problems of `body`, each as `start-end message`. */
function problems(body: string): string[] {
  return compile(body).problems.map((p) => `${p.start}-${p.end} ${p.message}`);
}

describe("syntax errors", () => {
  it.each([
    ["return record.Age", ["17-17 syntax error: missing ';'"]],
    ["return (record.Age;", ["18-18 syntax error: missing ')'"]],
    ["return record.FirstName +;", ["25-25 syntax error: missing identifier"]],
    ['return record.Login.Substring(1;', ["31-31 syntax error: missing ')'"]],
    ["return record.Age ++ 3 );", ["21-24 syntax error: unexpected '3 )'"]],
  ])("%s", (body, expected) => {
    expect(problems(body)).toEqual(expected);
  });

  it("points into the body with UTF-16 offsets, as JS strings count", () => {
    const body = 'return "é😀" + record.Login +;';
    const [problem] = compile(body).problems;
    expect(body.slice(problem!.start - 1, problem!.start)).toBe("+");
  });
});

describe("unsupported constructs, with what to write instead", () => {
  it.each([
    ["for (var i = 0; i < 10; i++) { } return 1;", "0-32 loops are not supported", "use LINQ"],
    ["while (true) { } return 1;", "0-16 loops are not supported", "use LINQ"],
    ["foreach (var r in record.Records) { } return 1;", "0-37 loops are not supported", "use LINQ"],
    ["return typeof(string);", "7-21 typeof and reflection are not supported", "compare values"],
    ["return record.Login.GetType().Name;", "20-27 the method GetType is not on the whitelist of idm-toolkit", "README"],
    ["var f = x => x; return 1;", "8-14 a lambda is supported only as the argument of a LINQ method", "list.Where"],
    ["return record.Login.ToUpper(x => true);", "28-37 a lambda is supported only as the argument of a LINQ method", "list.Where"],
    ['return new System.IO.FileInfo("x");', "11-29 new System.IO.FileInfo is not supported", "DateTime, TimeSpan"],
    ['return System.IO.File.ReadAllText("x");', "22-33 the method ReadAllText is not on the whitelist of idm-toolkit", "README"],
    ["if (record.Age > 3) return 1;", "28-29 not all code paths return a value", "end the body with return"],
    ['{ record.Login = "x"; } return 1;', "2-14 only local variables can be assigned", "declare a local"],
    ["return x switch { _ => 1 };", "7-26 switch expressions are not supported", "?:"],
    ["return from r in record.Records select r;", "7-40 LINQ query syntax (from … select) is not supported", "method form"],
    ['return queryHandler.Select<Directory_User>("x");', "7-19 'queryHandler' is not a variable or a type idm-toolkit knows", "SQuery"],
    ["return record.Login as string;", "7-29 'as' is not supported", "cast"],
    ["return DateTime.Yesterday;", "16-25 DateTime.Yesterday is not supported", "Now"],
    ["return Math.Clamp(1, 2, 3);", "12-17 Math.Clamp is not on the whitelist of idm-toolkit", "Round"],
    ["return (Func<int>)null;", "8-17 a cast to 'Func<int>' is not supported", "DateTime?"],
    ["var x = 1; var x = 2; return x;", "15-16 a local named 'x' is already declared here", "another name"],
    ["return record.Age++;", "7-19 '++' is not supported: expressions do not change variables this way", "x = x + 1"],
    ["return assignment.StartDate;", "7-17 'assignment' is not a variable or a type idm-toolkit knows", "not supported by idm-toolkit yet"],
  ])("%s", (body, expected, hint) => {
    const found = compile(body).problems;
    expect(found.map((p) => `${p.start}-${p.end} ${p.message}`)).toEqual([expected]);
    expect(found[0]!.hint).toContain(hint);
  });

  it("compiles a body without variable (C#:return …;)", () => {
    const { program } = compileWithout('return "x" + 1;');
    expect(program?.evaluate(new Map())).toEqual({ ok: true, value: "x1" });
    expect(compileWithout("return record.Login;").problems.map((p) => p.message)).toEqual(["'record' is not a variable or a type idm-toolkit knows"]);
  });
});

describe("chains", () => {
  const chains = (body: string) => compile(body).program!.chains;

  it("gives each read of the variable once, the longest, at the offsets of its names", () => {
    const body = "return record.Manager.Manager.LastNme + record.Login + record.Login;";
    expect(chains(body)).toEqual([
      { fields: ["Manager", "Manager", "LastNme"], offsets: [14, 22, 30], elements: [] },
      { fields: ["Login"], offsets: [47], elements: [] },
      { fields: ["Login"], offsets: [62], elements: [] },
    ]);
  });

  it("stops at a scalar or a collection: Value, Year, Count are not entity members", () => {
    expect(chains("return record.StartDate.Value.Year + record.Records.Count;")).toEqual([
      { fields: ["StartDate"], offsets: [14], elements: [] },
      { fields: ["Records"], offsets: [44], elements: [] },
    ]);
  });

  it("follows lambda parameters, indexers, First… and Select over collections as elements", () => {
    const body = "return record.Records.Where(r => r.Rank > 1).Select(r => r.Organization).FirstOrDefault()?.DisplayName + record.Records[0].Title;";
    expect(chains(body)).toEqual([
      { fields: ["Records", "Rank"], offsets: [14, 35], elements: [0] },
      { fields: ["Records", "Organization", "DisplayName"], offsets: [14, 59, 91], elements: [0, 1] },
      { fields: ["Records", "Title"], offsets: [112, 123], elements: [0] },
    ]);
  });

  it("follows locals and ?. chains", () => {
    expect(chains("var eb = record.EB; return eb?.StartDate;")).toEqual([{ fields: ["EB", "StartDate"], offsets: [16, 31], elements: [] }]);
  });

  it("keeps an unknown member for the lead's did-you-mean, constructor included", () => {
    expect(chains("return record.constructor;")).toEqual([{ fields: ["constructor"], offsets: [14], elements: [] }]);
  });
});

describe("storedCSharpValue", () => {
  it.each([
    [42n, "Int32", { ok: true, value: 42 }],
    [42n, "String", { ok: true, value: "42" }],
    [2.5, "Double", { ok: true, value: 2.5 }],
    [2.5, "String", { ok: true, value: "2.5" }],
    [true, "Bool", { ok: true, value: true }],
    [true, "String", { ok: true, value: "True" }],
    ["x", "String", { ok: true, value: "x" }],
    [null, "String", { ok: true, value: undefined }],
    [NULLS.DateTime, "DateTime", { ok: true, value: undefined }],
    [new CsDateTime(Date.UTC(2024, 0, 31, 10), "Utc"), "DateTime", { ok: true, value: "2024-01-31T10:00:00.000Z" }],
    [new CsDateTime(Date.UTC(2024, 0, 31, 10), "Utc"), "String", { ok: true, value: "01/31/2024 10:00:00" }],
    [new CsChar(65), "String", { ok: true, value: "A" }],
    ["x", "Int32", { ok: false, message: "a string cannot be stored in a Int32 property" }],
    ["2024-01-31", "DateTime", { ok: false, message: "a string cannot be stored in a DateTime property" }],
    [["a"], "String", { ok: false, message: "a collection cannot be stored in a String property" }],
  ] as const)("%s as %s", (value, type, expected) => {
    expect(storedCSharpValue(value as never, type)).toEqual(expected);
  });
});

describe("safety", () => {
  it.each([
    ["return record.Login.constructor;", "'constructor' is not a member of String that idm-toolkit knows"],
    ["return record.Login.__proto__;", "'__proto__' is not a member of String that idm-toolkit knows"],
    ["return record.Login.prototype;", "'prototype' is not a member of String that idm-toolkit knows"],
    ["return process.env;", "'process' is not a variable or a type idm-toolkit knows"],
    ['return process.mainModule.require("fs");', "the method require is not on the whitelist of idm-toolkit"],
    ['return require("child_process");', "calling 'require' is not supported"],
    ["return globalThis;", "'globalThis' is not a variable idm-toolkit knows"],
    ['return eval("1");', "calling 'eval' is not supported"],
    ['return Function("return 1")();', "calling 'Function(\"return 1\")' is not supported"],
    ['return Environment.GetEnvironmentVariable("PATH");', "'Environment' is not a variable or a type idm-toolkit knows"],
    ['return System.Diagnostics.Process.Start("sh");', "the method Start is not on the whitelist of idm-toolkit"],
    ['return Type.GetType("System.IO.File");', "'Type' is not a variable or a type idm-toolkit knows"],
    ["return record.Login.ToString().toString();", "the method toString is not on the whitelist of idm-toolkit"],
    ["return record.Login.valueOf();", "the method valueOf is not on the whitelist of idm-toolkit"],
    ['return "".constructor.constructor("return process")();', `calling '"".constructor.constructor("return process")' is not supported`],
    ['return "".constructor.name;', "'constructor' is not a member of String that idm-toolkit knows"],
    ["dynamic d = record; return d.X;", "a local of type 'dynamic' is not supported"],
  ])("%s", (body, message) => {
    expect(compile(body).problems.map((p) => p.message)).toContain(message);
  });

  it("reads an entity member only from the resource's Map: constructor and __proto__ of an entity are absent (null)", () => {
    expect(run("return record.constructor;", { Login: "x" })).toBeNull();
    expect(run("return record.__proto__ ?? \"absent\";", { Login: "x" })).toBe("absent");
    expect(run("return record.Manager.constructor;", { Manager: { Login: "m" } })).toBeNull();
  });

  it("ends a long computation on the step budget instead of hanging", () => {
    const started = Date.now();
    expect(run("return Enumerable.Range(0, 1000).Select(i => Enumerable.Range(0, 1000).Count()).Sum();")).toMatch(/^!StepBudgetExceeded: the evaluation took more than 1000000 steps/);
    expect(run("return Enumerable.Range(0, 100000000).Count();")).toMatch(/^!StepBudgetExceeded/);
    expect(run('return "x".PadLeft(1000000000).Length;')).toMatch(/^!StepBudgetExceeded/);
    expect(run('return string.Join(",", Enumerable.Repeat("abcdefgh", 900000));')).toMatch(/^!StepBudgetExceeded/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("charges every evaluation from zero: a program runs again after a budget error", () => {
    const { program } = compile("return Enumerable.Range(0, record.Age.Value).Count(i => i % 2 == 0);");
    expect(program!.evaluate(resource({ Age: 2_000_000 }))).toMatchObject({ ok: false, error: expect.stringMatching(/^StepBudgetExceeded/) });
    expect(program!.evaluate(resource({ Age: 10 }))).toEqual({ ok: true, value: 5n });
  });

  it("refuses a body nested too deeply before compiling it", () => {
    const body = `return ${"(".repeat(600)}1${")".repeat(600)};`;
    expect(compile(body).problems.map((p) => p.message)).toEqual(["the expression is nested more than 500 levels deep"]);
    const deeper = `return ${"(".repeat(20_000)}1${")".repeat(20_000)};`;
    expect(compile(deeper).problems.map((p) => p.message)).toEqual(["the expression is nested more than 1000 levels deep"]);
    const negations = `return ${"!".repeat(20_000)}true;`;
    expect(compile(negations).problems.map((p) => p.message)).toEqual(["the expression is nested more than 1000 levels deep"]);
  });

  it("refuses a regular expression that can backtrack exponentially", () => {
    expect(run('return Regex.IsMatch("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "^(a+)+$");')).toMatch(/^!ArgumentException: Invalid pattern '\^\(a\+\)\+\$': nested quantifiers/);
  });

  it("never throws from evaluate: a C# exception is a result", () => {
    const { program } = compile("return record.Manager.Login;");
    expect(program!.evaluate(resource({}))).toEqual({ ok: false, error: "NullReferenceException: Object reference not set to an instance of an object. (Login)" });
  });
});

describe("cost on large collections", () => {
  it("keeps Distinct linear: 50,000 resources take well under a second", () => {
    const { program } = compile("return record.Records.Select(r => r.Title).Distinct().Count();");
    const many = resource({ Records: Array.from({ length: 50_000 }, (_, i) => ({ Title: `T${i % 1000}` })) });
    const started = Date.now();
    expect(program!.evaluate(many)).toEqual({ ok: true, value: 1000n });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
