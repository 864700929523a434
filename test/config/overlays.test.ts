/**
 * Modules and ConsolidationMode (config/overlays.ts, config/module-files.ts): a module's XML is the
 * base layer, the configuration's elements replace, merge into, update or delete its items, and
 * validation runs on the result.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildItems, type Item } from "../../src/config/items.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { DEFAULT_SETTINGS } from "../../src/config/settings.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";

const MODULE = configFile([
  `  <Agent Identifier="Local" DisplayName_L1="Local agent" URI="http://localhost:5000"/>`,
  `  <Connector Identifier="Directory" DisplayName_L1="Directory" Agent="Local"/>`,
  `  <Connector Identifier="Legacy" DisplayName_L1="Legacy" Agent="Local"/>`,
  `  <EntityType Identifier="Directory_User" DisplayName_L1="User">`,
  `    <Property Identifier="UserId" DisplayName_L1="User ID" IsKey="true" TargetColumnIndex="4" Type="String"/>`,
  `    <Property Identifier="Name" DisplayName_L1="Name" TargetColumnIndex="5" Type="String"/>`,
  `    <Property Identifier="Phone" DisplayName_L1="Phone" TargetColumnIndex="6" Type="String"/>`,
  `  </EntityType>`,
].join("\n"));

/** A folder holding Conf/ (the configuration, `<BootstrapModule/>` first) and Modules/Bootstrap/. */
function modular(conf: string, module = MODULE, extra: Record<string, string> = {}): string {
  const root = writeFolder({
    "Modules/Bootstrap/Bootstrap.xml": module,
    "Conf/Conf.xml": configFile(`  <BootstrapModule/>\n${conf}`),
    ...extra,
  });
  return join(root, "Conf");
}

function validate(dir: string, settings = DEFAULT_SETTINGS) {
  const result = validateFolder(dir, settings.validation, settings);
  return { ...result, items: buildItems(result.configuration) };
}

function find(items: Item[], kind: string, identifier: string): Item {
  const item = items.find((i) => i.kind === kind && i.identifier === identifier);
  expect(item, `${kind} ${identifier}`).toBeDefined();
  return item!;
}

const properties = (item: Item) => (item.children as Record<string, Record<string, Record<string, unknown>>>).Property!;

describe("modules", () => {
  it("brings the module's items in, resolves references to them, and names module files relative to the configuration", () => {
    const { problems, items } = validate(modular(`  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local"/>`));
    expect(problems).toEqual([]);
    expect(items.map((i) => `${i.kind}:${i.identifier}`).sort()).toEqual([
      "Agent:Local", "Connector:Directory", "Connector:HR", "Connector:Legacy", "EntityType:Directory_User",
    ]);
    expect(find(items, "Agent", "Local").source).toEqual({ file: "../Modules/Bootstrap/Bootstrap.xml", line: 3, column: 3 });
    expect(find(items, "Connector", "HR").contributions).toBeUndefined();
  });

  it("reports a problem of a module file at that file", () => {
    const broken = MODULE.replace(`URI="http://localhost:5000"`, `URI="http://localhost:5000" Colour="red"`);
    const { problems } = validate(modular("", broken));
    expect(problems.map((p) => [p.code, p.file, p.line])).toEqual([["unknown-attribute", "../Modules/Bootstrap/Bootstrap.xml", 3]]);
  });

  it("warns, without an error, about a module whose folder is missing; its items are then unknown", () => {
    const dir = writeFolder({ "Conf/Conf.xml": configFile(`  <WorkforceModule>\n    <ModelUsage Binding="Directory_Office" Count="0"/>\n  </WorkforceModule>`) });
    const { problems, valid } = validate(join(dir, "Conf"));
    expect(valid).toBe(true);
    expect(problems.map((p) => [p.code, p.severity, p.line, p.message])).toEqual([["missing-module", "warning", 3,
      "WorkforceModule: no module folder Workforce/ in the modules folder; its items are not validated nor deployed (the product takes them from its runtime folder)"]]);
  });

  it("finds the modules in <configuration>/Modules/, which is then no part of the configuration's own files, or where Paths.Modules says", () => {
    const inside = writeFolder({ "Conf.xml": configFile("  <BootstrapModule/>"), "Modules/Bootstrap/Bootstrap.xml": MODULE });
    const result = validate(inside);
    expect(result.problems).toEqual([]);
    expect(result.files).toBe(1);
    expect(find(result.items, "Agent", "Local").source.file).toBe("Modules/Bootstrap/Bootstrap.xml");

    const elsewhere = writeFolder({ "vendor/Bootstrap/Bootstrap.xml": MODULE, "Conf/Conf.xml": configFile("  <BootstrapModule/>") });
    const settings = { ...DEFAULT_SETTINGS, paths: { ...DEFAULT_SETTINGS.paths, modules: join(elsewhere, "vendor") } };
    const set = validate(join(elsewhere, "Conf"), settings);
    expect(set.problems).toEqual([]);
    expect(find(set.items, "Agent", "Local").source.file).toBe("../vendor/Bootstrap/Bootstrap.xml");
  });
});

describe("ConsolidationMode over module items", () => {
  it("absent: the configuration's element replaces the module's item whole, and no duplicate is reported", () => {
    const { problems, items } = validate(modular(`  <Agent Identifier="Local" DisplayName_L1="Mine"/>`));
    expect(problems).toEqual([]);
    const agent = find(items, "Agent", "Local");
    expect(agent.attributes).not.toHaveProperty("URI");
    expect(agent.attributes.DisplayName_L1).toBe("Mine");
    expect(agent.source).toEqual({ file: "Conf.xml", line: 4, column: 3 });
    expect(agent.contributions!.map((c) => [c.file, c.line, c.mode])).toEqual([["../Modules/Bootstrap/Bootstrap.xml", 3, "Base"], ["Conf.xml", 4, "Replace"]]);
  });

  it("Merge: keeps the module's attributes and properties, the fragment's values win, a property merges by Identifier, a new one is appended, a Delete child goes", () => {
    const { problems, items } = validate(modular([
      `  <EntityType Identifier="Directory_User" ConsolidationMode="Merge" DisplayName_L2="Utilisateur">`,
      `    <Property Identifier="Name" DisplayName_L1="Full name"/>`,
      `    <Property Identifier="Mail" DisplayName_L1="E-mail" TargetColumnIndex="7" Type="String"/>`,
      `    <Property Identifier="Phone" ConsolidationMode="Delete"/>`,
      `  </EntityType>`,
    ].join("\n")));
    expect(problems).toEqual([]);
    const type = find(items, "EntityType", "Directory_User");
    expect(type.attributes).toMatchObject({ DisplayName_L1: "User", DisplayName_L2: "Utilisateur" });
    expect(Object.keys(properties(type))).toEqual(["Mail", "Name", "UserId"]);
    // The module's TargetColumnIndex and Type stay; the fragment's Property carries only its name.
    expect(properties(type).Name).toMatchObject({ DisplayName_L1: "Full name", TargetColumnIndex: 5, Type: "String" });
    // Defaults fill what neither wrote, on the appended property too.
    expect(properties(type).Mail).toMatchObject({ IsKey: false, HistoryPrecision: 0 });
    expect(type.contributions!.map((c) => c.mode)).toEqual(["Base", "Merge"]);
  });

  it("Merge does not take a fragment's defaults for values: a property merged without IsKey stays the key", () => {
    const { problems, items } = validate(modular([
      `  <EntityType Identifier="Directory_User" ConsolidationMode="Merge">`,
      `    <Property Identifier="UserId" DisplayName_L1="Login"/>`,
      `  </EntityType>`,
    ].join("\n")));
    expect(problems).toEqual([]);
    expect(properties(find(items, "EntityType", "Directory_User")).UserId).toMatchObject({ IsKey: true, DisplayName_L1: "Login" });
  });

  it("Update: the fragment's attributes replace the module's, the module's children stay", () => {
    const { problems, items } = validate(modular([
      `  <Agent Identifier="Local" DisplayName_L1="Production" ConsolidationMode="Update"/>`,
      `  <EntityType Identifier="Directory_User" DisplayName_L1="Person" ConsolidationMode="Update"/>`,
    ].join("\n")));
    expect(problems).toEqual([]);
    const agent = find(items, "Agent", "Local");
    expect(agent.attributes.DisplayName_L1).toBe("Production");
    expect(agent.attributes).not.toHaveProperty("URI");
    const type = find(items, "EntityType", "Directory_User");
    expect(type.attributes.DisplayName_L1).toBe("Person");
    expect(Object.keys(properties(type))).toEqual(["Name", "Phone", "UserId"]);
  });

  it("Delete: the module's item goes, and a reference to it is then unresolved", () => {
    const { problems, items } = validate(modular([
      `  <Connector Identifier="Legacy" ConsolidationMode="Delete"/>`,
      `  <Connector Identifier="Directory" ConsolidationMode="Delete"/>`,
      `  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local"/>`,
    ].join("\n")));
    expect(items.filter((i) => i.kind === "Connector").map((i) => i.identifier)).toEqual(["HR"]);
    expect(problems).toEqual([]);
    const referring = validate(modular([
      `  <Agent Identifier="Local" ConsolidationMode="Delete"/>`,
    ].join("\n")));
    expect(referring.problems.map((p) => [p.code, p.file]).slice(0, 1)).toEqual([["unresolved-reference", "../Modules/Bootstrap/Bootstrap.xml"]]);
  });

  it("applies two fragments of one item in file order, and a fragment over an item of another configuration file", () => {
    const dir = modular(`  <EntityType Identifier="Directory_User" ConsolidationMode="Merge" DisplayName_L2="A"/>`, MODULE, {
      "Conf/More.xml": configFile([
        `  <EntityType Identifier="Directory_User" ConsolidationMode="Merge" DisplayName_L2="B" DisplayName_L3="C"/>`,
        `  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local"/>`,
        `  <Connector Identifier="HR" ConsolidationMode="Merge" DisplayName_L1="Human resources"/>`,
      ].join("\n")),
    });
    const { problems, items } = validate(dir);
    expect(problems).toEqual([]);
    expect(find(items, "EntityType", "Directory_User").attributes).toMatchObject({ DisplayName_L2: "B", DisplayName_L3: "C" });
    expect(find(items, "EntityType", "Directory_User").contributions!.map((c) => `${c.file}:${c.mode}`))
      .toEqual(["../Modules/Bootstrap/Bootstrap.xml:Base", "Conf.xml:Merge", "More.xml:Merge"]);
    expect(find(items, "Connector", "HR").attributes.DisplayName_L1).toBe("Human resources");
  });

  it("a Merge or Update with nothing under it, or a Delete of nothing, is a warning and changes nothing", () => {
    const { problems, valid, items } = validate(modular([
      `  <EntityType Identifier="Nobody" ConsolidationMode="Merge"/>`,
      `  <Agent Identifier="Remote" DisplayName_L1="R" ConsolidationMode="Update"/>`,
      `  <Connector Identifier="Nothing" ConsolidationMode="Delete"/>`,
    ].join("\n")));
    expect(valid).toBe(true);
    expect(problems.map((p) => [p.code, p.severity, p.line])).toEqual([
      ["overlay-without-base", "warning", 4], ["overlay-without-base", "warning", 5], ["overlay-without-base", "warning", 6],
    ]);
    expect(items).toHaveLength(4);
  });
});

describe("duplicates", () => {
  it("are an error only between two definitions that are no overlays", () => {
    const { problems } = validate(modular([
      `  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local"/>`,
      `  <Connector Identifier="HR" DisplayName_L1="HR again" Agent="Local"/>`,
      `  <Connector Identifier="Directory" DisplayName_L1="Mine" Agent="Local"/>`,
    ].join("\n")));
    expect(problems.map((p) => [p.code, p.line])).toEqual([["duplicate-identifier", 5]]);
  });

  it("a second replacement of one module item is a duplicate of the first", () => {
    const { problems } = validate(modular([
      `  <Connector Identifier="Directory" DisplayName_L1="Mine" Agent="Local"/>`,
      `  <Connector Identifier="Directory" DisplayName_L1="Mine again" Agent="Local"/>`,
    ].join("\n")));
    expect(problems.map((p) => [p.code, p.file, p.line])).toEqual([["duplicate-identifier", "Conf.xml", 5]]);
  });
});
