/** Samples of the scaffoldings that are no job scaffoldings, and the model their references name. */
import { loadCatalog, type ElementSpec } from "../../src/config/schema/catalog.js";
import { loadVocabulary } from "../../src/config/vocabulary.js";
import { MODULE_ELEMENTS } from "../../src/config/read-configuration.js";
import { configFile } from "./temp-folder.js";

/** What the references of the samples name; Profile, Universe, Workflow and DisplayTable as the product writes them. */
export const SAMPLE_MODEL = configFile([
  `  <Agent Identifier="Local" DisplayName_L1="Local agent"/>`,
  `  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local"/>`,
  `  <EntityType Identifier="HR_Person" DisplayName_L1="Person">`,
  `    <Property Identifier="EmployeeId" DisplayName_L1="Employee ID" IsKey="true" TargetColumnIndex="4"/>`,
  `    <Property Identifier="Name" DisplayName_L1="Name" TargetColumnIndex="5"/>`,
  `  </EntityType>`,
  `  <EntityType Identifier="HR_Org" DisplayName_L1="Organization"><Property Identifier="Code" DisplayName_L1="Code" IsKey="true" TargetColumnIndex="4"/></EntityType>`,
  `  <Profile Identifier="Administrator" DisplayName_L1="Administrator"/>`,
  `  <Universe Identifier="U1_Users" DisplayName_L1="Users"/>`,
  `  <Workflow Identifier="HR_Person_Update" DisplayName_L1="Update" VariablesType="HR_Person"/>`,
  `  <DisplayTable Identifier="HR_Person" EntityType="HR_Person" DisplayTableDesignElement="table"/>`,
].join("\n"));

const VALUES: Record<string, string> = { Profile: "Administrator", EntityType: "HR_Person", Connector: "HR", Universe: "U1_Users", Workflow: "HR_Person_Update", DisplayTable: "HR_Person" };

/**
 * The scaffolding with its required attributes (references to SAMPLE_MODEL) and one of each argument
 * child. UpdateResourcesAccessControlRules names the other entity type: on the same one, its rule
 * would have the identifier of CreateUpdateDeleteAccessControlRules' (as the product names them).
 */
export function sampleOf(spec: ElementSpec): string {
  const value = (ref: string): string => (ref === "EntityType" && spec.name === "UpdateResourcesAccessControlRules" ? "HR_Org" : VALUES[ref]!);
  const attributes = (s: ElementSpec): string => [...s.attributes.values()].filter((a) => a.required)
    .map((a) => ` ${a.name}="${a.ref ? value(a.ref) : a.name === "Property" ? "Name" : "x"}"`).join("");
  const children = spec.children.map((name) => `<${name}${attributes(loadCatalog().child(spec, name)!)}/>`).join("");
  return `  <${spec.name}${attributes(spec)}${children ? `>${children}</${spec.name}>` : "/>"}`;
}

/** One sample of every scaffolding keyed by its attributes (all but the job scaffoldings), in name order. */
export const STORED_SCAFFOLDINGS = configFile([...loadVocabulary().entries.values()]
  .filter((e) => e.kinds.has("scaffolding") && !MODULE_ELEMENTS.has(e.name) && loadCatalog().get(e.name)?.identifierAttribute === undefined)
  .map((e) => e.name).sort().map((name) => sampleOf(loadCatalog().get(name)!)).join("\n"));
