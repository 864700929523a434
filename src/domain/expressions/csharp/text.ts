/**
 * Text rules of .NET that JS does differently (invariant casing char by char, ordinal IndexOf,
 * white space), and the product's predefined string functions (the vendor's "Predefined
 * functions" page): Simplify, RemoveDiacritics, ToFirstName, ToTitle, ToFormatedDN, Approximate,
 * ToSoundex.
 */
import { CSharpException } from "./values.js";

const ASCII = /^[\x00-\x7f]*$/;

/** .NET's invariant casing maps one UTF-16 unit to one: `ß` stays `ß` in upper case, unlike JS's `SS`. */
function mapEach(text: string, map: (c: string) => string): string {
  if (ASCII.test(text)) return map(text);
  let out = "";
  for (const c of text) {
    const mapped = map(c);
    out += mapped.length === c.length ? mapped : c;
  }
  return out;
}

export const upperInvariant = (text: string): string => mapEach(text, (c) => c.toUpperCase());
export const lowerInvariant = (text: string): string => mapEach(text, (c) => c.toLowerCase());

/** char.IsWhiteSpace: the Unicode Zs/Zl/Zp categories and the controls \t \n \v \f \r \x85. */
export const WHITE_SPACE = /[\s\x85]/;
const NOT_WHITE = /[^\s\x85]/;

export function trimStart(text: string, chars?: readonly string[]): string {
  if (!chars || chars.length === 0) {
    const i = text.search(NOT_WHITE);
    return i < 0 ? "" : text.slice(i);
  }
  let i = 0;
  while (i < text.length && chars.includes(text[i]!)) i++;
  return text.slice(i);
}

export function trimEnd(text: string, chars?: readonly string[]): string {
  let i = text.length;
  if (!chars || chars.length === 0) while (i > 0 && WHITE_SPACE.test(text[i - 1]!)) i--;
  else while (i > 0 && chars.includes(text[i - 1]!)) i--;
  return text.slice(0, i);
}

export function substring(text: string, start: number, length?: number): string {
  if (start < 0 || start > text.length) {
    throw new CSharpException("ArgumentOutOfRangeException", "startIndex cannot be larger than length of string. (Parameter 'startIndex')");
  }
  if (length === undefined) return text.slice(start);
  if (length < 0 || start + length > text.length) {
    throw new CSharpException("ArgumentOutOfRangeException", "Index and length must refer to a location within the string. (Parameter 'length')");
  }
  return text.slice(start, start + length);
}

/** The replacements the vendor documents for RemoveDiacritics; other marks are dropped after decomposition. */
const DIACRITICS: Record<string, string> = {
  ä: "ae", Ä: "AE", ö: "oe", Ö: "OE", ü: "ue", Ü: "UE", ø: "o", Ø: "O", ł: "l", Ł: "L", ß: "ss", æ: "ae", Æ: "AE", œ: "oe", Œ: "OE", š: "sh", Š: "SH",
};
const SPECIAL = /[äÄöÖüÜøØłŁßæÆœŒšŠ]/g;

export function removeDiacritics(text: string): string {
  if (ASCII.test(text)) return text;
  return text.replace(SPECIAL, (c) => DIACRITICS[c]!).normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
}

/** "converted to uppercase, removing all whitespace and special characters, and replacing diacritics": letters and digits only. */
export function simplify(text: string): string {
  return upperInvariant(removeDiacritics(text)).replace(/[^\p{L}\p{N}]/gu, "");
}

/**
 * Not on the vendor's pages; our rule: diacritics replaced, upper case, every run of characters
 * that are not letters or digits one space, trimmed (a looser key than Simplify, which keeps word
 * boundaries).
 */
export function approximate(text: string): string {
  return upperInvariant(removeDiacritics(text)).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** "first character of each word in uppercase, separated with '-'": `jean pierre` → `Jean-Pierre`. */
export function toFirstName(text: string): string {
  return text
    .split(/[\s-]+/)
    .filter((word) => word !== "")
    .map((word) => upperInvariant(word.slice(0, 1)) + lowerInvariant(word.slice(1)))
    .join("-");
}

export function toTitle(text: string): string {
  return upperInvariant(text.slice(0, 1)) + text.slice(1);
}

/** RFC 4514 escaping of one attribute value: `,+"\<>;=` escaped, and a leading `#` or space and a trailing space. */
export function toFormatedDN(text: string): string {
  let out = text.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`);
  if (out.startsWith("#") || out.startsWith(" ")) out = `\\${out}`;
  if (out.endsWith(" ") && !out.endsWith("\\ ")) out = `${out.slice(0, -1)}\\ `;
  return out;
}

const SOUNDEX: Record<string, string> = {
  B: "1", F: "1", P: "1", V: "1", C: "2", G: "2", J: "2", K: "2", Q: "2", S: "2", X: "2", Z: "2", D: "3", T: "3", L: "4", M: "5", N: "5", R: "6",
};

/** American Soundex: the first letter and three digits. */
export function toSoundex(text: string): string {
  const letters = upperInvariant(removeDiacritics(text)).replace(/[^A-Z]/g, "");
  if (letters === "") return "";
  let out = letters[0]!;
  let last = SOUNDEX[letters[0]!] ?? "";
  for (let i = 1; i < letters.length && out.length < 4; i++) {
    const c = letters[i]!;
    const code = SOUNDEX[c] ?? "";
    if (code !== "" && code !== last) out += code;
    if (c !== "H" && c !== "W") last = code;
  }
  return out.padEnd(4, "0");
}

/** string.Split(separators) without options: every separator splits; empty parts kept. */
export function split(text: string, separators: readonly string[], removeEmpty: boolean, trimEntries: boolean): string[] {
  let parts: string[] = [text];
  const seps = separators.filter((s) => s !== "");
  if (seps.length === 0) {
    parts = text.split(/[\s\x85]/);
  } else {
    for (const sep of seps) parts = parts.flatMap((p) => p.split(sep));
  }
  if (trimEntries) parts = parts.map((p) => p.trim());
  return removeEmpty ? parts.filter((p) => p !== "") : parts;
}
