/**
 * The settings of an LDAP connection (`Connections.<id>` of the settings file), read once and
 * checked, with the reference's names (its LDAP and OpenLDAP connectors). Either flat:
 *
 *     { "Server": "ldap://127.0.0.1:389", "AuthType": "Basic", "Login": "cn=admin,dc=example,dc=org",
 *       "Password": "…", "BaseDN": "dc=example,dc=org" }
 *
 * or the reference's `"Servers": [{ "Server", "AuthType", "Login", "Password", "EnableSSL" }]` (the first
 * one is used) with `"Tables": [{ "Table", "BaseDN", "Filter", "Scope" }]`. `DistinguishedName` (the
 * OpenLDAP connector's name) is accepted for `BaseDN`.
 *
 * The password is kept out of every message and of the object's enumerable fields: printing or
 * serialising the settings shows no secret.
 */

export type LdapAuthType = "Basic" | "Anonymous";
export type LdapScope = "base" | "one" | "sub";

export interface LdapTableSettings {
  /** `entries`, or the name of a link attribute (member…): one row per value. */
  table: string;
  baseDN: string;
  filter: string;
  scope: LdapScope;
  /** The attributes of an entries table, when no ConnectionTable names its columns. */
  attributes: string[] | undefined;
}

export interface LdapDisable {
  attribute: string;
  value: string;
}

export interface LdapSettings {
  connection: string;
  url: string;
  authType: LdapAuthType;
  login: string | undefined;
  /** The default container of created entries and the base of reference look-ups. */
  baseDN: string | undefined;
  /** ResourceType → container of its created entries. */
  containers: Record<string, string>;
  /** The attribute that names an entry when a reference's Identifier is not a DN (entryUUID). */
  referenceAttribute: string;
  /** Deleted orders: delete the entry, or set an attribute to disable it (AD userAccountControl). */
  onDelete: "Delete" | LdapDisable;
  tables: LdapTableSettings[];
  pageSize: number;
  multiValueSeparator: string;
  /** Export: DNs written with upper-case attribute types (CN=…,OU=…), as Active Directory spells them. */
  upperCaseDnTypes: boolean;
  timeoutMs: number;
}

const passwords = new WeakMap<LdapSettings, string>();

/** The bind password of these settings (never logged, never in a message). */
export function passwordOf(settings: LdapSettings): string | undefined {
  return passwords.get(settings);
}

const SCOPES: Record<string, LdapScope> = { base: "base", onelevel: "one", one: "one", subtree: "sub", sub: "sub" };

export function readLdapSettings(connection: string, raw: Readonly<Record<string, unknown>>): LdapSettings {
  const at = `settings Connections.${connection}`;
  const text = (value: unknown, name: string, required: boolean): string | undefined => {
    if (value === undefined || value === null || value === "") {
      if (required) throw new Error(`${at}.${name} is missing (LDAP package)`);
      return undefined;
    }
    if (typeof value !== "string") throw new Error(`${at}.${name} must be a string`);
    return value.trim();
  };
  let server: Readonly<Record<string, unknown>> = raw;
  let serverAt = "";
  if (raw.Servers !== undefined) {
    if (!Array.isArray(raw.Servers) || raw.Servers.length === 0 || typeof raw.Servers[0] !== "object" || raw.Servers[0] === null) {
      throw new Error(`${at}.Servers must be a non-empty array of { "Server", "AuthType", "Login", "Password" }`);
    }
    server = raw.Servers[0] as Record<string, unknown>;
    serverAt = "Servers[0].";
  }
  const url = serverUrl(text(server.Server, `${serverAt}Server`, true) as string, server.EnableSSL === true || server.SSL === true || server.SSL === "true", `${at}.${serverAt}Server`);
  const login = text(server.Login, `${serverAt}Login`, false);
  const authRaw = text(server.AuthType, `${serverAt}AuthType`, false) ?? (login === undefined ? "Anonymous" : "Basic");
  const authType = (["Basic", "Anonymous"] as const).find((a) => a.toLowerCase() === authRaw.toLowerCase());
  if (authType === undefined) throw new Error(`${at}.${serverAt}AuthType "${authRaw}" is not supported: Basic (Login and Password) or Anonymous`);
  const password = server.Password;
  if (authType === "Basic") {
    if (login === undefined) throw new Error(`${at}.${serverAt}Login is missing: AuthType Basic binds with Login (a DN) and Password`);
    if (typeof password !== "string" || password === "") throw new Error(`${at}.${serverAt}Password is missing: AuthType Basic binds with Login and Password`);
  }
  const baseDN = text(raw.BaseDN, "BaseDN", false) ?? text(raw.DistinguishedName, "DistinguishedName", false);
  const containers: Record<string, string> = {};
  if (raw.Containers !== undefined) {
    if (raw.Containers === null || typeof raw.Containers !== "object" || Array.isArray(raw.Containers)) throw new Error(`${at}.Containers must be an object { "<ResourceType>": "<container DN>" }`);
    for (const [type, dn] of Object.entries(raw.Containers as Record<string, unknown>)) containers[type] = text(dn, `Containers.${type}`, true) as string;
  }
  const settings: LdapSettings = {
    connection,
    url,
    authType,
    login,
    baseDN,
    containers,
    referenceAttribute: text(raw.ReferenceAttribute, "ReferenceAttribute", false) ?? "entryUUID",
    onDelete: readOnDelete(raw.OnDelete, `${at}.OnDelete`),
    tables: readTables(raw, at, baseDN, text),
    pageSize: positive(raw.PageSize, 500, `${at}.PageSize`),
    multiValueSeparator: text(raw.MultiValueSeparator, "MultiValueSeparator", false) ?? "\n",
    upperCaseDnTypes: flag(raw.UpperCaseDNTypes, `${at}.UpperCaseDNTypes`),
    timeoutMs: positive(raw.TimeOut, 60, `${at}.TimeOut`) * 1000,
  };
  if (typeof password === "string") passwords.set(settings, password);
  return settings;
}

function serverUrl(server: string, ssl: boolean, at: string): string {
  const url = /^ldaps?:\/\//i.test(server) ? server : `${ssl ? "ldaps" : "ldap"}://${server}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${at} "${server}" is not a server name or an ldap:// URL`);
  }
  // Credentials belong in Login and Password: a URL is shown in messages.
  if (parsed.username !== "" || parsed.password !== "") throw new Error(`${at} must not hold credentials: use Login and Password`);
  return url;
}

function readOnDelete(value: unknown, at: string): LdapSettings["onDelete"] {
  if (value === undefined || value === "Delete") return "Delete";
  const o = value as Record<string, unknown> | null;
  if (o !== null && typeof o === "object" && typeof o.Attribute === "string" && o.Attribute !== "" && typeof o.Value === "string") {
    return { attribute: o.Attribute, value: o.Value };
  }
  throw new Error(`${at} must be "Delete" or { "Attribute": "userAccountControl", "Value": "514" } (disable instead of delete)`);
}

type TextReader = (value: unknown, name: string, required: boolean) => string | undefined;

function readTables(raw: Readonly<Record<string, unknown>>, at: string, baseDN: string | undefined, text: TextReader): LdapTableSettings[] {
  if (raw.Tables === undefined) {
    if (baseDN === undefined) return [];
    const filter = text(raw.Filter, "Filter", false) ?? "(objectClass=*)";
    return [{ table: "entries", baseDN, filter, scope: scopeOf(raw.Scope, `${at}.Scope`), attributes: attributesOf(raw.Attributes, `${at}.Attributes`) }];
  }
  if (!Array.isArray(raw.Tables)) throw new Error(`${at}.Tables must be an array of { "Table", "BaseDN", "Filter", "Scope" }`);
  return raw.Tables.map((t: unknown, i) => {
    const entry = (t ?? {}) as Record<string, unknown>;
    const name = `Tables[${i}]`;
    const table = text(entry.Table, `${name}.Table`, true) as string;
    const base = text(entry.BaseDN, `${name}.BaseDN`, baseDN === undefined) ?? (baseDN as string);
    return {
      table,
      baseDN: base,
      filter: text(entry.Filter, `${name}.Filter`, false) ?? "(objectClass=*)",
      scope: scopeOf(entry.Scope, `${at}.${name}.Scope`),
      attributes: attributesOf(entry.Attributes, `${at}.${name}.Attributes`),
    };
  });
}

function scopeOf(value: unknown, at: string): LdapScope {
  if (value === undefined) return "sub";
  const scope = typeof value === "string" ? SCOPES[value.toLowerCase()] : undefined;
  if (scope === undefined) throw new Error(`${at} must be Base, OneLevel or Subtree`);
  return scope;
}

function attributesOf(value: unknown, at: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((a) => typeof a === "string" && a !== "")) throw new Error(`${at} must be a non-empty array of attribute names`);
  return value as string[];
}

function flag(value: unknown, at: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw new Error(`${at} must be true or false`);
  return value;
}

function positive(value: unknown, fallback: number, at: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0 || value > 2_147_483) throw new Error(`${at} must be a whole number from 1 to 2147483`);
  return value;
}
