/**
 * ConnectorMappings: the connection, entity type mapping and association mappings it generates
 * (the vendor's "Generated XML"), overlays over them, and the job scaffoldings reading them.
 */
import { describe, expect, it } from "vitest";
import { buildItems, type Item } from "../../../src/config/items.js";
import { validateFolder, type ValidationResult } from "../../../src/config/validate-folder.js";
import { configFile, writeFolder } from "../../helpers/temp-folder.js";

const MODEL = configFile([
  `  <Agent Identifier="Local" DisplayName_L1="Local agent"/>`,
  `  <Connector Identifier="Directory" DisplayName_L1="Directory" Agent="Local"/>`,
  `  <EntityType Identifier="Directory_User" DisplayName_L1="User">`,
  `    <Property Identifier="Identifier" DisplayName_L1="Identifier" IsKey="true" TargetColumnIndex="4"/>`,
  `    <Property Identifier="Records" DisplayName_L1="Records" Type="ForeignKey"/>`,
  `    <Property Identifier="ManagedRecords" DisplayName_L1="Managed records" Type="ForeignKey"/>`,
  `  </EntityType>`,
  `  <EntityType Identifier="Directory_Group" DisplayName_L1="Group">`,
  `    <Property Identifier="Identifier" DisplayName_L1="Identifier" IsKey="true" TargetColumnIndex="4"/>`,
  `    <Property Identifier="Members" DisplayName_L1="Members" Type="ForeignKey"/>`,
  `  </EntityType>`,
  `  <EntityType Identifier="Directory_UserRecord" DisplayName_L1="User record">`,
  `    <Property Identifier="PositionIdentifier" DisplayName_L1="Position" IsKey="true" TargetColumnIndex="4"/>`,
  `    <Property Identifier="FirstName" DisplayName_L1="First name" TargetColumnIndex="5"/>`,
  `    <Property Identifier="BirthDate" DisplayName_L1="Birth date" Type="DateTime" TargetColumnIndex="6"/>`,
  `    <Property Identifier="Suspended" DisplayName_L1="Suspended" Type="Bool" TargetColumnIndex="7"/>`,
  `    <Property Identifier="User" DisplayName_L1="User" Type="ForeignKey" TargetColumnIndex="128"/>`,
  `    <Property Identifier="Manager" DisplayName_L1="Manager" Type="ForeignKey" TargetColumnIndex="129"/>`,
  `    <Property Identifier="Groups" DisplayName_L1="Groups" Type="ForeignKey"/>`,
  `  </EntityType>`,
  `  <EntityAssociation Identifier="Directory_UserRecord_User" Property1="Directory_UserRecord:User" Property2="Directory_User:Records" IsProperty2Collection="true"/>`,
  `  <EntityAssociation Identifier="Directory_UserRecord_Manager" Property1="Directory_User:ManagedRecords" IsProperty1Collection="true" Property2="Directory_UserRecord:Manager"/>`,
  `  <EntityAssociation Identifier="Directory_UserRecord_Groups" Property1="Directory_UserRecord:Groups" IsProperty1Collection="true" Property2="Directory_Group:Members" IsProperty2Collection="true"/>`,
].join("\n"));

const MAPPINGS = [
  `  <ConnectorMappings Connector="Directory" EntityType="Directory_UserRecord" IsIncremental="true" Package="Usercube.Excel@0000001">`,
  `    <ExcludedProperty Property="Suspended"/>`,
  `  </ConnectorMappings>`,
  `  <ConnectorMappings Connector="Directory" EntityType="Directory_User"/>`,
  `  <ConnectorMappings Connector="Directory" EntityType="Directory_Group"/>`,
].join("\n");

function validate(more = ""): ValidationResult {
  return validateFolder(writeFolder({ "Model.xml": MODEL, "Mappings.xml": configFile(MAPPINGS + more) }));
}

function itemsOf(more = ""): Item[] {
  const result = validate(more);
  expect(result.problems).toEqual([]);
  return buildItems(result.configuration);
}

const find = (items: Item[], kind: string, id: string): Item | undefined => items.find((i) => i.kind === kind && i.identifier === id);

describe("ConnectorMappings", () => {
  it("generates one connection per connector, the entity type mapping of the scalar properties, and the association mappings", () => {
    const items = itemsOf();
    const generated = items.filter((i) => i.source.generatedBy === "ConnectorMappings").map((i) => `${i.kind} ${i.identifier}`);
    expect(generated.sort()).toEqual([
      "Connection Directory",
      "EntityAssociationMapping Directory_UserRecord_Groups",
      "EntityAssociationMapping Directory_UserRecord_Manager",
      "EntityAssociationMapping Directory_UserRecord_User",
      "EntityTypeMapping Directory_Group",
      "EntityTypeMapping Directory_User",
      "EntityTypeMapping Directory_UserRecord",
    ]);
    expect(find(items, "Connection", "Directory")!.attributes).toMatchObject({ DisplayName_L1: "Directory", Connector: "Directory", Package: "Usercube.Excel@0000001" });
    const record = find(items, "EntityTypeMapping", "Directory_UserRecord")!;
    expect(record.attributes).toMatchObject({ Connector: "Directory", ConnectionTable: "Directory_UserRecord" });
    expect(record.children).toEqual({ Property: {
      BirthDate: { ConnectionColumn: "BirthDate", IsPrimaryKey: false, IsUniqueKey: false },
      FirstName: { ConnectionColumn: "FirstName", IsPrimaryKey: false, IsUniqueKey: false },
      PositionIdentifier: { ConnectionColumn: "PositionIdentifier", IsPrimaryKey: true, IsUniqueKey: false },
    } });
    expect(find(items, "EntityTypeMapping", "Directory_User")!.children).toEqual({ Property: { Identifier: { ConnectionColumn: "Identifier", IsPrimaryKey: true, IsUniqueKey: false } } });
    expect(find(items, "EntityAssociationMapping", "Directory_UserRecord_User")!.attributes).toMatchObject({
      Connector: "Directory", ConnectionTable: "Directory_UserRecord", Column1: "PositionIdentifier", Column2: "User",
      EntityPropertyMapping1: "Directory_UserRecord:PositionIdentifier", EntityPropertyMapping2: "Directory_User:Identifier",
    });
    // The record is side 2 of this one: its key and navigation columns go on side 2.
    expect(find(items, "EntityAssociationMapping", "Directory_UserRecord_Manager")!.attributes).toMatchObject({
      ConnectionTable: "Directory_UserRecord", Column1: "Manager", Column2: "PositionIdentifier",
      EntityPropertyMapping1: "Directory_User:Identifier", EntityPropertyMapping2: "Directory_UserRecord:PositionIdentifier",
    });
    // Many-to-many: a file of its own, <EntityType>_<navigation>, mapped once.
    expect(find(items, "EntityAssociationMapping", "Directory_UserRecord_Groups")!.attributes).toMatchObject({
      ConnectionTable: "Directory_UserRecord_Groups", Column1: "PositionIdentifier", Column2: "Groups",
      EntityPropertyMapping1: "Directory_UserRecord:PositionIdentifier", EntityPropertyMapping2: "Directory_Group:Identifier",
    });
    expect(find(items, "EntityTypeMapping", "Directory_UserRecord")!.source).toEqual({ file: "Mappings.xml", line: 3, column: 3, generatedBy: "ConnectorMappings" });
  });

  it("takes overlays: a Merge on the generated mapping changes a property, a Delete removes an association mapping", () => {
    const items = itemsOf([
      "",
      `  <EntityTypeMapping Identifier="Directory_UserRecord" ConsolidationMode="Merge"><Property Identifier="BirthDate" Format="yyyy-MM-dd"/></EntityTypeMapping>`,
      `  <EntityAssociationMapping Identifier="Directory_UserRecord_Groups" ConsolidationMode="Delete"/>`,
    ].join("\n"));
    const record = find(items, "EntityTypeMapping", "Directory_UserRecord")!;
    expect((record.children as Record<string, Record<string, object>>).Property!.BirthDate).toEqual({ ConnectionColumn: "BirthDate", Format: "yyyy-MM-dd", IsPrimaryKey: false, IsUniqueKey: false });
    expect(record.contributions!.map((c) => `${c.line}:${c.mode}`)).toEqual(["3:Base", "8:Merge"]);
    expect(find(items, "EntityAssociationMapping", "Directory_UserRecord_Groups")).toBeUndefined();
    expect(find(items, "ConnectorMappings", "Connector=Directory;EntityType=Directory_User;IsIncremental=false")!.contributions).toBeUndefined();
    expect(items.find((i) => i.kind === "ConnectorMappings" && i.identifier.includes("Directory_UserRecord"))!.contributions!.map((c) => c.over))
      .toEqual([undefined, "EntityTypeMapping Directory_UserRecord", "EntityAssociationMapping Directory_UserRecord_Groups"]);
  });

  it("is read by the job scaffoldings: the generated connection is exported, the mapped entity types are synchronized", () => {
    const items = itemsOf(`\n  <CreateConnectorSynchroComplete Connector="Directory" JobIdentifier="Directory_Sync"/>`);
    expect(find(items, "ExportTask", "Directory_Sync_Export_Directory_Complete_Directory")!.attributes).toMatchObject({ Connection: "Directory" });
    const synchronize = find(items, "UpdateEntityPropertyExpressionsTask", "Directory_Sync_UpdateEntityPropertyExpressions1")!;
    expect(synchronize.children).toMatchObject({ entityTypes: ["Directory_Group", "Directory_User", "Directory_UserRecord"] });
  });

  it("generates nothing from an unknown connector or entity type, which the reference check reports", () => {
    const result = validateFolder(writeFolder({ "Model.xml": MODEL, "Mappings.xml": configFile(`  <ConnectorMappings Connector="Directory" EntityType="Directory_Usr"/>`) }));
    expect(result.problems.map((p) => [p.code, p.hint])).toEqual([["unresolved-reference", "did you mean Directory_User?"]]);
    expect(buildItems(result.configuration).filter((i) => i.source.generatedBy !== undefined)).toEqual([]);
  });

  it("lets a hand-written connection named after the connector replace the generated one", () => {
    const result = validate(`\n  <Connection Identifier="Directory" DisplayName_L1="Directory files" Connector="Directory" Package="Usercube.CSV@0000001"/>`);
    expect(result.problems.map((p) => [p.code, p.line])).toEqual([["scaffolding-conflict", 8]]);
    expect(find(buildItems(result.configuration), "Connection", "Directory")!.attributes.Package).toBe("Usercube.CSV@0000001");
  });
});
