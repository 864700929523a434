import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Writes files (relative path → content) into a new temporary folder and returns its path. */
export function writeFolder(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), "idm-test-"));
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return root;
}

export const NS = "urn:schemas-usercube-com:configuration";

/** A configuration file around the given body, the body starting on line 3. */
export function configFile(body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<ConfigurationFile xmlns="${NS}">\n${body}\n</ConfigurationFile>\n`;
}

/** Agent, OpenIdClient, Connector, EntityType, Policy and ResourceType that examples reference. */
export const BASE_MODEL = configFile(`  <Agent Identifier="Local" DisplayName_L1="Local agent"/>
  <OpenIdClient Identifier="Job" DisplayName_L1="Job client"/>
  <Connector Identifier="AD" DisplayName_L1="Active Directory" Agent="Local"/>
  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local"/>
  <EntityType Identifier="AD_Entry" DisplayName_L1="AD entry"/>
  <EntityType Identifier="Directory_User" DisplayName_L1="User"/>
  <Policy Identifier="Default" DisplayName_L1="Default"/>
  <ResourceType Identifier="AD_Entry_NominativeUser" DisplayName_L1="AD nominative account" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"/>`);
