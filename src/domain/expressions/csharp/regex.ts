/**
 * .NET regular expressions run on JS's engine, translated so that they mean the same: always the
 * `u` flag; `\w` `\d` are Unicode as in .NET (`\w` = letters, marks, digits, connectors); `\A` `\z`
 * `\Z`; a leading `(?i)` `(?m)` `(?s)`; `(?'name'…)`; `$0` `${name}` in replacements; a literal
 * `{` or `}` not part of a quantifier. Refused (RegexParseException-like ArgumentException):
 * atomic groups `(?>…)`, inline option groups `(?i:…)`, `\G`, class subtraction `[a-z-[aeiou]]`,
 * `\W` `\D` inside a class, `(?#…)` comments are dropped. Nested quantifiers such as `(a+)+` are
 * refused: JS cannot stop a backtracking regex, the product's timeout-free .NET would hang too.
 */
import { CSharpException } from "./values.js";

const WORD = "\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}";
const cache = new Map<string, RegExp>();

const refuse = (pattern: string, why: string) => new CSharpException("ArgumentException", `Invalid pattern '${pattern}': ${why}`);

export interface RegexOptionsSet { ignoreCase?: boolean; multiline?: boolean; singleline?: boolean }

export function translate(pattern: string, options: RegexOptionsSet = {}): { source: string; flags: string } {
  let flags = "u" + (options.ignoreCase ? "i" : "") + (options.multiline ? "m" : "") + (options.singleline ? "s" : "");
  let p = pattern;
  const inline = /^\(\?([imsx]+)\)/.exec(p);
  if (inline) {
    if (inline[1]!.includes("x")) throw refuse(pattern, "the x option (IgnorePatternWhitespace) is not supported");
    for (const f of inline[1]!) if (!flags.includes(f)) flags += f;
    p = p.slice(inline[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "\\") {
      const n = p[i + 1];
      if (n === undefined) throw refuse(pattern, "illegal \\ at end of pattern");
      i++;
      switch (n) {
        case "w": out += inClass ? WORD : `[${WORD}]`; break;
        case "W": if (inClass) throw refuse(pattern, "\\W inside a character class is not supported"); out += `[^${WORD}]`; break;
        case "d": out += "\\p{Nd}"; break;
        case "D": if (inClass) throw refuse(pattern, "\\D inside a character class is not supported"); out += "\\P{Nd}"; break;
        case "A": out += "(?<![\\s\\S])"; break;
        case "z": out += "(?![\\s\\S])"; break;
        case "Z": out += "(?=\\n?(?![\\s\\S]))"; break;
        case "G": throw refuse(pattern, "\\G is not supported");
        case "e": out += "\\x1B"; break;
        case "a": out += "\\x07"; break;
        case "s": case "S": case "b": case "B": case "n": case "r": case "t": case "f": case "v": case "0":
        case "1": case "2": case "3": case "4": case "5": case "6": case "7": case "8": case "9":
          out += `\\${n}`;
          break;
        case "k": case "p": case "P": case "u": case "x": case "c": {
          const m = /^(k<[A-Za-z_]\w*>|[pP]\{[A-Za-z_]+\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|c[A-Za-z])/.exec(p.slice(i));
          if (!m) throw refuse(pattern, `\\${n} is not supported here`);
          if (/^[pP]\{Is/.test(m[0])) throw refuse(pattern, "named Unicode blocks (\\p{IsGreek}) are not supported");
          out += `\\${m[0]}`;
          i += m[0].length - 1;
          break;
        }
        default:
          if (/[A-Za-z]/.test(n)) throw refuse(pattern, `unrecognized escape sequence \\${n}`);
          out += `\\u{${n.codePointAt(0)!.toString(16)}}`;
      }
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      else if (c === "-" && p[i + 1] === "[") throw refuse(pattern, "character class subtraction is not supported");
      else if (c === "[") { out += "\\["; continue; }
      out += c;
      continue;
    }
    switch (c) {
      case "[":
        inClass = true;
        out += c;
        if (p[i + 1] === "^") { out += "^"; i++; }
        if (p[i + 1] === "]") { out += "\\]"; i++; }
        continue;
      case "(":
        if (p.startsWith("(?>", i)) throw refuse(pattern, "atomic groups (?>…) are not supported");
        if (p.startsWith("(?#", i)) {
          const end = p.indexOf(")", i);
          if (end < 0) throw refuse(pattern, "unterminated (?#...) comment");
          i = end;
          continue;
        }
        if (/^\(\?[imnsx-]+[:)]/.test(p.slice(i))) throw refuse(pattern, "inline option groups are supported only at the start of the pattern");
        if (p.startsWith("(?'", i)) {
          const end = p.indexOf("'", i + 3);
          out += `(?<${p.slice(i + 3, end)}>`;
          i = end;
          continue;
        }
        out += c;
        continue;
      case "{":
        if (/^\{\d+(,\d*)?\}/.test(p.slice(i))) {
          const m = /^\{\d+(,\d*)?\}/.exec(p.slice(i))!;
          out += m[0];
          i += m[0].length - 1;
        } else out += "\\{";
        continue;
      case "}":
        out += "\\}";
        continue;
      case "]":
        out += "\\]";
        continue;
      default:
        out += c;
    }
  }
  if (/\((?:[^()\\]|\\.)*[+*}]\??\)[+*{]/.test(out)) throw refuse(pattern, "nested quantifiers such as (a+)+ can take exponential time");
  return { source: out, flags };
}

export function regex(pattern: string, options: RegexOptionsSet = {}, global = false): RegExp {
  const key = `${global ? "g" : ""}${options.ignoreCase ? "i" : ""}${options.multiline ? "m" : ""}${options.singleline ? "s" : ""}/${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const { source, flags } = translate(pattern, options);
    try {
      re = new RegExp(source, flags + (global ? "g" : ""));
    } catch (error) {
      throw refuse(pattern, (error as Error).message.replace(/^Invalid regular expression: /, ""));
    }
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

/** .NET replacement syntax to JS: `$0` → `$&`, `${name}` → `$<name>`; `$$` stays. */
export function replacement(text: string): string {
  return text.replace(/\$(\$|0|\{([A-Za-z_]\w*)\}|\{(\d+)\})/g, (all, what: string, name?: string, number?: string) => {
    if (what === "$") return "$$";
    if (what === "0") return "$&";
    if (name) return `$<${name}>`;
    if (number) return `$${number}`;
    return all;
  });
}
