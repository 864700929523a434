import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/config/schema/catalog.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { exportItems, type ExportableItem } from "../../src/deploy/export-items.js";
import { buildItems, type Item } from "../../src/config/items.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";

const XSD = "schema/identitymanager-configuration.xsd";
const catalog = loadCatalog();

function itemsOf(dir: string): Item[] {
  const result = validateFolder(dir);
  expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
  return buildItems(result.configuration);
}

/** Kind, identifier, hash and source file of every item: what a round trip must keep. */
function fingerprint(items: Item[]): string[] {
  return items.map((i) => `${i.kind} ${i.identifier} ${i.hash} ${i.source.file}`).sort();
}

/** Exports the items of a folder, writes the files to a new folder and reads them back. */
function roundTrip(dir: string): { files: Map<string, string>; out: string; before: Item[]; after: Item[] } {
  const before = itemsOf(dir);
  const files = exportItems(before, catalog);
  const out = writeFolder(Object.fromEntries(files));
  return { files, out, before, after: itemsOf(out) };
}

function exportText(files: Record<string, string>): string {
  return [...exportItems(itemsOf(writeFolder(files)), catalog).values()].join("");
}

describe("exportItems round trip", () => {
  it("gives back the demo configuration: same items, hashes and files, valid against the XSD", () => {
    const { files, out, before, after } = roundTrip("conf-samples/demo");
    expect(after.length).toBeGreaterThan(20);
    expect(fingerprint(after)).toEqual(fingerprint(before));
    for (const file of files.keys()) {
      const lint = spawnSync("xmllint", ["--noout", "--schema", XSD, join(out, file)], { encoding: "utf8" });
      expect(lint.stderr).toContain("validates");
      expect(lint.status, lint.stderr).toBe(0);
    }
  });

  it("gives back the demo's model elements with their children: properties, property mappings, columns", () => {
    const { files, before, after } = roundTrip("conf-samples/demo");
    const children = (items: Item[]) => items.filter((i) => Object.keys(i.children).some((k) => /^[A-Z]/.test(k) && k !== "Job"))
      .map((i) => ({ kind: i.kind, identifier: i.identifier, children: i.children }));
    expect(children(after)).toEqual(children(before));
    expect(new Set(children(before).map((i) => i.kind))).toEqual(new Set(["Connection", "ConnectionTable", "EntityType", "EntityTypeMapping", "ResourceType"]));
    const hr = files.get("HR/Connector.xml")!;
    expect(hr).toContain(`<EntityTypeMapping Identifier="HR_Person" ConnectionTable="HRPeople" Connector="HR" MaximumDeletedLines="20">`);
    expect(hr).toContain(`<Property Identifier="EmployeeId" ConnectionColumn="employee_id" IsPrimaryKey="true" IsUniqueKey="true"/>`);
    expect(hr).toContain(`<EntityAssociation Identifier="HR_Person_Manager" DisplayName_L1="Manager" DisplayName_L2="Responsable" IsProperty1Collection="true" Property1="HR_Person:DirectReports" Property2="HR_Person:Manager"/>`);
  });

  it("gives back the reference examples", () => {
    const { before, after } = roundTrip("test/fixtures/reference-examples");
    expect(fingerprint(after)).toEqual(fingerprint(before));
  });

  it("keeps derived task identifiers, written out explicitly", () => {
    const dir = writeFolder({
      "model.xml": BASE_MODEL,
      "jobs/main.xml": configFile(`  <Job Identifier="J" DisplayName_L1="J">
    <InvokeSqlCommandTask DisplayName_L1="one" SQLCommand="SELECT 1"/>
    <InvokeSqlCommandTask DisplayName_L1="two" SQLCommand="SELECT 2" Level="1"/>
  </Job>
  <MaintainIndexesTask DisplayName_L1="top"/>`),
    });
    const { files, before, after } = roundTrip(dir);
    expect(fingerprint(after)).toEqual(fingerprint(before));
    const text = files.get("jobs/main.xml")!;
    expect(text).toContain(`<InvokeSqlCommandTask Identifier="J_InvokeSqlCommandTask" `);
    expect(text).toContain(`<InvokeSqlCommandTask Identifier="J_InvokeSqlCommandTask_2" `);
    expect(text).toContain(`<MaintainIndexesTask Identifier="jobs_main_MaintainIndexesTask" `);
  });
});

describe("exportItems output", () => {
  it("writes files in the documented layout, elements in source order, identifier first", () => {
    const text = exportText({
      "a.xml": configFile(`  <Agent DisplayName_L1="Local agent" Identifier="Local"/>
  <Job Identifier="J" DisplayName_L1="J" Agent="Local">
    <ExportTask Identifier="E" DisplayName_L1="E" OpenIdClient="Job" ContinueOnError="true" Level="2"/>
    <Step Identifier="M"/>
  </Job>
  <MaintainIndexesTask Identifier="M" DisplayName_L1="M"/>
  <OpenIdClient Identifier="Job" DisplayName_L1="Job client"/>`),
    });
    expect(text).toBe(`<?xml version="1.0" encoding="utf-8"?>
<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">
  <Agent Identifier="Local" DisplayName_L1="Local agent"/>
  <Job Identifier="J" Agent="Local" DisplayName_L1="J">
    <ExportTask Identifier="E" ContinueOnError="true" DisplayName_L1="E" Level="2" OpenIdClient="Job"/>
    <Step Identifier="M"/>
  </Job>
  <MaintainIndexesTask Identifier="M" DisplayName_L1="M"/>
  <OpenIdClient Identifier="Job" DisplayName_L1="Job client"/>
</ConfigurationFile>
`);
  });

  it("omits attributes equal to their schema default", () => {
    const text = exportText({
      "model.xml": BASE_MODEL,
      "t.xml": configFile(`  <ExportTask Identifier="E" DisplayName_L1="E" Agent="Local" OpenIdClient="Job" ContinueOnError="false" Level="-1"/>
  <Job Identifier="J" DisplayName_L1="J" CronTimeZone="UTC" IsIncremental="0"><Step Identifier="E" Level="-1"/></Job>`),
    });
    expect(text).toContain(`<ExportTask Identifier="E" Agent="Local" DisplayName_L1="E" OpenIdClient="Job"/>`);
    expect(text).toContain(`<Job Identifier="J" DisplayName_L1="J">\n    <Step Identifier="E"/>`);
    expect(text).not.toMatch(/ContinueOnError|Level=|CronTimeZone|IsIncremental/);
  });

  it("writes a Step's Level only where it differs from the task's, and overrides with what they set", () => {
    const text = exportText({
      "model.xml": BASE_MODEL,
      "t.xml": configFile(`  <MaintainIndexesTask Identifier="M" DisplayName_L1="M" Level="3"/>
  <Job Identifier="J" DisplayName_L1="J">
    <Step Identifier="M" Level="3"/>
    <Step Identifier="M" Level="5"/>
    <MaintainIndexesTaskOverride Identifier="M" Level="-1" ContinueOnError="false"/>
  </Job>`),
    });
    expect(text).toContain(`    <Step Identifier="M"/>
    <Step Identifier="M" Level="5"/>
    <MaintainIndexesTaskOverride Identifier="M" ContinueOnError="false" Level="-1"/>`);
  });

  it("writes a model element's children: identified ones in identifier order, the others in document order, defaults left out", () => {
    const text = exportText({
      "m.xml": configFile(`  <Connector Identifier="C" DisplayName_L1="C" MaximumDeletedLines="100" MaxPercentageDeletedLines="10"/>
  <Connection Identifier="X" DisplayName_L1="X" Connector="C" Package="usercube.excel@0000001" DeactivationExportFulfill="0">
    <Transformation Type="WhereValue" Table="X_b" Column="c" WhereOperator="StartsWith" WhereValue="DE_"/>
    <Transformation Type="TransformDate" Table="X_a" Column="d" AddedDays="-0.5"/>
  </Connection>
  <EntityType Identifier="T">
    <Property Identifier="Name" TargetColumnIndex="5" Type="0"/>
    <Property Identifier="Code" IsKey="1" TargetColumnIndex="4" DisplayName_L1="Code"/>
  </EntityType>`),
    });
    expect(text).toBe(`<?xml version="1.0" encoding="utf-8"?>
<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">
  <Connector Identifier="C" DisplayName_L1="C" MaxPercentageDeletedLines="10"/>
  <Connection Identifier="X" Connector="C" DisplayName_L1="X" Package="Usercube.Excel@0000001">
    <Transformation Column="c" Table="X_b" Type="WhereValue" WhereOperator="StartsWith" WhereValue="DE_"/>
    <Transformation AddedDays="-0.5" Column="d" Table="X_a" Type="TransformDate"/>
  </Connection>
  <EntityType Identifier="T">
    <Property Identifier="Code" DisplayName_L1="Code" IsKey="true" TargetColumnIndex="4"/>
    <Property Identifier="Name" TargetColumnIndex="5"/>
  </EntityType>
</ConfigurationFile>
`);
  });

  it("escapes attribute values so that they read back the same", () => {
    const dir = writeFolder({
      "model.xml": BASE_MODEL,
      "q.xml": configFile(`  <InvokeSqlCommandTask Identifier="Q" DisplayName_L1="a > b" SQLCommand="SELECT a &lt; b &amp; &quot;x&quot; FROM t"/>`),
    });
    const { files, before, after } = roundTrip(dir);
    expect(before.find((i) => i.identifier === "Q")!.attributes.SQLCommand).toBe(`SELECT a < b & "x" FROM t`);
    expect(files.get("q.xml")).toContain(`DisplayName_L1="a &gt; b" SQLCommand="SELECT a &lt; b &amp; &quot;x&quot; FROM t"`);
    expect(fingerprint(after)).toEqual(fingerprint(before));
  });

  it("writes newline, tab and carriage return as character references that read back as themselves", () => {
    const dir = writeFolder({
      "model.xml": BASE_MODEL,
      "q.xml": configFile(`  <InvokeSqlCommandTask Identifier="Q" DisplayName_L1="Q" SQLCommand="SELECT 1&#10;FROM t&#9;x&#13;"/>`),
    });
    const { files, before, after } = roundTrip(dir);
    expect(before.find((i) => i.identifier === "Q")!.attributes.SQLCommand).toBe("SELECT 1\nFROM t\tx\r");
    expect(files.get("q.xml")).toContain(`SQLCommand="SELECT 1&#10;FROM t&#9;x&#13;"`);
    expect(fingerprint(after)).toEqual(fingerprint(before));
  });

  it("puts items without a source into the default file, after those that have one", () => {
    const agent = (identifier: string, source: ExportableItem["source"]): ExportableItem =>
      ({ kind: "Agent", identifier, attributes: { DisplayName_L1: identifier }, children: {}, source });
    const files = exportItems([agent("B", null), agent("A", { file: "out.xml", line: 9, column: 3 }), agent("C", { file: "x.xml", line: 1, column: 1 })], catalog, "out.xml");
    expect([...files.keys()]).toEqual(["out.xml", "x.xml"]);
    expect(files.get("out.xml")).toMatch(/Identifier="A"[^]*Identifier="B"/);
  });

  it("writes a step whose task item is missing as a Step", () => {
    const job: ExportableItem = {
      kind: "Job", identifier: "J", attributes: { DisplayName_L1: "J" }, source: null,
      children: { steps: [{ task: "Gone", level: 2, launchOrder: 1, kind: "inline" }, { task: "Other", level: -1, launchOrder: 2, kind: "override", override: { Dirty: true } }] },
    };
    expect(exportItems([job], catalog).get("idm-export.xml")).toContain(`<Job Identifier="J" DisplayName_L1="J">
    <Step Identifier="Gone" Level="2"/>
    <Step Identifier="Other"/>
  </Job>`);
  });

  it("refuses an item kind the catalog does not know", () => {
    const item: ExportableItem = { kind: "Mystery", identifier: "X", attributes: {}, children: {}, source: null };
    expect(() => exportItems([item], catalog)).toThrow(/Mystery/);
  });
});
