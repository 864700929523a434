/**
 * Turns a C# body's syntax tree into a tree of closures, once per expression: each closure
 * evaluates one node. No source text is ever executed: the closures only call the interpreter's
 * own tables (members.ts, statics.ts). While compiling, it reports what the subset does not
 * support (with what to write instead), types the variable's chains with the entity model, and
 * collects the `<variable>.A.B` chains the body reads.
 *
 * `a?.b.c` short-circuits the whole chain as in C#: the conditional access yields SHORT, which
 * every member access, call and indexer of the same chain passes on, and which becomes null where
 * the chain ends (a parenthesis ends it too, as in C#).
 */
import type { EntityModel, PropertyType } from "../../resources/entity-model.js";
import type { ResourceChain } from "../resource-paths.js";
import { fromStored } from "./datetime.js";
import { LINQ } from "./linq.js";
import { METHODS, PROPERTIES } from "./members.js";
import { add, arithmetic, bitwise, cast, compare, equals, negate, subtract, toText, truthy, type CastTarget } from "./operators.js";
import { charge, OutSlot, type Argument, type Env, type Lambda } from "./runtime.js";
import { align, CONSTRUCTORS, STATIC_TYPES, type StaticType } from "./statics.js";
import type { SyntaxNode } from "./syntax.js";
import {
  CsChar, CSharpException, isNull, NULLS, nullReference, TypedNull, typeName, type CSharpValue, type NullType, type ResourceMap,
} from "./values.js";

export interface Problem { message: string; start: number; end: number; hint?: string }

type Code = (env: Env) => CSharpValue;
/** A statement gives NEXT, or the value of the `return` it ran. */
type Statement = (env: Env) => CSharpValue | typeof NEXT;

const NEXT: unique symbol = Symbol("next");
const SHORT = Symbol("short") as unknown as CSharpValue;

/** What the compiler knows of an expression's value: an entity (or collection of), a property type, the chain it reads. */
interface Static {
  entity?: string;
  collection?: boolean;
  scalar?: PropertyType;
  chain?: ResourceChain;
}

interface Compiled {
  code: Code;
  st: Static;
}

interface Local { slot: number; st: Static }

const MAX_DEPTH = 500;

const LOOP: [string, string] = ["loops are not supported", "use LINQ: list.Where(x => …).Select(x => …), Any, All, Count, Sum"];
const EXCEPTION: [string, string] = ["exceptions cannot be thrown or caught in expressions", "return null for no value"];
/** Statements C# has and expressions do not: what to say, and what to write instead. */
const UNSUPPORTED_STATEMENTS = new Map<string, [string, string]>([
  ["for_statement", LOOP], ["foreach_statement", LOOP], ["while_statement", LOOP], ["do_statement", LOOP],
  ["switch_statement", ["switch is not supported", "write if/else or ?:"]],
  ["try_statement", EXCEPTION], ["throw_statement", EXCEPTION],
  ["local_function_statement", ["local functions are not supported", "compute the value inline"]],
]);

const CHAIN_NODES = new Set(["member_access_expression", "invocation_expression", "element_access_expression", "conditional_access_expression"]);

/** LINQ methods that give one element of their receiver, and those that give a sub-sequence of it. */
const ELEMENT_METHODS = new Set(["First", "FirstOrDefault", "Last", "LastOrDefault", "Single", "SingleOrDefault", "ElementAt", "ElementAtOrDefault"]);
const SEQUENCE_METHODS = new Set(["Where", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "Skip", "Take", "SkipLast", "TakeLast", "Distinct", "ToList", "ToArray", "ToHashSet", "AsEnumerable", "Reverse"]);

const TYPE_NAMES: Record<string, CastTarget> = {
  int: "int", Int32: "int", "System.Int32": "int", long: "long", Int64: "long", "System.Int64": "long", short: "short", Int16: "short", byte: "byte", Byte: "byte",
  double: "double", Double: "double", float: "double", Single: "double", decimal: "double", Decimal: "double", string: "string", String: "string", "System.String": "string",
  bool: "bool", Boolean: "bool", char: "char", Char: "char", DateTime: "DateTime", "System.DateTime": "DateTime", TimeSpan: "TimeSpan", object: "object", Object: "object",
};

const NULL_OF_TARGET: Record<CastTarget, NullType> = {
  int: "Int", long: "Int", short: "Int", byte: "Int", double: "Double", string: "String", bool: "Bool", char: "Object", DateTime: "DateTime", TimeSpan: "Object", object: "Object",
};

function nullOfProperty(type: PropertyType | undefined): TypedNull {
  switch (type) {
    case "String": return NULLS.String;
    case "DateTime": return NULLS.DateTime;
    case "Int32": case "Int64": case "Int16": case "Byte": return NULLS.Int;
    case "Double": return NULLS.Double;
    case "Bool": return NULLS.Bool;
    default: return NULLS.Object;
  }
}

const nullOfStatic = (st: Static): CSharpValue => (st.scalar ? nullOfProperty(st.scalar) : st.entity && st.collection ? NULLS.Object : null);

/** A stored value as C# reads a property of that type. */
function readProperty(value: unknown, type: PropertyType | undefined): CSharpValue {
  switch (type) {
    case "DateTime":
      return typeof value === "string" ? (fromStored(value) ?? value) : (value as CSharpValue);
    case "Int32": case "Int64": case "Int16": case "Byte":
      return typeof value === "number" && Number.isInteger(value) ? BigInt(value) : (value as CSharpValue);
    case "Double":
      return typeof value === "bigint" ? Number(value) : (value as CSharpValue);
    default:
      return value as CSharpValue;
  }
}

function unescape(text: string): string {
  return text.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{1,4}|.)/g, (_all, e: string) => {
    switch (e[0]) {
      case "n": return "\n";
      case "t": return "\t";
      case "r": return "\r";
      case "0": return "\0";
      case "a": return "\x07";
      case "b": return "\b";
      case "f": return "\f";
      case "v": return "\v";
      case "u": case "x": return String.fromCharCode(parseInt(e.slice(1), 16));
      case "U": return String.fromCodePoint(parseInt(e.slice(1), 16));
      default: return e;
    }
  });
}

function integerLiteral(text: string): bigint {
  const t = text.replace(/_/g, "").replace(/[uUlL]+$/, "");
  return BigInt(t);
}

/** What a `return` gives, when its syntax or the model tells (for validation against the target property's type). */
export interface ReturnShape {
  kind: ValueKind;
  start: number;
  end: number;
}

export type ValueKind = "string" | "bool" | "number" | "date";

export interface CompileResult {
  run?: (env: Env) => CSharpValue;
  slots: number;
  problems: Problem[];
  chains: ResourceChain[];
  returns: ReturnShape[];
}

export function compileBody(root: SyntaxNode, variable: string | undefined, model: EntityModel, entityType: string): CompileResult {
  const problems: Problem[] = [];
  const chains: ResourceChain[] = [];
  const returns: ReturnShape[] = [];
  let slots = 1;
  const scopes: Map<string, Local>[] = [new Map()];
  const rootStatic: Static = { entity: entityType, chain: { fields: [], offsets: [], elements: [] } };
  if (variable !== undefined) scopes[0]!.set(variable, { slot: 0, st: rootStatic });

  const problem = (node: SyntaxNode, message: string, hint?: string): Compiled => {
    problems.push(hint === undefined ? { message, start: node.startIndex, end: node.endIndex } : { message, start: node.startIndex, end: node.endIndex, hint });
    return { code: () => null, st: {} };
  };

  const lookup = (name: string): Local | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const found = scopes[i]!.get(name);
      if (found) return found;
    }
    return undefined;
  };

  const declare = (node: SyntaxNode, name: string, st: Static): number => {
    if (lookup(name)) problem(node, `a local named '${name}' is already declared here`, "choose another name");
    const slot = slots++;
    scopes[scopes.length - 1]!.set(name, { slot, st });
    return slot;
  };

  const scoped = <T>(f: () => T): T => {
    scopes.push(new Map());
    try {
      return f();
    } finally {
      scopes.pop();
    }
  };

  /** A dotted name made only of identifiers (`System.DateTime`), to find static types. */
  const dottedName = (node: SyntaxNode): string | undefined => {
    switch (node.type) {
      case "identifier":
        return lookup(node.text) ? undefined : node.text;
      case "predefined_type":
        return node.text;
      case "qualified_name":
        return node.text.replace(/\s+/g, "");
      case "member_access_expression": {
        const left = dottedName(node.childForFieldName("expression")!);
        return left === undefined ? undefined : `${left}.${node.childForFieldName("name")!.text}`;
      }
      default:
        return undefined;
    }
  };

  const staticType = (node: SyntaxNode): StaticType | undefined => {
    const name = dottedName(node);
    return name === undefined ? undefined : STATIC_TYPES.get(name);
  };

  /** A type written in a cast, a declaration or `new`: its cast target and whether it is nullable. */
  const typeOf = (node: SyntaxNode): { target: CastTarget; nullable: boolean } | undefined => {
    switch (node.type) {
      case "nullable_type": {
        const inner = typeOf(node.childForFieldName("type") ?? node.namedChildren[0]!);
        return inner && { target: inner.target, nullable: true };
      }
      case "generic_name": {
        const [name, list] = node.namedChildren;
        if (name?.text === "Nullable" && list?.namedChildren.length === 1) {
          const inner = typeOf(list.namedChildren[0]!);
          return inner && { target: inner.target, nullable: true };
        }
        return undefined;
      }
      default: {
        const target = TYPE_NAMES[node.text.replace(/^System\./, "")] ?? TYPE_NAMES[node.text];
        return target && { target, nullable: target === "string" || target === "object" };
      }
    }
  };

  // ---- expressions ---------------------------------------------------------------------------

  /** The value of an expression: a chain ends here, its short-circuit becomes null. */
  const value = (node: SyntaxNode): Compiled => {
    const compiled = expression(node);
    if (!CHAIN_NODES.has(node.type)) return compiled;
    const inner = compiled.code;
    const nothing = nullOfStatic(compiled.st);
    return { code: (env) => { const v = inner(env); return v === SHORT ? nothing : v; }, st: compiled.st };
  };

  const condition = (node: SyntaxNode): ((env: Env) => boolean) => {
    const c = value(node).code;
    const what = node.text.length > 40 ? `${node.text.slice(0, 40)}…` : node.text;
    return (env) => truthy(c(env), what);
  };

  const extendChain = (receiver: Static, name: string, offset: number): Static => {
    if (!receiver.chain || !receiver.entity || receiver.collection) return {};
    const chain: ResourceChain = { fields: [...receiver.chain.fields, name], offsets: [...receiver.chain.offsets, offset], elements: receiver.chain.elements };
    chains.push(chain);
    const property = model.entityTypes.get(receiver.entity)?.properties.get(name);
    if (!property) return { chain };
    if (property.navigation) return { entity: property.navigation.target, collection: property.navigation.collection, chain };
    return { scalar: property.type, chain };
  };

  const elementOf = (st: Static): Static => {
    if (!st.entity || !st.collection || !st.chain) return {};
    return { entity: st.entity, chain: { ...st.chain, elements: [...st.chain.elements, st.chain.fields.length - 1] } };
  };

  /** `receiver.name` where receiver may short-circuit; `guarded`: `receiver?.name`. */
  const memberRead = (receiver: Compiled, nameNode: SyntaxNode, guarded: boolean): Compiled => {
    const name = nameNode.text;
    if (nameNode.type !== "identifier") return problem(nameNode, `'${name}' is not supported here`);
    const st = extendChain(receiver.st, name, nameNode.startIndex);
    const recv = receiver.code;
    const property = receiver.st.entity && !receiver.st.collection ? model.entityTypes.get(receiver.st.entity)?.properties.get(name) : undefined;
    const absent: CSharpValue = property?.navigation ? (property.navigation.collection ? [] : NULLS.Object) : property ? nullOfProperty(property.type) : null;
    const type = property?.navigation ? undefined : property?.type;
    const builtin = PROPERTIES.get(name);
    if (receiver.st.scalar && !builtin) {
      return problem(nameNode, `'${name}' is not a member of ${receiver.st.scalar} that idm-toolkit knows`, "see the README, section C# expressions, for the supported members");
    }
    return {
      st,
      code: (env) => {
        charge(env, 1);
        const r = recv(env);
        if (r === SHORT || (guarded && isNull(r))) return SHORT;
        if (r instanceof Map) {
          const v = (r as ResourceMap).get(name);
          return v === undefined || v === null ? absent : readProperty(v, type);
        }
        if (builtin) return builtin(env, r);
        if (isNull(r)) throw nullReference(name);
        throw new CSharpException("InvalidOperationException", `'${typeName(r)}' does not contain a definition for '${name}'`);
      },
    };
  };

  const expression = (node: SyntaxNode): Compiled => {
    switch (node.type) {
      case "parenthesized_expression":
        return value(node.namedChildren[0]!);
      case "integer_literal": {
        const v = integerLiteral(node.text);
        return { code: () => v, st: {} };
      }
      case "real_literal": {
        const v = Number(node.text.replace(/_/g, "").replace(/[fFdDmM]$/, ""));
        return { code: () => v, st: {} };
      }
      case "boolean_literal": {
        const v = node.text === "true";
        return { code: () => v, st: {} };
      }
      case "null_literal":
        return { code: () => null, st: {} };
      case "character_literal": {
        const raw = node.text.slice(1, -1);
        const v = new CsChar(unescape(raw).charCodeAt(0));
        return { code: () => v, st: {} };
      }
      case "string_literal": {
        const v = unescape(node.text.slice(1, -1));
        return { code: () => v, st: { scalar: "String" } };
      }
      case "verbatim_string_literal": {
        const v = node.text.slice(2, -1).replace(/""/g, '"');
        return { code: () => v, st: { scalar: "String" } };
      }
      case "interpolated_string_expression":
        return interpolated(node);
      case "identifier":
        return identifier(node);
      case "member_access_expression": {
        const target = node.childForFieldName("expression")!;
        const nameNode = node.childForFieldName("name")!;
        const type = staticType(target);
        if (type) return staticProperty(type, nameNode);
        if (target.type === "identifier" && !lookup(target.text) && target.text !== variable && target.text !== "iteration") {
          return problem(target, `'${target.text}' is not a variable or a type idm-toolkit knows`, hintForName(target.text));
        }
        return memberRead(chainPart(target), nameNode, false);
      }
      case "conditional_access_expression": {
        const receiver = chainPart(node.childForFieldName("condition")!);
        const binding = node.namedChildren[1]!;
        if (binding.type === "member_binding_expression") return memberRead(receiver, binding.childForFieldName("name")!, true);
        if (binding.type === "element_binding_expression") return indexer(receiver, binding.namedChildren, binding, true);
        return problem(binding, `'${binding.text}' is not supported after ?.`);
      }
      case "element_access_expression": {
        const subscript = node.childForFieldName("subscript")!;
        return indexer(chainPart(node.childForFieldName("expression")!), subscript.namedChildren, subscript, false);
      }
      case "invocation_expression":
        return invocation(node);
      case "binary_expression":
        return binary(node);
      case "prefix_unary_expression":
        return prefix(node);
      case "postfix_unary_expression": {
        const operator = node.children[node.childCount - 1]!.type;
        if (operator === "!") return value(node.namedChildren[0]!);
        return problem(node, `'${operator}' is not supported: expressions do not change variables this way`, "write x = x + 1");
      }
      case "conditional_expression": {
        const test = condition(node.childForFieldName("condition")!);
        const yes = value(node.childForFieldName("consequence")!);
        const no = value(node.childForFieldName("alternative")!);
        const a = yes.code, b = no.code;
        return { code: (env) => (test(env) ? a(env) : b(env)), st: yes.st.scalar ? yes.st : no.st };
      }
      case "cast_expression": {
        const typeNode = node.childForFieldName("type")!;
        const type = typeOf(typeNode);
        if (!type) return problem(typeNode, `a cast to '${typeNode.text}' is not supported`, "cast to int, long, double, string, bool, char, DateTime or their nullable forms (DateTime?, Nullable<DateTime>)");
        const inner = value(node.childForFieldName("value")!);
        const c = inner.code;
        const scalar: PropertyType | undefined = type.target === "DateTime" ? "DateTime" : type.target === "string" ? "String" : type.target === "int" ? "Int32" : type.target === "long" ? "Int64" : type.target === "double" ? "Double" : type.target === "bool" ? "Bool" : undefined;
        return { code: (env) => cast(c(env), type.target, type.nullable), st: { ...inner.st, scalar } };
      }
      case "is_pattern_expression":
        return isPattern(node);
      case "assignment_expression":
        return assignment(node);
      case "object_creation_expression":
        return creation(node);
      case "array_creation_expression":
      case "implicit_array_creation_expression": {
        const initializer = node.namedChildren.find((c) => c.type === "initializer_expression");
        if (!initializer) return problem(node, "an array without initializer is not supported", "write new[] { a, b }");
        return list(initializer);
      }
      case "lambda_expression":
        return problem(node, "a lambda is supported only as the argument of a LINQ method", "write list.Where(x => …) or list.Select(x => …)");
      case "typeof_expression":
        return problem(node, "typeof and reflection are not supported", "compare values instead of types");
      case "default_expression": {
        const typeNode = node.childForFieldName("type");
        const type = typeNode ? typeOf(typeNode) : undefined;
        if (!type) return problem(node, "default without a supported type is not supported", "write null, 0, false or DateTime.MinValue");
        const v = type.nullable ? NULLS[NULL_OF_TARGET[type.target]] : DEFAULTS[type.target];
        return { code: () => v, st: {} };
      }
      case "query_expression":
        return problem(node, "LINQ query syntax (from … select) is not supported", "write the method form: list.Where(x => …).Select(x => …)");
      case "switch_expression":
        return problem(node, "switch expressions are not supported", "write ?: or if/else");
      case "as_expression":
        return problem(node, "'as' is not supported", "write a cast, (string)x, or test with x is null");
      case "this_expression":
      case "base_expression":
        return problem(node, `'${node.text}' is not supported`);
      case "predefined_type":
        return problem(node, `'${node.text}' is a type, not a value`);
      default:
        return problem(node, `${describe(node.type)} is not supported`, undefined);
    }
  };

  const DEFAULTS: Record<CastTarget, CSharpValue> = {
    int: 0n, long: 0n, short: 0n, byte: 0n, double: 0, string: NULLS.String, bool: false, char: new CsChar(0), DateTime: null, TimeSpan: null, object: null,
  };
  DEFAULTS.DateTime = STATIC_TYPES.get("DateTime")!.properties.get("MinValue")!({ locals: [], steps: 0, iteration: 0n });
  DEFAULTS.TimeSpan = STATIC_TYPES.get("TimeSpan")!.properties.get("Zero")!({ locals: [], steps: 0, iteration: 0n });

  /** A receiver inside a chain: it may yield SHORT. */
  const chainPart = (node: SyntaxNode): Compiled => (CHAIN_NODES.has(node.type) ? expression(node) : value(node));

  const identifier = (node: SyntaxNode): Compiled => {
    const name = node.text;
    const local = lookup(name);
    if (local) {
      const slot = local.slot;
      return { code: (env) => env.locals[slot] ?? null, st: local.st };
    }
    if (name === "iteration") return { code: (env) => env.iteration, st: { scalar: "Int32" } };
    return problem(node, `'${name}' is not a variable idm-toolkit knows`, hintForName(name));
  };

  const hintForName = (name: string): string => {
    if (name === "queryHandler") return "SQuery (queryHandler.Select) is not supported by idm-toolkit: read navigations through the variable";
    if (name === "assignment" || name === "provisioningOrder") return `the context variable '${name}' is not supported by idm-toolkit yet`;
    return variable === undefined ? "this expression has no variable (C#:<variable>:<body> names one)" : `the expression's variable is '${variable}'; iteration is the other one`;
  };

  const staticProperty = (type: StaticType, nameNode: SyntaxNode): Compiled => {
    const get = type.properties.get(nameNode.text);
    if (!get) return problem(nameNode, `${type.name}.${nameNode.text} is not supported`, `supported: ${[...type.properties.keys(), ...type.methods.keys()].join(", ") || "none"}`);
    return { code: get, st: {} };
  };

  const interpolated = (node: SyntaxNode): Compiled => {
    const verbatim = node.children[0]?.text.includes("@") ?? false;
    const parts: Code[] = [];
    for (const child of node.children) {
      if (child.type === "string_content") {
        const t = child.text.replace(/\{\{/g, "{").replace(/\}\}/g, "}");
        const s = verbatim ? t.replace(/""/g, '"') : t;
        parts.push(() => s);
      } else if (child.type === "escape_sequence") {
        const s = unescape(child.text);
        parts.push(() => s);
      } else if (child.type === "interpolation") {
        const exprNode = child.namedChildren.find((c) => c.type !== "interpolation_brace" && c.type !== "interpolation_alignment_clause" && c.type !== "interpolation_format_clause");
        if (!exprNode) continue;
        const e = value(exprNode).code;
        const alignNode = child.namedChildren.find((c) => c.type === "interpolation_alignment_clause");
        const formatNode = child.namedChildren.find((c) => c.type === "interpolation_format_clause");
        const alignment = alignNode ? Number(alignNode.text.replace(/^,\s*/, "")) : 0;
        const closing = child.children[child.childCount - 1]!;
        const format = formatNode ? root.text.slice(formatNode.startIndex + 1, closing.startIndex) : undefined;
        parts.push((env) => align(toText(e(env), format), alignment));
      }
    }
    return { code: (env) => { let s = ""; for (const p of parts) s += toText(p(env)); return s; }, st: { scalar: "String" } };
  };

  const indexer = (receiver: Compiled, args: SyntaxNode[], at: SyntaxNode, guarded: boolean): Compiled => {
    if (args.length !== 1) return problem(at, "an indexer takes one index");
    const index = value(args[0]!.namedChildren[0] ?? args[0]!).code;
    const recv = receiver.code;
    return {
      st: elementOf(receiver.st),
      code: (env) => {
        charge(env, 1);
        const r = recv(env);
        if (r === SHORT || (guarded && isNull(r))) return SHORT;
        const i = index(env);
        if (typeof r === "string") {
          if (typeof i !== "bigint") throw new CSharpException("InvalidCastException", "a string index is an int");
          if (i < 0n || i >= BigInt(r.length)) throw new CSharpException("IndexOutOfRangeException", "Index was outside the bounds of the array.");
          return new CsChar(r.charCodeAt(Number(i)));
        }
        if (Array.isArray(r)) {
          if (typeof i !== "bigint") throw new CSharpException("InvalidCastException", "a list index is an int");
          if (i < 0n || i >= BigInt(r.length)) throw new CSharpException("ArgumentOutOfRangeException", "Index was out of range. Must be non-negative and less than the size of the collection. (Parameter 'index')");
          return (r as CSharpValue[])[Number(i)]!;
        }
        if (isNull(r)) throw nullReference("[]");
        throw new CSharpException("InvalidOperationException", `Cannot apply indexing with [] to an expression of type '${typeName(r)}'`);
      },
    };
  };

  /** Arguments of a call; `lambdas`: the element type their first parameter gets, when the method takes lambdas. */
  const argumentsOf = (listNode: SyntaxNode, lambdas: Static | undefined): { codes: ((env: Env) => Argument)[]; lambdaBodies: Static[] } => {
    const codes: ((env: Env) => Argument)[] = [];
    const lambdaBodies: Static[] = [];
    for (const arg of listNode.namedChildren) {
      if (arg.type !== "argument") continue;
      if (arg.children.some((c) => c.type === "name_colon")) {
        problem(arg, "named arguments are not supported", "pass the arguments in order");
        continue;
      }
      const modifier = arg.children.find((c) => c.type === "out" || c.type === "ref" || c.type === "in")?.type;
      const inner = arg.namedChildren[arg.namedChildren.length - 1]!;
      if (modifier === "ref" || modifier === "in") {
        problem(arg, `'${modifier}' arguments are not supported`);
        continue;
      }
      if (modifier === "out") {
        let slot: number;
        if (inner.type === "declaration_expression") {
          const nameNode = inner.childForFieldName("name")!;
          const typeNode = inner.childForFieldName("type")!;
          const t = typeNode.type === "implicit_type" ? undefined : typeOf(typeNode);
          slot = declare(nameNode, nameNode.text, { scalar: t?.target === "DateTime" ? "DateTime" : undefined });
        } else if (inner.type === "identifier" && lookup(inner.text)) {
          slot = lookup(inner.text)!.slot;
        } else if (inner.text === "_") {
          slot = slots++;
        } else {
          problem(inner, "an out argument is a local variable: out var x, out int x or out x");
          continue;
        }
        const out = new OutSlot(slot);
        codes.push(() => out);
        continue;
      }
      if (inner.type === "lambda_expression") {
        if (!lambdas) {
          problem(inner, "a lambda is supported only as the argument of a LINQ method", "write list.Where(x => …) or list.Select(x => …)");
          continue;
        }
        const compiled = lambda(inner, lambdas);
        lambdaBodies.push(compiled.body);
        const f = compiled.f;
        codes.push(() => f);
        continue;
      }
      codes.push(value(inner).code);
    }
    return { codes, lambdaBodies };
  };

  const lambda = (node: SyntaxNode, element: Static): { f: Lambda; body: Static } =>
    scoped(() => {
      const params = node.childForFieldName("parameters");
      const names: SyntaxNode[] = !params ? [] : params.type === "implicit_parameter" || params.type === "identifier" ? [params] : params.namedChildren.map((p) => p.childForFieldName("name") ?? p);
      const paramSlots = names.map((n, i) => declare(n, n.text, i === 0 ? element : {}));
      const bodyNode = node.childForFieldName("body")!;
      let body: Code;
      let st: Static = {};
      if (bodyNode.type === "block") {
        const run = block(bodyNode);
        if (!alwaysReturns(bodyNode)) problem(bodyNode, "not all code paths of this lambda return a value");
        body = (env) => {
          const r = run(env);
          return r === NEXT ? null : r;
        };
      } else {
        const compiled = value(bodyNode);
        body = compiled.code;
        st = compiled.st;
      }
      const f: Lambda = (env, args) => {
        charge(env, 1);
        for (let i = 0; i < paramSlots.length; i++) env.locals[paramSlots[i]!] = args[i] ?? null;
        return body(env);
      };
      return { f, body: st };
    });

  const invocation = (node: SyntaxNode): Compiled => {
    const fn = node.childForFieldName("function")!;
    const argList = node.childForFieldName("arguments")!;
    let receiverNode: SyntaxNode | undefined;
    let nameNode: SyntaxNode;
    let guarded = false;
    if (fn.type === "member_access_expression") {
      receiverNode = fn.childForFieldName("expression")!;
      nameNode = fn.childForFieldName("name")!;
    } else if (fn.type === "conditional_access_expression" && fn.namedChildren[1]?.type === "member_binding_expression") {
      receiverNode = fn.childForFieldName("condition")!;
      nameNode = fn.namedChildren[1].childForFieldName("name")!;
      guarded = true;
    } else {
      return problem(fn, `calling '${fn.text}' is not supported`, "call a method on a value (s.ToUpper()) or on a type (string.IsNullOrEmpty(s))");
    }
    const name = nameNode.text;
    const type = guarded ? undefined : staticType(receiverNode);
    if (!type && receiverNode.type === "identifier" && !lookup(receiverNode.text) && receiverNode.text !== variable && receiverNode.text !== "iteration" && receiverNode.text !== "logger") {
      return problem(receiverNode, `'${receiverNode.text}' is not a variable or a type idm-toolkit knows`, hintForName(receiverNode.text));
    }
    if (nameNode.type !== "identifier") return problem(nameNode, `generic method '${name}' is not supported`);
    if (type) {
      const method = type.methods.get(name);
      if (!method) return problem(nameNode, `${type.name}.${name} is not on the whitelist of idm-toolkit`, methodHint(type));
      const { codes } = argumentsOf(argList, undefined);
      return { code: (env) => { charge(env, 1); return method(env, codes.map((c) => c(env))); }, st: {} };
    }
    if (receiverNode.type === "identifier" && receiverNode.text === "logger" && !lookup("logger")) {
      const { codes } = argumentsOf(argList, undefined);
      return { code: (env) => { for (const c of codes) c(env); return null; }, st: {} };
    }
    const method = METHODS.get(name);
    if (!method) return problem(nameNode, `the method ${name} is not on the whitelist of idm-toolkit`, "see the README, section C# expressions, for the supported members");
    const receiver = chainPart(receiverNode);
    const isLinq = LINQ.has(name);
    const { codes, lambdaBodies } = argumentsOf(argList, isLinq ? elementOf(receiver.st) : undefined);
    let st: Static = {};
    if (receiver.st.collection && ELEMENT_METHODS.has(name)) st = elementOf(receiver.st);
    else if (receiver.st.collection && SEQUENCE_METHODS.has(name)) st = receiver.st;
    else if (name === "Select" && lambdaBodies[0]?.entity && lambdaBodies[0].chain) st = { ...lambdaBodies[0], collection: true };
    else if (name === "GetValueOrDefault" || name === "ToUniversalTime" || name === "ToLocalTime" || name.startsWith("Add")) st = { scalar: receiver.st.scalar };
    const recv = receiver.code;
    return {
      st,
      code: (env) => {
        charge(env, 1);
        const r = recv(env);
        if (r === SHORT || (guarded && isNull(r))) return SHORT;
        const args: Argument[] = [];
        for (const c of codes) args.push(c(env));
        return method(env, r, args);
      },
    };
  };

  const methodHint = (type: StaticType): string => `supported: ${[...type.methods.keys()].join(", ")}`;

  const BINARY: Record<string, (a: CSharpValue, b: CSharpValue) => CSharpValue> = {
    "+": add,
    "-": subtract,
    "*": (a, b) => arithmetic("*", a, b),
    "/": (a, b) => arithmetic("/", a, b),
    "%": (a, b) => arithmetic("%", a, b),
    "==": equals,
    "!=": (a, b) => !equals(a, b),
    "<": (a, b) => compare("<", a, b),
    ">": (a, b) => compare(">", a, b),
    "<=": (a, b) => compare("<=", a, b),
    ">=": (a, b) => compare(">=", a, b),
    "&": (a, b) => bitwise("&", a, b),
    "|": (a, b) => bitwise("|", a, b),
    "^": (a, b) => bitwise("^", a, b),
    "<<": (a, b) => bitwise("<<", a, b),
    ">>": (a, b) => bitwise(">>", a, b),
  };

  const binary = (node: SyntaxNode): Compiled => {
    const operator = node.childForFieldName("operator")?.type ?? node.children[1]!.type;
    const left = value(node.childForFieldName("left")!);
    const right = value(node.childForFieldName("right")!);
    const a = left.code, b = right.code;
    const what = node.text.length > 40 ? `${node.text.slice(0, 40)}…` : node.text;
    switch (operator) {
      case "&&":
        return { code: (env) => truthy(a(env), what) && truthy(b(env), what), st: {} };
      case "||":
        return { code: (env) => truthy(a(env), what) || truthy(b(env), what), st: {} };
      case "??":
        return { code: (env) => { const v = a(env); return isNull(v) ? b(env) : v; }, st: left.st.scalar ? left.st : right.st };
    }
    const f = BINARY[operator];
    if (!f) return problem(node, `the operator '${operator}' is not supported`);
    const st: Static = operator === "+" && (left.st.scalar === "String" || right.st.scalar === "String") ? { scalar: "String" } : {};
    return { code: (env) => { charge(env, 1); return f(a(env), b(env)); }, st };
  };

  const prefix = (node: SyntaxNode): Compiled => {
    const operator = node.children[0]!.type;
    const operand = value(node.namedChildren[0]!).code;
    const what = node.text;
    switch (operator) {
      // Lifted: !null is null for a bool?.
      case "!": return { code: (env) => { const v = operand(env); return isNull(v) ? v : !truthy(v, what); }, st: {} };
      case "-": return { code: (env) => negate(operand(env)), st: {} };
      case "+": return { code: operand, st: {} };
      case "~": return { code: (env) => { const v = operand(env); if (typeof v !== "bigint") throw new CSharpException("InvalidOperationException", "'~' applies to an int"); return ~v; }, st: {} };
      default: return problem(node, `'${operator}' is not supported: expressions do not change variables this way`, "write x = x + 1");
    }
  };

  const isPattern = (node: SyntaxNode): Compiled => {
    const subject = value(node.childForFieldName("expression")!).code;
    const pattern = node.childForFieldName("pattern") ?? node.namedChildren[1]!;
    const test = patternTest(pattern);
    if (!test) return problem(pattern, `the pattern '${pattern.text}' is not supported`, "write x is null, x is not null or x is <constant>");
    return { code: (env) => test(subject(env), env), st: {} };
  };

  const patternTest = (pattern: SyntaxNode): ((v: CSharpValue, env: Env) => boolean) | undefined => {
    if (pattern.type === "constant_pattern") {
      const constant = value(pattern.namedChildren[0]!).code;
      return (v, env) => equals(v, constant(env));
    }
    if (pattern.type === "negated_pattern") {
      const inner = patternTest(pattern.namedChildren[0]!);
      return inner && ((v, env) => !inner(v, env));
    }
    return undefined;
  };

  const assignment = (node: SyntaxNode): Compiled => {
    const left = node.childForFieldName("left")!;
    const operator = node.childForFieldName("operator")?.type ?? node.children[1]!.type;
    const local = left.type === "identifier" ? lookup(left.text) : undefined;
    if (!local || local.slot === 0) return problem(left, "only local variables can be assigned", "declare a local: var x = …;");
    const right = value(node.childForFieldName("right")!).code;
    const slot = local.slot;
    const op = operator.slice(0, -1);
    const combine = operator === "=" ? undefined : op === "??" ? undefined : BINARY[op];
    if (operator !== "=" && operator !== "??=" && !combine) return problem(node, `the operator '${operator}' is not supported`);
    return {
      st: {},
      code: (env) => {
        const current = env.locals[slot] ?? null;
        const v = operator === "=" ? right(env) : operator === "??=" ? (isNull(current) ? right(env) : current) : combine!(current, right(env));
        env.locals[slot] = v;
        return v;
      },
    };
  };

  const list = (initializer: SyntaxNode): Compiled => {
    const items = initializer.namedChildren.map((c) => value(c).code);
    return { code: (env) => items.map((i) => i(env)), st: {} };
  };

  const creation = (node: SyntaxNode): Compiled => {
    const typeNode = node.childForFieldName("type")!;
    const name = typeNode.type === "generic_name" ? typeNode.namedChildren[0]!.text : typeNode.text.replace(/^System\.(Collections\.Generic\.)?/, "");
    const constructor = CONSTRUCTORS.get(name);
    if (!constructor) return problem(typeNode, `new ${typeNode.text} is not supported`, "new is supported for DateTime, TimeSpan, Random, Guid, List<T>, string and arrays");
    const argList = node.childForFieldName("arguments");
    const { codes } = argList ? argumentsOf(argList, undefined) : { codes: [] };
    const initializer = node.childForFieldName("initializer") ?? node.namedChildren.find((c) => c.type === "initializer_expression");
    if (initializer) {
      if (name !== "List") return problem(initializer, "object initializers are not supported");
      return list(initializer);
    }
    return { code: (env) => { charge(env, 1); return constructor(env, codes.map((c) => c(env))); }, st: {} };
  };

  // ---- statements ----------------------------------------------------------------------------

  const statement = (node: SyntaxNode): Statement => {
    switch (node.type) {
      case "global_statement":
        return statement(node.namedChildren[0]!);
      case "block":
        return scoped(() => block(node));
      case "return_statement": {
        const e = node.namedChildren[0];
        if (!e) {
          problem(node, "return needs a value: the expression computes one");
          return () => null;
        }
        const compiled = value(e);
        const kind = shapeOf(e, compiled.st);
        if (kind) returns.push({ kind, start: e.startIndex, end: e.endIndex });
        const c = compiled.code;
        return (env) => c(env);
      }
      case "local_declaration_statement": {
        const declaration = node.namedChildren.find((c) => c.type === "variable_declaration");
        if (!declaration) {
          problem(node, "this declaration is not supported");
          return () => NEXT;
        }
        const typeNode = declaration.childForFieldName("type")!;
        const declared = typeNode.type === "implicit_type" ? undefined : typeOf(typeNode);
        if (typeNode.type !== "implicit_type" && !declared) {
          problem(typeNode, `a local of type '${typeNode.text}' is not supported`, "write var x = …;");
          return () => NEXT;
        }
        const steps: ((env: Env) => void)[] = [];
        for (const declarator of declaration.namedChildren.filter((c) => c.type === "variable_declarator")) {
          const nameNode = declarator.childForFieldName("name") ?? declarator.namedChildren[0]!;
          const init = declarator.namedChildren.find((c) => c !== nameNode && c.type !== "bracketed_argument_list");
          const compiled = init ? value(init) : undefined;
          const st: Static = compiled?.st ?? {};
          if (declared?.target === "DateTime") st.scalar = "DateTime";
          const slot = declare(nameNode, nameNode.text, st);
          const c = compiled?.code;
          const nothing = declared ? (declared.nullable ? NULLS[NULL_OF_TARGET[declared.target]] : null) : null;
          steps.push((env) => {
            const v = c ? c(env) : nothing;
            env.locals[slot] = v === null && nothing !== null ? nothing : v;
          });
        }
        return (env) => {
          charge(env, 1);
          for (const s of steps) s(env);
          return NEXT;
        };
      }
      case "if_statement": {
        const test = condition(node.childForFieldName("condition")!);
        const yes = scoped(() => statement(node.childForFieldName("consequence")!));
        const alternative = node.childForFieldName("alternative");
        const no = alternative ? scoped(() => statement(alternative.type === "else_clause" ? alternative.namedChildren[0]! : alternative)) : undefined;
        return (env) => {
          charge(env, 1);
          return test(env) ? yes(env) : no ? no(env) : NEXT;
        };
      }
      case "expression_statement": {
        const e = node.namedChildren[0]!;
        if (e.type !== "invocation_expression" && e.type !== "assignment_expression") {
          problem(e, "only calls and assignments can be statements");
          return () => NEXT;
        }
        const c = value(e).code;
        return (env) => {
          c(env);
          return NEXT;
        };
      }
      case "empty_statement":
        return () => NEXT;
      default: {
        const [message, hint] = UNSUPPORTED_STATEMENTS.get(node.type) ?? [`${describe(node.type)} is not supported`];
        problem(node, message, hint);
        return () => NEXT;
      }
    }
  };

  const block = (node: SyntaxNode): Statement => {
    const statements = node.namedChildren.filter((c) => c.type !== "comment").map(statement);
    return (env) => {
      for (const s of statements) {
        const r = s(env);
        if (r !== NEXT) return r;
      }
      return NEXT;
    };
  };

  // ---- the body ------------------------------------------------------------------------------

  if (depth(root) > MAX_DEPTH) {
    problems.push({ message: `the expression is nested more than ${MAX_DEPTH} levels deep`, start: 0, end: root.endIndex });
    return { problems, chains: [], slots, returns };
  }
  syntaxErrors(root, problems);
  if (problems.length > 0) return { problems, chains: [], slots, returns };
  const top = root.namedChildren.filter((c) => c.type !== "comment");
  for (const c of top) {
    if (c.type !== "global_statement") problem(c, `${describe(c.type)} is not supported in an expression body`);
  }
  const statements = top.filter((c) => c.type === "global_statement").map(statement);
  if (problems.length === 0 && !top.some((c) => alwaysReturns(c))) {
    problems.push({ message: "not all code paths return a value", start: Math.max(0, root.endIndex - 1), end: root.endIndex, hint: "end the body with return …;" });
  }
  const run = (env: Env): CSharpValue => {
    for (const s of statements) {
      const r = s(env);
      if (r !== NEXT) return r;
    }
    throw new CSharpException("InvalidOperationException", "the body ended without return");
  };
  return { run, slots, problems, chains: longest(chains), returns };
}

const KIND_OF_PROPERTY: Partial<Record<PropertyType, ValueKind>> = {
  String: "string", Bool: "bool", Int32: "number", Int64: "number", Int16: "number", Byte: "number", Double: "number", DateTime: "date",
};
const COMPARISONS = new Set(["==", "!=", "<", ">", "<=", ">=", "&&", "||"]);

/** The kind of an expression's value where its syntax says it (a literal, a comparison, a concatenation) or the model does (a property). */
function shapeOf(node: SyntaxNode, st: Static): ValueKind | undefined {
  if (st.scalar) return KIND_OF_PROPERTY[st.scalar];
  switch (node.type) {
    case "string_literal": case "verbatim_string_literal": case "raw_string_literal": case "interpolated_string_expression":
      return "string";
    case "boolean_literal":
      return "bool";
    case "integer_literal": case "real_literal":
      return "number";
    case "parenthesized_expression":
      return node.namedChildren.length === 1 ? shapeOf(node.namedChildren[0]!, {}) : undefined;
    case "prefix_unary_expression":
      return node.children[0]?.type === "!" ? "bool" : undefined;
    case "binary_expression": {
      const operator = node.childForFieldName("operator")?.type ?? node.children[1]?.type ?? "";
      if (COMPARISONS.has(operator)) return "bool";
      if (operator !== "+") return undefined;
      const sides = [node.childForFieldName("left"), node.childForFieldName("right")];
      return sides.some((side) => side && shapeOf(side, {}) === "string") ? "string" : undefined;
    }
    default:
      return undefined;
  }
}

/** A statement that cannot complete normally (C#'s reachability, for `return` and `if`/`else`). */
function alwaysReturns(node: SyntaxNode): boolean {
  switch (node.type) {
    case "global_statement":
      return alwaysReturns(node.namedChildren[0]!);
    case "return_statement":
    case "throw_statement":
      return true;
    case "block":
      return node.namedChildren.some(alwaysReturns);
    case "if_statement": {
      const alternative = node.childForFieldName("alternative");
      if (!alternative) return isTrueLiteral(node.childForFieldName("condition")) && alwaysReturns(node.childForFieldName("consequence")!);
      const elseBody = alternative.type === "else_clause" ? alternative.namedChildren[0]! : alternative;
      return alwaysReturns(node.childForFieldName("consequence")!) && alwaysReturns(elseBody);
    }
    default:
      return false;
  }
}

const isTrueLiteral = (node: SyntaxNode | null): boolean => node?.type === "boolean_literal" && node.text === "true";

function depth(root: SyntaxNode): number {
  let max = 0;
  const stack: [SyntaxNode, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > MAX_DEPTH) return max;
    for (const c of node.namedChildren) stack.push([c, d + 1]);
  }
  return max;
}

/** tree-sitter's ERROR and MISSING nodes, at their offsets. */
function syntaxErrors(root: SyntaxNode, problems: Problem[]): void {
  if (!root.hasError) return;
  const visit = (node: SyntaxNode): void => {
    if (node.isMissing) {
      const what = node.type.startsWith("_") || /^[a-z_]+$/.test(node.type) ? describe(node.type.replace(/^_/, "").replace(/_token$/, "")) : `'${node.type}'`;
      problems.push({ message: `syntax error: missing ${what}`, start: node.startIndex, end: node.endIndex });
      return;
    }
    if (node.type === "ERROR") {
      const text = node.text.length > 30 ? `${node.text.slice(0, 30)}…` : node.text;
      problems.push({ message: `syntax error: unexpected '${text}'`, start: node.startIndex, end: node.endIndex });
      return;
    }
    const erroneous = node.children.filter((c) => c.hasError || c.isMissing || c.type === "ERROR");
    if (erroneous.length === 0 && node.hasError) {
      // A leaf whose token is missing (`a +;`): tree-sitter puts the MISSING token under the leaf.
      problems.push({ message: node.text === "" ? `syntax error: missing ${describe(node.type)}` : `syntax error in '${node.text}'`, start: node.startIndex, end: node.endIndex });
      return;
    }
    for (const c of erroneous) visit(c);
  };
  visit(root);
}

function describe(type: string): string {
  return type.replace(/_/g, " ").replace(/ (expression|statement)$/, " $1");
}

/** The longest chains only, once: a chain that another one extends is dropped. */
function longest(chains: ResourceChain[]): ResourceChain[] {
  const key = (c: ResourceChain) => c.offsets.join(",");
  const prefixes = new Set<string>();
  for (const c of chains) for (let i = 1; i < c.offsets.length; i++) prefixes.add(c.offsets.slice(0, i).join(","));
  const seen = new Set<string>();
  return chains.filter((c) => {
    const k = key(c);
    if (prefixes.has(k) || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
