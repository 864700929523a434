/**
 * One ldapts client per package use (bound once, reused for every order or page), the two request
 * controls the fulfiller sends, and the messages of LDAP failures. No message carries a password:
 * ldapts's errors hold the server's diagnostic and result code, never the bind request.
 */
import { BerWriter, Client, Control, ResultCodeError, type Filter } from "ldapts";
import { passwordOf, type LdapSettings } from "./ldap-settings.js";

/** The server refused or could not reach the connection itself (bind, socket): no order can go on. */
export class LdapConnectionError extends Error {}

export async function openLdapClient(settings: LdapSettings): Promise<Client> {
  const client = new Client({ url: settings.url, timeout: settings.timeoutMs, connectTimeout: Math.min(settings.timeoutMs, 10_000), strictDN: false });
  if (settings.authType === "Anonymous") return client;
  try {
    await client.bind(settings.login as string, passwordOf(settings));
  } catch (error) {
    await client.unbind().catch(() => undefined);
    throw new LdapConnectionError(`Connection ${settings.connection}: bind to ${settings.url} as ${settings.login} failed: ${describe(error)}`, { cause: error });
  }
  return client;
}

/** The failure as one line: the server's diagnostic and its result code when it sent one. */
export function describe(error: unknown): string {
  if (error instanceof ResultCodeError) return `${error.message.trim() || error.name} (LDAP result ${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

/** LDAP result codes the fulfiller reads as "already there / already gone". */
export const RESULT = {
  noSuchAttribute: 16,
  typeOrValueExists: 20,
  noSuchObject: 32,
  alreadyExists: 68,
  assertionFailed: 122,
} as const;

export function resultCode(error: unknown): number | undefined {
  return error instanceof ResultCodeError ? error.code : undefined;
}

/**
 * RFC 4528: the server applies the operation only when the entry matches the filter. The fulfiller
 * asserts "not yet in the final state": a failed assertion means the order's effect is already there,
 * learned in the same round trip as the change itself.
 */
export class AssertionControl extends Control {
  static readonly type = "1.3.6.1.1.12";
  constructor(private readonly filter: Filter) {
    super(AssertionControl.type, { critical: true });
  }
  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter();
    this.filter.write(value);
    writer.writeBuffer(value.buffer, 4);
  }
}

/**
 * Permissive modify (Active Directory's OID, which OpenLDAP implements too): adding a value already
 * there or deleting one already gone is no error, so that re-applying an order converges.
 */
export class PermissiveModifyControl extends Control {
  static readonly type = "1.2.840.113556.1.4.1413";
  constructor() {
    super(PermissiveModifyControl.type, { critical: false });
  }
}

/** RFC 4514 escaping of an attribute value inside an RDN. */
export function escapeRdnValue(value: string): string {
  let escaped = value.replace(/[\\,+"<>;=\0]/g, (c) => (c === "\0" ? "\\00" : `\\${c}`));
  if (escaped.startsWith(" ") || escaped.startsWith("#")) escaped = `\\${escaped}`;
  if (escaped.endsWith(" ") && !escaped.endsWith("\\ ")) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

/** Whether a text reads as a distinguished name (`attr=value[,…]`), not an entryUUID or a login. */
export function looksLikeDn(text: string): boolean {
  return /^\s*[A-Za-z][\w-]*\s*=/.test(text) || /^\s*\d+(\.\d+)+\s*=/.test(text);
}

/** The DN split after its first unescaped comma: the RDN and the parent (empty for a single RDN). */
export function splitDn(dn: string): { rdn: string; parent: string } {
  for (let i = 0; i < dn.length; i++) {
    if (dn[i] === "\\") i++;
    else if (dn[i] === ",") return { rdn: dn.slice(0, i).trim(), parent: dn.slice(i + 1).trim() };
  }
  return { rdn: dn.trim(), parent: "" };
}

/** For comparing two DNs written by different hands: case and spaces around separators ignored. */
export function normaliseDn(dn: string): string {
  return dn.replace(/\s*([,=+])\s*/g, "$1").toLowerCase();
}

/** The attribute and unescaped value of a single-valued RDN (`CN=Ann Lee (E1)`), or undefined for a multi-valued one. */
export function rdnAttributeValue(rdn: string): { attribute: string; value: string } | undefined {
  const equals = rdn.indexOf("=");
  if (equals <= 0 || /(^|[^\\])\+/.test(rdn)) return undefined;
  const raw = rdn.slice(equals + 1).trim();
  // \XX pairs are bytes of UTF-8; any other escaped character stands for itself.
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === "\\" && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const c = raw[i] === "\\" ? (raw[++i] ?? "") : raw[i]!;
      bytes.push(...Buffer.from(c, "utf8"));
    }
  }
  return { attribute: rdn.slice(0, equals).trim(), value: Buffer.from(bytes).toString("utf8") };
}

/** The DN with its attribute types in upper case (cn=a,ou=B → CN=a,OU=B), values untouched. */
export function upperCaseDnTypes(dn: string): string {
  let out = "";
  let inType = true;
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === "\\") {
      out += dn.slice(i, i + 2);
      i++;
    } else if (inType) {
      out += c.toUpperCase();
      if (c === "=") inType = false;
    } else {
      out += c;
      if (c === "," || c === "+") inType = true;
    }
  }
  return out;
}
