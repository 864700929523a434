/** The DN helpers the fulfiller builds and compares DNs with (pure). */
import { describe, expect, it } from "vitest";
import { escapeRdnValue, looksLikeDn, normaliseDn, rdnAttributeValue, splitDn, upperCaseDnTypes } from "../../../src/connectors/ldap/ldap-client.js";

describe("DN helpers", () => {
  it("escapes an RDN value as RFC 4514 says", () => {
    expect(escapeRdnValue("Smith, John")).toBe("Smith\\, John");
    expect(escapeRdnValue("a+b=c\"<>;\\")).toBe("a\\+b\\=c\\\"\\<\\>\\;\\\\");
    expect(escapeRdnValue(" #lead")).toBe("\\ #lead");
    expect(escapeRdnValue("#x")).toBe("\\#x");
    expect(escapeRdnValue("trail ")).toBe("trail\\ ");
  });

  it("splits a DN after its first unescaped comma", () => {
    expect(splitDn("cn=Smith\\, John,ou=people,dc=example")).toEqual({ rdn: "cn=Smith\\, John", parent: "ou=people,dc=example" });
    expect(splitDn("dc=org")).toEqual({ rdn: "dc=org", parent: "" });
  });

  it("tells a DN from an entryUUID, and compares DNs whatever the case and spaces", () => {
    expect([looksLikeDn("cn=a,dc=b"), looksLikeDn("2.5.4.3=a"), looksLikeDn("e6fc358a-831a-1041-919a-7f4f03a87909")]).toEqual([true, true, false]);
    expect(normaliseDn("CN=Bob, OU=People,dc=Example")).toBe(normaliseDn("cn=bob,ou=people,dc=example"));
  });

  it("reads an RDN's attribute and unescaped value, and spells a DN's types in upper case as AD does", () => {
    expect(rdnAttributeValue("CN=Lee\\, Ann (E1)")).toEqual({ attribute: "CN", value: "Lee, Ann (E1)" });
    expect(rdnAttributeValue("cn=Jos\\c3\\a9")).toEqual({ attribute: "cn", value: "José" });
    expect(rdnAttributeValue("cn=a+sn=b")).toBeUndefined();
    expect(upperCaseDnTypes("cn=Lee\\, ann=x,ou=Users+l=y,dc=demo")).toBe("CN=Lee\\, ann=x,OU=Users+L=y,DC=demo");
  });
});
