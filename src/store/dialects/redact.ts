/**
 * Passwords never reach a message: URLs are shown with "***" for their password, and the reason of a
 * failure has every secret of its options (DialectProfile.secrets) replaced by "***".
 */

/**
 * Replaces the password of `scheme://user:password@…` with "***". Works on text that is not a valid
 * URL too (errors quote what the user wrote); it may hide more than the password, never less.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)(.*)@/i, "$1***@");
}

/** A parsed URL's text with its password, and pg's ?password=, as "***". */
export function redactParsedUrl(parsed: URL): string {
  if (parsed.password === "" && !parsed.searchParams.has("password")) return parsed.href;
  const copy = new URL(parsed.href);
  if (copy.password !== "") copy.password = "***";
  // pg also reads ?password=
  if (copy.searchParams.has("password")) copy.searchParams.set("password", "***");
  return copy.href.replaceAll("%2A%2A%2A", "***");
}

/** The password of a URL as written and decoded, and its ?password=; none when it is not a URL. */
export function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    return [decodeURIComponent(parsed.password), parsed.password, parsed.searchParams.get("password") ?? ""].filter((s) => s !== "");
  } catch {
    return [];
  }
}

/** The reason of a failure in one line, without any of the secrets. */
export function redactReason(error: unknown, secrets: readonly string[]): string {
  const errors = error instanceof AggregateError ? error.errors : [error];
  let reason = errors.map((e) => (e instanceof Error ? e.message : String(e))).filter((m) => m !== "").join("; ");
  for (const secret of secrets) {
    if (secret.length > 0) reason = reason.split(secret).join("***");
  }
  return reason.replace(/\s+/g, " ").trim() || "unknown error";
}
