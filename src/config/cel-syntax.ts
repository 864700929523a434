/**
 * CEL's parser alone, loaded on first use. The package's entry also loads its evaluator, the
 * protobuf registries and RE2 (about 0.8 s at start-up), which checking an expression's syntax and
 * its `resource.X` chains does not need. The parser's files have no export of their own: this reads
 * them next to the package's CommonJS entry, which the exact version pin in package.json keeps in
 * place; the tree it returns is the one `parse` of the package returns.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { parse } from "@bufbuild/cel";

let parser: typeof parse | undefined;

export function parseCel(source: string): ReturnType<typeof parse> {
  if (parser === undefined) {
    const require = createRequire(import.meta.url);
    parser = (require(join(dirname(require.resolve("@bufbuild/cel")), "parse.js")) as { parse: typeof parse }).parse;
  }
  return parser(source);
}
