/**
 * The forms an EntityPropertyExpression's Expression and Binding can take (model.md §0.2), read
 * from the attribute text. Pure: validation (config/check-expressions.ts) and the task
 * (compile-expressions.ts) read the same forms.
 *
 * - `CEL:<expression>`: ours, evaluated with the variable `resource`;
 * - `Literal:<value>`: a constant;
 * - `Binding="Manager.LastName"` alone: the bound value copied, i.e. `CEL:resource.Manager.LastName`;
 * - `C#:var:<body>` and the reference's built-in functions (`ToUpper`, `Simplify`...) cannot run
 *   here: they are reported with the CEL that does the same when there is one.
 */
import type { PropertyType } from "../resources/entity-model.js";
import { RESOURCE_VARIABLE } from "./resource-variable.js";

/** A stored value, or undefined for "no value" (the property is removed). */
export type StoredValue = string | number | boolean | undefined;

export const INTEGER_TYPES: ReadonlySet<PropertyType> = new Set<PropertyType>(["Int32", "Int64", "Int16", "Byte"]);

export type ExpressionForm =
  /** `offset`: where `source` starts in the attribute value it came from (for error positions). */
  | { kind: "cel"; source: string; offset: number; attribute: "Expression" | "Binding" }
  | { kind: "literal"; value: string }
  | { kind: "csharp"; body: string; cel: string | undefined }
  | { kind: "function"; name: string; cel: string | undefined }
  | { kind: "unknown"; text: string }
  | { kind: "none" };

const CEL_PREFIX = "CEL:";
const LITERAL_PREFIX = "Literal:";
const CSHARP_PREFIX = "C#:";

export function readExpressionForm(expression: string | undefined, binding: string | undefined): ExpressionForm {
  if (expression === undefined || expression === "") {
    if (binding === undefined || binding === "") return { kind: "none" };
    return { kind: "cel", source: `${RESOURCE_VARIABLE}.${binding}`, offset: -RESOURCE_VARIABLE.length - 1, attribute: "Binding" };
  }
  if (expression.startsWith(CEL_PREFIX)) return { kind: "cel", source: expression.slice(CEL_PREFIX.length), offset: CEL_PREFIX.length, attribute: "Expression" };
  if (expression.startsWith(LITERAL_PREFIX)) return { kind: "literal", value: expression.slice(LITERAL_PREFIX.length) };
  if (expression.startsWith(CSHARP_PREFIX)) {
    const rest = expression.slice(CSHARP_PREFIX.length);
    const named = /^([A-Za-z_]\w*):/.exec(rest);
    const body = named ? rest.slice(named[0].length) : rest;
    return { kind: "csharp", body, cel: named ? csharpToCel(named[1]!, body) : undefined };
  }
  const fn = /^([A-Z][A-Za-z0-9]*)(?::.*)?$/.exec(expression);
  if (fn) return { kind: "function", name: fn[1]!, cel: functionToCel(fn[1]!, expression.includes(":"), binding) };
  return { kind: "unknown", text: expression };
}

/** The reference's built-in functions whose CEL equivalent is exact, applied to the bound value. */
const FUNCTIONS: Record<string, (value: string) => string> = {
  ToUpper: (v) => `upper(${v})`,
  ToLower: (v) => `lower(${v})`,
  Trim: (v) => `trim(${v})`,
};

function functionToCel(name: string, hasArguments: boolean, binding: string | undefined): string | undefined {
  const translate = FUNCTIONS[name];
  if (!translate || hasArguments) return undefined;
  return `${CEL_PREFIX}${translate(binding ? `${RESOURCE_VARIABLE}.${binding}` : `${RESOURCE_VARIABLE}.<Property>`)}`;
}

/** C# string methods with an exact CEL helper. */
const METHODS: Record<string, string> = {
  ToLower: "lower", ToLowerInvariant: "lower", ToUpper: "upper", ToUpperInvariant: "upper", Trim: "trim",
};

/**
 * `return v.A + " " + v.B.ToLower();`: a concatenation of the variable's properties (with
 * ToLower/ToUpper/Trim) and string literals, as CEL; undefined for anything else.
 */
export function csharpToCel(variable: string, body: string): string | undefined {
  const match = /^\s*return\s+([\s\S]*?);?\s*$/.exec(body);
  if (!match) return undefined;
  const terms = splitConcatenation(match[1]!);
  if (terms === undefined) return undefined;
  const cel: string[] = [];
  const member = new RegExp(`^${variable}((?:\\.[A-Za-z_]\\w*)+?)((?:\\.(?:${Object.keys(METHODS).join("|")})\\(\\))*)$`);
  for (const raw of terms) {
    const term = raw.trim();
    if (/^"(?:[^"\\]|\\.)*"$/.test(term)) {
      cel.push(term);
      continue;
    }
    const m = member.exec(term);
    if (!m) return undefined;
    let value = `${RESOURCE_VARIABLE}${m[1]!}`;
    for (const call of m[2]!.match(/[A-Za-z]+(?=\(\))/g) ?? []) value = `${value}.${METHODS[call]!}()`;
    cel.push(value);
  }
  return `${CEL_PREFIX}${cel.join(" + ")}`;
}

/** Splits `a + "x + y" + b` on the top-level `+` signs (not those in string literals or parentheses). */
function splitConcatenation(text: string): string[] | undefined {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      if (i >= text.length) return undefined;
    } else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "+" && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms.some((t) => t.trim() === "") ? undefined : terms;
}

/** `Literal:<value>` typed as the target property (model.md §0.2: it must parse as that type). */
export function literalValue(value: string, type: PropertyType): StoredValue {
  if (INTEGER_TYPES.has(type) || type === "Double") {
    const n = Number(value.trim());
    if (value.trim() === "" || !Number.isFinite(n) || (type !== "Double" && !Number.isInteger(n))) throw new Error(`Literal:${value} is not a ${type}`);
    return n;
  }
  if (type === "Bool") {
    const lower = value.trim().toLowerCase();
    if (lower !== "true" && lower !== "false") throw new Error(`Literal:${value} is not a Bool (true or false)`);
    return lower === "true";
  }
  return value;
}

