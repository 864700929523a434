/**
 * Text from the configuration (task and job identifiers may hold any character XML allows) written
 * into a diagram's source, where it must stay text whatever it holds.
 */

/**
 * Mermaid: every character its lexers give a meaning to becomes an entity code (`#35;`), which
 * Mermaid turns into the HTML entity after parsing, in every diagram type:
 * - `"` ends a flowchart label; `` ` `` starts a markdown label; `<`, `>`, `&` are HTML in labels;
 * - in a gantt line, `:` ends a task's name, `#` and `%` start comments and `;` ends the statement;
 * - `#` starts an entity code itself, and `ﬂ` and `¶` are the placeholders Mermaid substitutes
 *   entity codes with while it parses (a name holding them would decode into markup);
 * - control characters and the Unicode line and paragraph separators would break the line.
 * Other characters, letters of any script included, are written as they are (Mermaid reads UTF-8).
 */
export function mermaidText(text: string): string {
  return text.replace(/["#&<>`:;%\u00B6\uFB02\u0000-\u001F\u007F\u2028\u2029]/gu, (c) => `#${c.codePointAt(0)};`);
}

/**
 * The inside of a Graphviz double-quoted string used as a label: `\` and `"` are escaped with a
 * backslash (a label's `\n`, `\N`, `\G` would otherwise be read as Graphviz escapes) and `&` becomes
 * `&amp;` (Graphviz decodes HTML entities in labels); control characters, which would break the line
 * or be refused, become numeric entities. The file is UTF-8, Graphviz's default charset.
 */
export function dotText(text: string): string {
  return text.replace(/[\\"&\u0000-\u001F\u007F\u2028\u2029]/gu, (c) => {
    if (c === "\\" || c === '"') return `\\${c}`;
    if (c === "&") return "&amp;";
    return `&#${c.codePointAt(0)};`;
  });
}
