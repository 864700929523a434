/**
 * The C# grammar: tree-sitter-c-sharp through the native tree-sitter binding, loaded on first use
 * and synchronously (validation is synchronous and must not load it when no C# expression exists).
 * tree-sitter-c-sharp's own index is ESM with top-level await: its binary is loaded directly.
 *
 * The tree is copied into plain JS nodes (one walk with a cursor: cheaper than the binding's node
 * objects) and one grammar defect is repaired on the copy: tree-sitter-c-sharp 0.23 gives `?.` a
 * lower precedence than binary, unary and cast operators, parsing `"." + s?.Trim()` as
 * `("." + s)?.Trim()`. C# binds the member access chain to the operand: `"." + (s?.Trim())`.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";

/** The part of tree-sitter's node API the compiler reads. Offsets count UTF-16 units, as JS strings do. */
export interface SyntaxNode {
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly hasError: boolean;
  readonly children: SyntaxNode[];
  readonly namedChildren: SyntaxNode[];
  readonly childCount: number;
  childForFieldName(name: string): SyntaxNode | null;
}

interface Cursor {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly currentFieldName: string | undefined;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

interface Parser {
  setLanguage(language: unknown): void;
  parse(source: string): { walk(): Cursor };
}

class Node implements SyntaxNode {
  children: Node[] = [];
  fields: (string | undefined)[] = [];
  hasError = false;
  private named?: Node[];

  constructor(
    private readonly source: string,
    readonly type: string,
    public startIndex: number,
    public endIndex: number,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  get namedChildren(): Node[] {
    this.named ??= this.children.filter((c) => c.isNamed);
    return this.named;
  }

  get childCount(): number {
    return this.children.length;
  }

  childForFieldName(name: string): Node | null {
    const i = this.fields.indexOf(name);
    return i < 0 ? null : this.children[i]!;
  }

  replaceChild(old: Node, by: Node): void {
    const i = this.children.indexOf(old);
    this.children[i] = by;
    this.named = undefined;
  }
}

/** The field holding the operand a member access, call or indexer applies to. */
const CHAIN_BASE: Record<string, string> = {
  member_access_expression: "expression",
  invocation_expression: "function",
  element_access_expression: "expression",
  conditional_access_expression: "condition",
};

/** Where the rightmost operand of an operator expression is. */
function rightOperand(node: Node): Node | undefined {
  switch (node.type) {
    case "binary_expression": return node.childForFieldName("right") ?? undefined;
    case "cast_expression": return node.childForFieldName("value") ?? undefined;
    case "prefix_unary_expression": return node.namedChildren[node.namedChildren.length - 1];
    default: return undefined;
  }
}

/** `chain` applies to the whole operator expression at its base: move it down onto the rightmost operand. */
function repair(chain: Node): Node {
  const field = CHAIN_BASE[chain.type];
  const base = field ? chain.childForFieldName(field) : null;
  if (!base || rightOperand(base) === undefined) return chain;
  const path: Node[] = [base];
  let operand = rightOperand(base)!;
  for (let next = rightOperand(operand); next !== undefined; next = rightOperand(operand)) {
    path.push(operand);
    operand = next;
  }
  const parent = path[path.length - 1]!;
  chain.replaceChild(base, operand);
  chain.startIndex = operand.startIndex;
  parent.replaceChild(operand, chain);
  for (const p of path) p.endIndex = chain.endIndex;
  return base;
}

/** Thrown for a tree deeper than the copy's recursion may go (tree-sitter itself parses any depth). */
export class TooDeep extends Error {}

const MAX_COPY_DEPTH = 1000;

function copy(cursor: Cursor, source: string, depth: number): Node {
  if (depth > MAX_COPY_DEPTH) throw new TooDeep(`more than ${MAX_COPY_DEPTH} levels`);
  const node = new Node(source, cursor.nodeType, cursor.startIndex, cursor.endIndex, cursor.nodeIsNamed, cursor.nodeIsMissing);
  // A token the parser had to invent (`a +;`) can hide below a named leaf the cursor does not enter: the leaf is then empty.
  node.hasError = node.type === "ERROR" || node.isMissing || (node.isNamed && node.startIndex === node.endIndex && node.type !== "compilation_unit");
  if (cursor.gotoFirstChild()) {
    do {
      const field = cursor.currentFieldName;
      const child = copy(cursor, source, depth + 1);
      node.children.push(child);
      node.fields.push(field ?? undefined);
      if (child.hasError) node.hasError = true;
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return CHAIN_BASE[node.type] ? repair(node) : node;
}

let parser: Parser | undefined;

export function parseCSharp(source: string): SyntaxNode {
  if (!parser) {
    const require = createRequire(import.meta.url);
    const Parser = require("tree-sitter") as new () => Parser;
    const language = (require("node-gyp-build") as (dir: string) => unknown)(dirname(require.resolve("tree-sitter-c-sharp/package.json")));
    const created = new Parser();
    created.setLanguage(language);
    parser = created;
  }
  return copy(parser.parse(source).walk(), source, 0);
}
