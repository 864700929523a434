/**
 * The C# bodies that only build a string — `return` of String properties of the variable, plain
 * string literals, `+`, and ToLower / ToLowerInvariant / ToUpper / ToUpperInvariant /
 * RemoveDiacritics — as closures without the interpreter's environment, step budget and null
 * handling: the same idea as ../cel-fast-path.ts, so that the two languages cost the same for a
 * display name or a login. The interpreter stays the reference: on any value that is not a string
 * (a missing property included) a closure gives up (FALLBACK) and the compiled body runs instead,
 * with C#'s null rules and exceptions. Such a body takes at most MAX_DEPTH nodes, far under the step budget.
 */
import type { EntityModel } from "../../resources/entity-model.js";
import type { ResourceObject } from "../compile-expressions.js";
import type { SyntaxNode } from "./syntax.js";
import { lowerInvariant, removeDiacritics, upperInvariant } from "./text.js";

type StringCode = (resource: ResourceObject) => string;

/** Thrown by a closure that meets a value other than a string: the interpreter takes over. */
export const FALLBACK = new Error("not a string: the C# interpreter evaluates this resource");

/** The string methods, as members.ts implements them on a string. */
const METHODS = new Map<string, (s: string) => string>([
  ["ToLower", lowerInvariant], ["ToLowerInvariant", lowerInvariant], ["ToUpper", upperInvariant], ["ToUpperInvariant", upperInvariant],
  ["RemoveDiacritics", removeDiacritics],
]);
const MAX_DEPTH = 100;

/** The body (`return <expression>;`) as closures, or undefined when it is not made only of string building blocks. */
export function compileStringBody(root: SyntaxNode, variable: string | undefined, model: EntityModel, entityType: string): StringCode | undefined {
  if (variable === undefined || root.hasError || root.namedChildren.length !== 1) return undefined;
  const statement = root.namedChildren[0]!.namedChildren;
  if (statement.length !== 1 || statement[0]!.type !== "return_statement" || statement[0]!.namedChildren.length !== 1) return undefined;
  const properties = model.entityTypes.get(entityType)?.properties;

  const compile = (node: SyntaxNode, depth: number): StringCode | undefined => {
    if (depth > MAX_DEPTH) return undefined;
    switch (node.type) {
      case "parenthesized_expression":
        return node.namedChildren.length === 1 ? compile(node.namedChildren[0]!, depth + 1) : undefined;
      case "string_literal": {
        if (node.text.includes("\\")) return undefined;
        const text = node.text.slice(1, -1);
        return () => text;
      }
      case "member_access_expression": {
        const [receiver, name] = [node.childForFieldName("expression"), node.childForFieldName("name")];
        if (node.childCount !== 3 || receiver?.type !== "identifier" || receiver.text !== variable || name?.type !== "identifier") return undefined;
        // Only String properties: the interpreter reads a DateTime's stored text as a date, an integer as a long.
        if (properties?.get(name.text)?.type !== "String") return undefined;
        const property = name.text;
        return (resource) => {
          const value = resource.get(property);
          if (typeof value !== "string") throw FALLBACK;
          return value;
        };
      }
      case "binary_expression": {
        const [left, right] = [node.childForFieldName("left"), node.childForFieldName("right")];
        if ((node.childForFieldName("operator")?.type ?? node.children[1]?.type) !== "+" || !left || !right) return undefined;
        const [a, b] = [compile(left, depth + 1), compile(right, depth + 1)];
        return a && b ? (resource) => a(resource) + b(resource) : undefined;
      }
      case "invocation_expression": {
        const [callee, args] = [node.childForFieldName("function"), node.childForFieldName("arguments")];
        if (callee?.type !== "member_access_expression" || callee.childCount !== 3 || args?.namedChildren.length !== 0) return undefined;
        const [receiver, name] = [callee.childForFieldName("expression"), callee.childForFieldName("name")];
        const method = name?.type === "identifier" ? METHODS.get(name.text) : undefined;
        const argument = receiver && method ? compile(receiver, depth + 1) : undefined;
        return argument && method ? (resource) => method(argument(resource)) : undefined;
      }
      default:
        return undefined;
    }
  };
  return compile(statement[0]!.namedChildren[0]!, 0);
}
