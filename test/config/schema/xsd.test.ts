import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog, SCHEMA_DIR } from "../../../src/config/schema/catalog.js";
import { generateXsd } from "../../../src/config/schema/xsd.js";
import { loadVocabulary, Vocabulary } from "../../../src/config/vocabulary.js";

const XMLLINT = "xmllint";

/** Rows of vocabulary.tsv, read here independently of the code under test. */
function vocabularyRows(): { name: string; kind: string }[] {
  return readFileSync(join(SCHEMA_DIR, "vocabulary.tsv"), "utf8")
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const [name = "", , kind = ""] = line.split("\t");
      return { name, kind };
    });
}

const rows = vocabularyRows();
const vocabulary = [...new Set(rows.filter((r) => r.kind !== "child").map((r) => r.name))];
const catalog = loadCatalog();

const VALID = `<?xml version="1.0" encoding="utf-8"?>
<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Agent Identifier="Local" DisplayName_L1="Local agent" URI="http://localhost:5001" State="1"/>
  <OpenIdClient Identifier="R" DisplayName_L1="R" Region="eu"><Anything/></OpenIdClient>
  <EntityType Identifier="T">
    <Property Identifier="Code" IsKey="true" TargetColumnIndex="4"/>
  </EntityType>
  <EntityTypeMapping Identifier="T" Connector="C">
    <Property Identifier="Code" ConnectionColumn="code" IsPrimaryKey="1"/>
  </EntityTypeMapping>
  <Connection Identifier="C" DisplayName_L1="C" Connector="C" Package="Usercube.CSV@0000001">
    <Transformation Type="TransformDate" Table="C_x" Column="d" AddedDays="-0.5"/>
  </Connection>
  <InvokeSqlCommandTask Identifier="Shared" DisplayName_L1="Shared" IsolationLevel="4096"/>
  <Job Identifier="Demo" DisplayName_L1="Demo" LogLevel="2" IsIncremental="1" CronTimeZone="ServerTime">
    <ExportTask Identifier="Export" DisplayName_L1="Export" Agent="Local" ContinueOnError="True" Level="1">
      <TaskDependsOnTask ParentTask="Shared"/>
    </ExportTask>
    <Step Identifier="Shared" Level="2"/>
    <ExportTaskOverride Identifier="Export" IgnoreCookieFile="false"/>
    <TreeDimensionsRefreshTask/>
  </Job>
  <TreeDimensionsRefreshTask Identifier="Top"><Anything Goes="here"/></TreeDimensionsRefreshTask>
  <WorkflowEntityTypeSearchBar EntityType="T"/>
</ConfigurationFile>
`;

describe("generateXsd", () => {
  const xsd = generateXsd(catalog, loadVocabulary());

  it("is deterministic, LF-only and 2-space indented", () => {
    expect(generateXsd(catalog, loadVocabulary())).toBe(xsd);
    const tsv = readFileSync(join(SCHEMA_DIR, "vocabulary.tsv"), "utf8").split("\n");
    const reversed = new Vocabulary([tsv[0], ...tsv.slice(1).reverse()].join("\n"));
    expect(generateXsd(catalog, reversed)).toBe(xsd);
    expect(xsd).not.toContain("\r");
    expect(xsd).not.toContain("\t");
    for (const line of xsd.split("\n")) expect(line.match(/^ */)![0].length % 2).toBe(0);
  });

  it("targets the configuration namespace and says it is generated", () => {
    expect(xsd).toContain(`targetNamespace="urn:schemas-usercube-com:configuration"`);
    expect(xsd).toContain(`elementFormDefault="qualified"`);
    expect(xsd).toContain("idm schema --xsd");
    expect(xsd).toMatch(/Do not edit by hand/);
  });

  it("declares every catalog element and every top-level vocabulary name once at the top level", () => {
    const global = [...catalog.elements.values()].filter((s) => s.kind !== "model-child").map((s) => s.name);
    for (const name of [...global, ...vocabulary]) {
      expect(xsd.split(`\n  <xs:element name="${name}">`).length - 1, name).toBe(1);
    }
  });

  it("declares a model element's children inside it, so that two parents may have different <Property>", () => {
    const children = [...catalog.elements.values()].filter((s) => s.kind === "model-child");
    expect(children.map((s) => s.key)).toEqual(expect.arrayContaining(["EntityType/Property", "EntityTypeMapping/Property", "RecordSection/Property", "ConnectionTable/Column", "Connection/Transformation"]));
    const properties = children.filter((s) => s.name === "Property");
    expect(properties.length).toBeGreaterThan(10);
    expect(xsd.split(`<xs:element name="Property">`).length - 1).toBe(properties.length);
    expect(xsd).not.toContain(`ref="idm:Property"`);
    expect(xsd).toContain(`<xs:attribute name="AddedDays" type="xs:double">`);
  });

  it("declares enums with names and numbers, and never emits defaults", () => {
    expect(xsd).toContain(`<xs:simpleType name="LogLevel">`);
    expect(xsd).toContain(`<xs:simpleType name="CronTimeZone">`);
    expect(xsd).toContain(`<xs:simpleType name="SynchronizationMode">`);
    expect(xsd).toContain(`<xs:enumeration value="Information">`);
    expect(xsd).toContain(`<xs:enumeration value="16777216">`);
    expect(xsd).not.toMatch(/ default="/);
    expect(xsd).toContain(`<xs:attribute name="ContinueOnError" type="idm:IdmBoolean">`);
  });

  it("lists an enum number once when two names spell it (WorkflowState 1: Found, NonConforming)", () => {
    const type = /<xs:simpleType name="WorkflowState">[\s\S]*?<\/xs:simpleType>/.exec(xsd)![0];
    expect(type).toContain(`<xs:enumeration value="NonConforming">`);
    expect(type.split(`<xs:enumeration value="1">`).length - 1).toBe(1);
    expect(type).toContain("Same as Found.");
  });

  it("declares a shared attribute group once, which each element that has it references", () => {
    expect(xsd.split(`<xs:attributeGroup name="DimensionValues">`).length - 1).toBe(1);
    expect(xsd.split(`<xs:attribute name="D3V" `).length - 1).toBe(1);
    const rule = /<xs:element name="SingleRoleRule">[\s\S]*?<\/xs:element>/.exec(xsd)![0];
    expect(rule).toContain(`<xs:attributeGroup ref="idm:DimensionValues"/>`);
    expect(rule).toContain(`<xs:attributeGroup ref="idm:DimensionHierarchies"/>`);
    expect(rule).not.toContain(`name="D0"`);
  });
});

describe("generated XSD with xmllint", () => {
  let dir = "";
  let xsdPath = "";

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "idm-xsd-"));
    xsdPath = join(dir, "identitymanager-configuration.xsd");
    writeFileSync(xsdPath, generateXsd(catalog, loadVocabulary()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function lint(name: string, xml: string): { status: number | null; stderr: string } {
    const file = join(dir, name);
    writeFileSync(file, xml);
    const result = spawnSync(XMLLINT, ["--noout", "--schema", xsdPath, file], { encoding: "utf8" });
    return { status: result.status, stderr: result.stderr };
  }

  it("accepts a correct configuration file", () => {
    const result = lint("valid.xml", VALID);
    expect(result.stderr).toContain("validates");
    expect(result.status).toBe(0);
  });

  it("accepts ConsolidationMode and TemplateTransformation on any element, a child included, and only the product's modes", () => {
    const overlay = VALID.replace(`IsPrimaryKey="1"`, `IsPrimaryKey="1" ConsolidationMode="Merge" TemplateTransformation="OnePerLanguage"`);
    expect(overlay).not.toBe(VALID);
    expect(lint("overlay.xml", overlay).status).toBe(0);
    expect(lint("mode.xml", overlay.replace(`"Merge"`, `"Merg"`)).status).not.toBe(0);
  });

  it("rejects a misspelt attribute", () => {
    const result = lint("misspelt.xml", VALID.replace("ContinueOnError=", "ContinueOnEror="));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("ContinueOnEror");
  });

  it("checks a model child by its parent: a mapping's Property has no IsKey, an EntityType's no IsPrimaryKey", () => {
    expect(lint("key.xml", VALID.replace(`IsPrimaryKey="1"`, `IsKey="1"`)).status).not.toBe(0);
    expect(lint("primary.xml", VALID.replace(`IsKey="true"`, `IsPrimaryKey="true"`)).status).not.toBe(0);
    expect(lint("package.xml", VALID.replace(`Usercube.CSV@0000001`, `Usercube.Csv`)).status).not.toBe(0);
  });

  it("rejects a bad boolean, an unknown enum value and a missing required attribute", () => {
    expect(lint("boolean.xml", VALID.replace(`IsIncremental="1"`, `IsIncremental="yes"`)).status).not.toBe(0);
    expect(lint("enum.xml", VALID.replace(`LogLevel="2"`, `LogLevel="Verbose"`)).status).not.toBe(0);
    expect(lint("required.xml", VALID.replace(`<Step Identifier="Shared" `, "<Step ")).status).not.toBe(0);
  });

  it("checks the dimension-indexed attributes of a group: D3V exists, D40 does not; L<n> is a boolean", () => {
    const rules = (attributes: string): string => VALID.replace(`<WorkflowEntityTypeSearchBar `,
      `<Policy Identifier="P" DisplayName_L1="P"/><SingleRoleRule Role="R" Policy="P" ${attributes}/><WorkflowEntityTypeSearchBar `);
    expect(lint("dimension.xml", rules(`D3V="X" L3V="true" DA="Y"`)).status).toBe(0);
    expect(lint("dimension-40.xml", rules(`D40="X"`)).status).not.toBe(0);
    expect(lint("hierarchy.xml", rules(`L0="yes"`)).status).not.toBe(0);
  });

  it("rejects an unmodelled task inside a task, and a name outside the vocabulary", () => {
    expect(lint("nested.xml", VALID.replace("<TaskDependsOnTask", "<TreeDimensionsRefreshTask/><TaskDependsOnTask")).status).not.toBe(0);
    expect(lint("unknown.xml", VALID.replace(`<WorkflowEntityTypeSearchBar EntityType="T"/>`, `<WorkflowEntityTypeSearchBr EntityType="T"/>`)).status).not.toBe(0);
  });

  it("checks a stored scaffolding by its schema: only its documented attributes and children", () => {
    expect(lint("scaffolding-child.xml", VALID.replace(`<WorkflowEntityTypeSearchBar EntityType="T"/>`,
      `<WorkflowEntityTypeSearchBar EntityType="T"><Anything/></WorkflowEntityTypeSearchBar>`)).status).not.toBe(0);
    expect(lint("scaffolding-required.xml", VALID.replace(`<WorkflowEntityTypeSearchBar EntityType="T"/>`, `<WorkflowEntityTypeSearchBar/>`)).status).not.toBe(0);
  });
});
