/**
 * The order the store reads source keys in: Unicode code point order (SQLite BINARY, PostgreSQL "C",
 * SQL Server BIN2). JavaScript's `<` compares UTF-16 code units instead, which puts the characters
 * above U+FFFF before U+E000–U+FFFF: a merge against the store's order must compare with this.
 */
export function compareSourceKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (U+D800–U+DFFF, the halves of code points above U+FFFF) moved after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}
