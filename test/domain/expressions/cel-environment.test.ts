/** The CEL environment of expressions: helpers, standard library and strings extension, over a Map resource. */
import { isCelError, parse, plan } from "@bufbuild/cel";
import { describe, expect, it } from "vitest";
import { expressionEnvironment, removeAccents } from "../../../src/domain/expressions/cel-environment.js";

function evaluate(source: string, resource: Record<string, unknown> = {}): unknown {
  const result = plan(expressionEnvironment(), parse(source))({ resource: new Map(Object.entries(resource)) as never });
  return isCelError(result) ? `error: ${result.message}` : result;
}

describe("expression environment", () => {
  it("has the helpers as functions and methods", () => {
    const r = { Name: "  Élodie Müller  ", Login: "JDoe" };
    expect(evaluate("lower(resource.Login) + resource.Login.lower()", r)).toBe("jdoejdoe");
    expect(evaluate("upper(resource.Login) + resource.Login.upper()", r)).toBe("JDOEJDOE");
    expect(evaluate("trim(resource.Name) + '|' + resource.Name.trim()", r)).toBe("Élodie Müller|Élodie Müller");
    expect(evaluate("normalize(trim(resource.Name)) + '|' + resource.Name.trim().normalize()", r)).toBe("Elodie Muller|Elodie Muller");
    expect(evaluate("substring(resource.Login, 1) + substring(resource.Login, 0, 1) + resource.Login.substring(1, 2)", r)).toBe("DoeJD");
    expect(evaluate("replace(resource.Login, 'o', '0') + resource.Login.replace('D', 'd')", r)).toBe("JD0eJdoe");
    expect(evaluate("substring('abc', 2, 5)")).toMatch(/^error: /);
  });

  it("keeps CEL's own: conditionals, has(), size(), join, map over lists of maps, and an error for an absent key", () => {
    expect(evaluate("has(resource.A) ? resource.A : 'none'", {})).toBe("none");
    expect(evaluate("size(resource.L) == 2 ? resource.L.map(x, x.N).join(',') : ''", { L: [new Map([["N", "a"]]), new Map([["N", "b"]])] })).toBe("a,b");
    expect(evaluate("resource.Missing + 'x'", {})).toMatch(/^error: (field not found|no such key)/);
    expect(evaluate("resource.Age + 1", { Age: 41n })).toBe(42n);
  });

  it("removes accents by decomposing and dropping the combining marks", () => {
    expect(removeAccents("Ça, Ångström, Dvořák, São Paulo")).toBe("Ca, Angstrom, Dvorak, Sao Paulo");
    // ASCII is returned as it is; a combining mark alone, or after ASCII, is dropped.
    expect(["", "Plain ASCII, 0-9 ~\u007f", "e\u0301", "\u0301"].map(removeAccents)).toEqual(["", "Plain ASCII, 0-9 ~\u007f", "e", ""]);
  });
});
