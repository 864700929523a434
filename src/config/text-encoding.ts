/**
 * The names a task's Encoding attribute may take: every name iconv-lite knows, plus the .NET names
 * it lacks (`unicode`, `unicodeFFFE`). Here so that validation can check them; the tasks encode with them.
 */
import iconv from "iconv-lite";

/** .NET `Encoding.GetEncoding` names that iconv-lite spells otherwise. */
const DOTNET_NAMES = new Map<string, string>([
  ["unicode", "utf-16le"],
  ["unicodefffe", "utf-16be"],
]);

/** The name iconv-lite knows the encoding by. */
export function canonicalEncoding(name: string): string {
  const lower = name.trim().toLowerCase();
  return DOTNET_NAMES.get(lower) ?? lower;
}

/** Whether Encoding="name" can be written (for a deploy-time check as well as the task). */
export function isKnownEncoding(name: string): boolean {
  const known = canonicalEncoding(name);
  return known !== "" && iconv.encodingExists(known);
}
