/**
 * Splits a SQL command into its statements, for the drivers that take one statement at a time
 * (better-sqlite3's prepare, PostgreSQL's extended protocol that cursors use). A tokenizer, not a
 * regular expression: a semicolon inside a string ('it''s; here', PostgreSQL's E'\';' and $tag$…$tag$),
 * a quoted identifier ("a;b", SQLite's [a;b] and `a;b`) or a comment (--, nested /* *\/ on PostgreSQL)
 * ends nothing. Bodies whose semicolons belong to the statement are kept whole, with the heuristic
 * of psql (PostgreSQL: CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC … END) and its SQLite
 * counterpart (CREATE [TEMP] TRIGGER … BEGIN … END): BEGIN opens a block, CASE inside a block too,
 * END closes one, and only a semicolon outside any block ends the statement.
 */

export type SplitDialect = "sqlite" | "postgres";

export interface SqlStatement {
  /** The statement without its final semicolon, from its first token (comments before it are left out). */
  text: string;
  /** Offset of `text` in the command, for error positions. */
  start: number;
}

const WORD_START = /[A-Za-z_\u0080-\uFFFF]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uFFFF]/;
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/y;

/** The lexical rules that differ between the dialects split here. */
interface Syntax {
  /** Quotes of identifiers besides "…", by opening character: the closing one. */
  identifierQuotes: Readonly<Record<string, string>>;
  /** `/* /* *\/ *\/` nests. */
  nestedComments: boolean;
  /** $tag$…$tag$ strings ($1 stays a parameter). */
  dollarQuotes: boolean;
  /** E'…' with backslash escapes, U&'…' and U&"…". */
  prefixedStrings: boolean;
  /** Whether a statement opening with these words has a body of statements (the first 4 words, upper case). */
  hasBody(words: readonly string[]): boolean;
}

const SYNTAX: Record<SplitDialect, Syntax> = {
  sqlite: {
    identifierQuotes: { "`": "`", "[": "]" },
    nestedComments: false,
    dollarQuotes: false,
    prefixedStrings: false,
    hasBody: ([a, b, c]) => a === "CREATE" && (b === "TRIGGER" || ((b === "TEMP" || b === "TEMPORARY") && c === "TRIGGER")),
  },
  postgres: {
    identifierQuotes: {},
    nestedComments: true,
    dollarQuotes: true,
    prefixedStrings: true,
    hasBody: ([a, b, c, d]) =>
      a === "CREATE" && (b === "FUNCTION" || b === "PROCEDURE" || (b === "OR" && c === "REPLACE" && (d === "FUNCTION" || d === "PROCEDURE"))),
  },
};

export function splitStatements(sql: string, dialect: SplitDialect): SqlStatement[] {
  const syntax = SYNTAX[dialect];
  const statements: SqlStatement[] = [];
  const n = sql.length;
  let start = -1; // first token of the current statement, -1 before it
  let words: string[] = [];
  let depth = 0; // BEGIN … END blocks of a body
  let parens = 0;
  let i = 0;

  const end = (at: number) => {
    if (start >= 0) statements.push({ text: sql.slice(start, at).trimEnd(), start });
    start = -1;
    words = [];
    depth = 0;
    parens = 0;
  };
  /** The index after the quoted run opened at `from`: a doubled `close` is an escaped one, and so is \x when `backslash`. */
  const skipQuoted = (from: number, close: string, backslash: boolean): number => {
    let j = from + 1;
    while (j < n) {
      const ch = sql[j];
      if (backslash && ch === "\\") {
        j += 2;
        continue;
      }
      if (ch === close) {
        if (sql[j + 1] === close && close !== "]") {
          j += 2;
          continue;
        }
        return j + 1;
      }
      j++;
    }
    return n; // unterminated: the database reports it
  };

  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "-" && next === "-") {
      const eol = sql.indexOf("\n", i);
      i = eol === -1 ? n : eol + 1;
      continue;
    }
    if (ch === "/" && next === "*") {
      let level = 1;
      let j = i + 2;
      while (j < n && level > 0) {
        if (sql[j] === "*" && sql[j + 1] === "/") {
          level--;
          j += 2;
        } else if (syntax.nestedComments && sql[j] === "/" && sql[j + 1] === "*") {
          level++;
          j += 2;
        } else j++;
      }
      i = j;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f" || ch === "\v") {
      i++;
      continue;
    }
    if (ch === ";") {
      if (depth === 0) end(i);
      i++;
      continue;
    }
    if (start < 0) start = i;
    if (ch === "'") {
      i = skipQuoted(i, "'", false);
    } else if (ch === '"') {
      i = skipQuoted(i, '"', false);
    } else if (Object.hasOwn(syntax.identifierQuotes, ch)) {
      i = skipQuoted(i, syntax.identifierQuotes[ch]!, false);
    } else if (syntax.dollarQuotes && ch === "$") {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(sql)?.[0];
      if (tag === undefined) {
        i++; // a parameter ($1)
      } else {
        const close = sql.indexOf(tag, i + tag.length);
        i = close === -1 ? n : close + tag.length;
      }
    } else if (WORD_START.test(ch)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(sql[j]!)) j++;
      const word = sql.slice(i, j).toUpperCase();
      if (syntax.prefixedStrings && word === "E" && sql[j] === "'") {
        i = skipQuoted(j, "'", true); // E'…' takes backslash escapes
        continue;
      }
      if (syntax.prefixedStrings && word === "U" && sql[j] === "&" && (sql[j + 1] === "'" || sql[j + 1] === '"')) {
        i = skipQuoted(j + 1, sql[j + 1]!, false); // U&'…', U&"…"
        continue;
      }
      if (words.length < 4) words.push(word);
      if (parens === 0 && syntax.hasBody(words)) {
        if (word === "BEGIN") depth++;
        else if (word === "CASE" && depth > 0) depth++;
        else if (word === "END" && depth > 0) depth--;
      }
      i = j;
    } else {
      if (ch === "(") parens++;
      else if (ch === ")" && parens > 0) parens--;
      i++;
    }
  }
  end(n);
  return statements;
}

/** 1-based line and column of an offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
