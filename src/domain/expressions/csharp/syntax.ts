/**
 * The C# grammar: tree-sitter-c-sharp through the native tree-sitter binding, loaded on first use
 * and synchronously (validation is synchronous and must not load it when no C# expression exists).
 * tree-sitter-c-sharp's own index is ESM with top-level await: its binary is loaded directly.
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

interface Parser {
  setLanguage(language: unknown): void;
  parse(source: string): { rootNode: SyntaxNode };
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
  return parser.parse(source).rootNode;
}
