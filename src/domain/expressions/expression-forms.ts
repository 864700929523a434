/**
 * The forms an EntityPropertyExpression's Expression and Binding can take (model.md §0.2), read
 * from the attribute text. Pure: validation (config/check-expressions.ts) and the task
 * (compile-expressions.ts) read the same forms.
 *
 * - `CEL:<expression>`: ours, evaluated with the variable `resource`;
 * - `Literal:<value>`: a constant;
 * - `Binding="Manager.LastName"` alone: the bound value copied, i.e. `CEL:resource.Manager.LastName`;
 * - `C#:var:<body>` (or `C#:<body>` without input): the C# subset of csharp/compile-csharp.ts;
 * - the reference's built-in functions (`ToUpper`, `Simplify`...) applied to a Binding.
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
  /** `variable`: the name the body gives its input (absent in `C#:<body>`); `offset`: where the body starts in the value. */
  | { kind: "csharp"; variable: string | undefined; body: string; offset: number }
  /** `ToUpper`, `ParseUniversalDate:yyyy-MM-dd`: the product's function applied to the Binding's value. */
  | { kind: "function"; name: string; argument: string | undefined; binding: string | undefined }
  | { kind: "unknown"; text: string }
  | { kind: "none" };

const CEL_PREFIX = "CEL:";
const LITERAL_PREFIX = "Literal:";
const CSHARP_PREFIX = "C#:";
/** Words a C# body can start with that are not the input's name. */
const STATEMENT_WORDS = new Set(["return", "var", "if", "string", "int", "bool", "long", "double", "DateTime"]);

export function readExpressionForm(expression: string | undefined, binding: string | undefined): ExpressionForm {
  if (expression === undefined || expression === "") {
    if (binding === undefined || binding === "") return { kind: "none" };
    return { kind: "cel", source: `${RESOURCE_VARIABLE}.${binding}`, offset: -RESOURCE_VARIABLE.length - 1, attribute: "Binding" };
  }
  if (expression.startsWith(CEL_PREFIX)) return { kind: "cel", source: expression.slice(CEL_PREFIX.length), offset: CEL_PREFIX.length, attribute: "Expression" };
  if (expression.startsWith(LITERAL_PREFIX)) return { kind: "literal", value: expression.slice(LITERAL_PREFIX.length) };
  if (expression.startsWith(CSHARP_PREFIX)) {
    const rest = expression.slice(CSHARP_PREFIX.length);
    // `C#:p:return p.A;`, but not `C#:return x ? a : b;` whose first word is a statement, not a name.
    const named = /^([A-Za-z_]\w*):(?!:)/.exec(rest);
    const variable = named && !STATEMENT_WORDS.has(named[1]!) ? named[1]! : undefined;
    const offset = CSHARP_PREFIX.length + (variable === undefined ? 0 : named![0].length);
    return { kind: "csharp", variable, body: expression.slice(offset), offset };
  }
  const fn = /^([A-Z][A-Za-z0-9]*)(?::[\s\S]*)?$/.exec(expression);
  if (fn) {
    const colon = expression.indexOf(":");
    return { kind: "function", name: fn[1]!, argument: colon === -1 ? undefined : expression.slice(colon + 1), binding: binding === "" ? undefined : binding };
  }
  return { kind: "unknown", text: expression };
}

/**
 * A function form as the C# it stands for: the predefined functions are extension methods of the
 * C# subset (`resource.LastName.ToUpper()`), and their `a|b` argument is one string they split.
 */
export function functionAsCSharp(form: Extract<ExpressionForm, { kind: "function" }>, binding: string): { variable: string; body: string } {
  // JSON's string escapes are C#'s too.
  const argument = form.argument === undefined ? "" : JSON.stringify(form.argument);
  return { variable: RESOURCE_VARIABLE, body: `${FUNCTION_BODY_START}${binding}.${form.name}(${argument});` };
}

/** Where the Binding starts in functionAsCSharp's body. */
export const FUNCTION_BODY_START = `return ${RESOURCE_VARIABLE}.`;

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

