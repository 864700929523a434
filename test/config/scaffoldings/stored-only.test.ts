/**
 * Every scaffolding of the reference vocabulary is a stored configuration item with its schema
 * (schema/scaffoldings/<Name>.json): typed, its references checked, its argument children read.
 * Those idm-toolkit does not expand are said once per kind (`scaffolding-not-expanded`).
 */
import { describe, expect, it } from "vitest";
import { buildItems } from "../../../src/config/items.js";
import { MODULE_ELEMENTS } from "../../../src/config/read-configuration.js";
import { loadCatalog } from "../../../src/config/schema/catalog.js";
import { EXPANDED_SCAFFOLDINGS } from "../../../src/config/scaffoldings/expand.js";
import { JOB_SCAFFOLDINGS } from "../../../src/config/scaffoldings/job-scaffoldings.js";
import { validateFolder } from "../../../src/config/validate-folder.js";
import { loadVocabulary } from "../../../src/config/vocabulary.js";
import { SAMPLE_MODEL, STORED_SCAFFOLDINGS } from "../../helpers/scaffolding-samples.js";
import { configFile, writeFolder } from "../../helpers/temp-folder.js";

const SCAFFOLDINGS = [...loadVocabulary().entries.values()]
  .filter((e) => e.kinds.has("scaffolding") && !MODULE_ELEMENTS.has(e.name)).map((e) => e.name).sort();

describe("scaffoldings stored", () => {
  const catalog = loadCatalog();

  it("gives every scaffolding of the vocabulary a schema: a model element, keyed by its attributes unless it names a job", () => {
    expect(SCAFFOLDINGS).toHaveLength(98);
    for (const name of SCAFFOLDINGS) {
      const spec = catalog.get(name);
      expect(spec, name).toBeDefined();
      expect(spec!.kind, name).toBe("model");
      expect(spec!.schemaId, name).toBe(`https://idm-toolkit.dev/schema/scaffoldings/${name}.json`);
      expect(spec!.identifierAttribute, name).toBe(JOB_SCAFFOLDINGS.has(name) ? "JobIdentifier" : undefined);
    }
  });

  it("types their attributes and children from the reference: references, enums, booleans", () => {
    const mappings = catalog.get("ConnectorMappings")!;
    expect([...mappings.attributes.keys()]).toEqual(["Connector", "EntityType", "Id", "IsIncremental", "Package"]);
    expect(mappings.references.map((r) => `${r.name}→${r.ref}`)).toEqual(["Connector→Connector", "EntityType→EntityType"]);
    expect(mappings.children).toEqual(["ExcludedProperty", "MappingPath"]);
    expect(catalog.get("ViewTemplate")!.references.map((r) => `${r.name}→${r.ref}`)).toEqual(["EntityType→EntityType", "Profile→Profile"]);
    expect(catalog.child(catalog.get("SearchBarPageAccessControl")!, "SearchBarPage")!.attributes.get("SearchBarPage")!.enumNames).toContain("ReviewProvisioning");
    expect(catalog.get("OptimizeDisplayTable")!.references.map((r) => r.ref)).toEqual(["DisplayTable"]);
  });

  it("validates a sample of each without an error, and says once per kind that what it generates is not produced", () => {
    const result = validateFolder(writeFolder({ "Model.xml": SAMPLE_MODEL, "Scaffoldings.xml": STORED_SCAFFOLDINGS }));
    expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
    const storedOnly = result.problems.filter((p) => p.code === "scaffolding-not-expanded");
    expect(storedOnly.map((p) => p.message.split(" ")[0]).sort()).toEqual(SCAFFOLDINGS.filter((n) => !EXPANDED_SCAFFOLDINGS.has(n)));
    expect(storedOnly.every((p) => p.file === "Scaffoldings.xml" && p.severity === "warning")).toBe(true);
    // Else only the sample model's elements that idm-toolkit does not model (yet), and the workflow entity type that
    // UpdateResourcesAccessControlRules' rule names for HR_Org, which no WorkflowEntityType declares.
    expect(result.problems.filter((p) => p.code !== "scaffolding-not-expanded" && p.file !== "Model.xml").map((p) => [p.code, p.severity, p.message])).toEqual([
      ["unresolved-reference", "warning", `AccessControlRule EntityType="Workflow_HR_Org": no EntityType has this identifier, nor is it a built-in EntityType idm-toolkit knows`],
    ]);
    const items = buildItems(result.configuration);
    for (const name of SCAFFOLDINGS.filter((n) => catalog.get(n)!.identifierAttribute === undefined)) {
      expect(items.filter((i) => i.kind === name), name).toHaveLength(1);
    }
    // The templates take no required attribute: a sample without any is known by its (empty) attributes.
    expect(items.find((i) => i.kind === "ViewTemplate")!.identifier).toBe("");
    expect(items.find((i) => i.kind === "RoleAdministrationAccessControlRules")!.identifier).toBe("Profile=Administrator");
    expect(items.find((i) => i.kind === "UniverseDataModel")!.children).toStrictEqual({
      ExcludedProperty: [{ Property: "Name" }], RootInstance: [{ Instance: "x" }], SourceEntityType: [{}], UniverseTemplate: [{ Template: "x" }],
    });
    expect(items.find((i) => i.kind === "SearchBarPageAccessControl")!.children).toStrictEqual({ SearchBarPage: [{ SearchBarPage: "None" }] });
  });

  it("counts the elements of a kind in its one warning, at the first", () => {
    const result = validateFolder(writeFolder({ "Model.xml": SAMPLE_MODEL, "Access.xml": configFile([
      `  <RoleAdministrationAccessControlRules Profile="Administrator"/>`,
      `  <ReviewRolesAccessControlRules EntityType="HR_Person" Profile="Administrator"/>`,
      `  <ReviewRolesAccessControlRules EntityType="HR_Org" Profile="Administrator"/>`,
    ].join("\n")) }));
    expect(result.problems.filter((p) => p.file === "Access.xml").map((p) => [p.code, p.line, p.message])).toEqual([
      ["scaffolding-not-expanded", 3, "RoleAdministrationAccessControlRules is stored (1 element of this kind); what it generates (access rules, displays, menus, workflows…) is not produced by idm-toolkit"],
      ["scaffolding-not-expanded", 4, "ReviewRolesAccessControlRules is stored (2 elements of this kind); what it generates (access rules, displays, menus, workflows…) is not produced by idm-toolkit"],
    ]);
  });

  it("reports a wrong attribute, enum or reference with a did-you-mean", () => {
    // HR_Persn, not HR_Persons: a name containing HR_Person, an argument of the stored ReviewRolesAccessControlRules,
    // may be something it generates (unexpanded-scaffoldings.ts), a warning.
    const result = validateFolder(writeFolder({ "Model.xml": SAMPLE_MODEL, "Access.xml": configFile([
      `  <ReviewRolesAccessControlRules EntityType="HR_Person" Profil="Administrator"/>`,
      `  <RoleAdministrationAccessControlRules Profile="Administrateur"/>`,
      `  <SearchBarPageAccessControl EntityType="HR_Persn" Profile="Administrator"><SearchBarPage SearchBarPage="ReviewProvisionning"/></SearchBarPageAccessControl>`,
      `  <ConnectorMappings Connector="HR" EntityType="HR_Person" Package="Usercube.CVS@0000001"><ExcludedProperty/></ConnectorMappings>`,
    ].join("\n")) }));
    expect(result.problems.filter((p) => p.severity === "error").map((p) => [p.code, p.line, p.message, p.hint])).toEqual([
      ["unknown-attribute", 3, "ReviewRolesAccessControlRules has no attribute Profil", `write Profile="Administrator" (ReviewRolesAccessControlRules has no Profil attribute)`],
      ["unresolved-reference", 4, `RoleAdministrationAccessControlRules Profile="Administrateur": no Profile has this identifier`, "did you mean Administrator?"],
      ["unresolved-reference", 5, `SearchBarPageAccessControl EntityType="HR_Persn": no EntityType has this identifier`, "did you mean HR_Person?"],
      ["invalid-value", 5, expect.stringContaining(`SearchBarPage SearchBarPage="ReviewProvisionning" is not valid`), "did you mean ReviewProvisioning?"],
      ["invalid-value", 6, expect.stringContaining(`ConnectorMappings Package="Usercube.CVS@0000001" is not valid`), "did you mean Usercube.CSV@0000001?"],
      ["missing-attribute", 6, "ExcludedProperty requires the attribute Property", undefined],
    ]);
  });
});
