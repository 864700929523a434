/** Parsing of the server URLs (postgres://, mssql://) shared by their profiles. */
import { redactUrl } from "./redact.js";

export function parseUrl(url: string, accepted: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new Error(`invalid database URL "${redactUrl(url)}": ${accepted}`);
  }
}
