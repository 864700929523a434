/**
 * C# expressions (`C#:<variable>:<body>`), the reference product's language for computed values:
 * parsed with tree-sitter-c-sharp, compiled once into closures over the interpreter's whitelist,
 * evaluated per resource within a step budget. See README, "C# expressions".
 */
import type { EntityModel, PropertyType } from "../../resources/entity-model.js";
import type { ResourceChain } from "../resource-paths.js";
import type { ResourceObject } from "../compile-expressions.js";
import { INTEGER_TYPES } from "../expression-forms.js";
import { compileBody, type ReturnShape, type ValueKind } from "./compiler.js";
import { toStored } from "./datetime.js";
import { toText } from "./operators.js";
import type { Env } from "./runtime.js";
import { compileStringBody } from "./string-fast-path.js";
import { parseCSharp, TooDeep } from "./syntax.js";
import { CsChar, CsDateTime, CsGuid, CSharpException, CsTimeSpan, isNull, typeName, type CSharpValue } from "./values.js";

export type { CSharpValue } from "./values.js";

export interface CSharpProblem { message: string; start: number; end: number; hint?: string }

export interface CSharpProgram {
  /** Every `<variable>.A.B…` chain the body reads (through lambda parameters over collections too, as `elements`), for
   *  did-you-mean on unknown members and for loading navigations. Offsets are into `body`. */
  chains: ResourceChain[];
  /** The kind of value each `return` gives, where the syntax or the model tells (offsets into `body`). */
  returns: ReturnShape[];
  /** Never throws: a C# exception (NullReferenceException, InvalidOperationException, FormatException, the step
   *  budget) is { ok: false, error: "<ExceptionType>: <message>" }. */
  evaluate(resource: ResourceObject, context?: { iteration?: number }): { ok: true; value: CSharpValue } | { ok: false; error: string };
}

export function compileCSharp(variable: string | undefined, body: string, types: { model: EntityModel; entityType: string }): { program?: CSharpProgram; problems: CSharpProblem[] } {
  let root;
  try {
    root = parseCSharp(body);
  } catch (error) {
    if (error instanceof TooDeep) return { problems: [{ message: `the expression is nested ${error.message} deep`, start: 0, end: body.length }] };
    throw error;
  }
  const compiled = compileBody(root, variable, types.model, types.entityType);
  if (compiled.problems.length > 0 || !compiled.run) return { problems: compiled.problems };
  const run = compiled.run;
  const slots = compiled.slots;
  const interpret: CSharpProgram["evaluate"] = (resource, context) => {
    const iteration = context?.iteration === undefined ? 0n : BigInt(Math.trunc(context.iteration));
    const env: Env = { locals: new Array(slots).fill(null), steps: 0, iteration };
    env.locals[0] = resource as unknown as CSharpValue;
    try {
      return { ok: true, value: run(env) };
    } catch (error) {
      if (error instanceof CSharpException) return { ok: false, error: `${error.type}: ${error.message}` };
      if (error instanceof RangeError) return { ok: false, error: `InsufficientExecutionStackException: ${error.message}` };
      return { ok: false, error: `InternalError: ${(error as Error).message}` };
    }
  };
  const strings = compileStringBody(root, variable, types.model, types.entityType);
  const evaluate: CSharpProgram["evaluate"] = strings === undefined ? interpret : (resource, context) => {
    try {
      return { ok: true, value: strings(resource) };
    } catch {
      // FALLBACK (a value that is not a string), or anything else: the interpreter's answer, exception included.
      return interpret(resource, context);
    }
  };
  return { program: { chains: compiled.chains, returns: compiled.returns, evaluate }, problems: [] };
}

/** Whether a value of that kind can be stored in a property of that type (storedCSharpValue's rules, known before running). */
export function storableKind(kind: ValueKind, type: PropertyType): boolean {
  switch (type) {
    case "String": case "Guid": case "Binary":
      return true;
    case "Bool":
      return kind === "bool";
    case "DateTime":
      return kind === "date";
    default:
      return INTEGER_TYPES.has(type) || type === "Double" ? kind === "number" : true;
  }
}

/** The value as a property of that type stores it (see compile-expressions.ts storedValue for CEL): string, number,
 *  boolean, undefined for null; DateTime as ISO 8601 text like the stored dates; error text for what cannot be stored. */
export function storedCSharpValue(value: CSharpValue, type: PropertyType): { ok: true; value: string | number | boolean | undefined } | { ok: false; message: string } {
  if (isNull(value)) return { ok: true, value: undefined };
  const cannot = () => ({ ok: false as const, message: `a ${typeName(value)} cannot be stored in a ${type} property` });
  switch (type) {
    case "String":
      if (Array.isArray(value) || value instanceof Map) return cannot();
      if (value instanceof CsDateTime) return { ok: true, value: toText(value) };
      return { ok: true, value: toText(value) };
    case "DateTime":
      if (value instanceof CsDateTime) return { ok: true, value: toStored(value) };
      return cannot();
    case "Bool":
      return typeof value === "boolean" ? { ok: true, value } : cannot();
    case "Double":
      return typeof value === "number" || typeof value === "bigint" ? { ok: true, value: Number(value) } : cannot();
    case "Guid":
      return value instanceof CsGuid || typeof value === "string" ? { ok: true, value: toText(value) } : cannot();
    default:
      if (INTEGER_TYPES.has(type) || type === "ForeignKey") {
        if (typeof value === "bigint") return { ok: true, value: Number(value) };
        if (value instanceof CsChar) return { ok: true, value: value.code };
        return cannot();
      }
      if (typeof value === "string") return { ok: true, value };
      if (value instanceof CsTimeSpan) return cannot();
      return cannot();
  }
}
