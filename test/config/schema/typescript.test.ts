import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/config/schema/catalog.js";
import { generateTypes, interfaceName } from "../../../src/config/schema/typescript.js";

const catalog = loadCatalog();
const source = generateTypes(catalog);
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Type-checks files in a fresh ESM folder with the project's strict options; returns the diagnostics. */
function typeCheck(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), "idm-types-"));
  dirs.push(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const program = ts.createProgram(
    Object.keys(files).map((name) => join(dir, name)),
    {
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2023.d.ts"],
      types: [],
      noEmit: true,
    },
  );
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("generateTypes", () => {
  it("is deterministic and says it is generated", () => {
    expect(generateTypes(catalog)).toBe(source);
    expect(source).toContain("idm schema --types");
    expect(source).not.toContain("\r");
  });

  it("declares one attributes interface per element, with typed and documented properties", () => {
    for (const spec of catalog.elements.values()) expect(source).toContain(`export interface ${interfaceName(spec)} {`);
    expect(source).toContain("export interface EntityTypePropertyAttributes {");
    expect(source).toContain("export interface EntityTypeMappingPropertyAttributes {");
    expect(source).toMatch(/\/\*\* Days TransformDate adds[^*]*\*\/\n  AddedDays\?: number;/);
    expect(source).toContain("export interface ExportTaskAttributes");
    expect(source).toMatch(/\/\*\* An error ends the task in Warning and the job goes on\. Default: `false`\. \*\/\n  ContinueOnError: boolean;/);
    expect(source).toContain(`LogLevel: "Trace" | "Debug" | "Information" | "Warning" | "Error" | "Critical" | "None";`);
    expect(source).toContain("Level: number;");
    expect(source).toContain("OpenIdClient?: string;");
  });

  it("makes every override attribute optional but Identifier", () => {
    const override = /export interface ExportTaskOverrideAttributes \{([^}]*)\}/.exec(source)![1]!;
    expect(override).toContain("Identifier: string;");
    expect(override).toContain("ContinueOnError?: boolean;");
    expect(override).toContain("DisplayName_L1?: string;");
  });

  it("lists every task type", () => {
    expect(catalog.taskTypes).toHaveLength(34);
    for (const type of catalog.taskTypes) {
      expect(source).toContain(`  ${JSON.stringify(type)},`);
      expect(source).toContain(`  ${type}: ${type}Attributes;`);
    }
    expect(source).toContain("export type TaskType = (typeof TASK_TYPES)[number];");
  });

  it("declares the labels in languages 2 to 16 once, in a base interface, and DisplayName_L1 in each element", () => {
    expect(source.match(/DisplayName_L2\?: string;/g)).toHaveLength(1);
    expect(source).toMatch(/export interface DisplayNames \{[^}]*DisplayName_L16\?: string;\n\}/);
    expect(source).not.toMatch(/export interface DisplayNames \{[^}]*DisplayName_L1\b/);
    for (const name of ["ExportTask", "Job"]) {
      const own = new RegExp(`export interface ${name}Attributes \\{([^}]*)\\}`).exec(source)![1]!;
      expect(own).toContain("DisplayName_L1: string;");
      expect(own).not.toContain("DisplayName_L2");
      expect(source).toContain(`export interface ${name}Attributes extends DisplayNames {}`);
    }
  });

  it("maps every kind of stored item to its attributes interface", () => {
    const map = /export interface ElementAttributesByKind \{([^}]*)\}/.exec(source)![1]!;
    const kinds = [...catalog.elements.values()].filter((s) => ["job", "task", "model"].includes(s.kind));
    expect(kinds.length).toBeGreaterThan(40);
    for (const spec of kinds) expect(map).toContain(`  ${spec.name}: ${interfaceName(spec)};`);
    expect(map).not.toContain("Override");
  });

  it("declares a shared attribute group once, as an interface the elements that have it extend", () => {
    expect(source.split("export interface DimensionValues {").length - 1).toBe(1);
    expect(source.split("  D3V?: string;").length - 1).toBe(1);
    expect(source).toContain("export interface SingleRoleRuleAttributes extends DimensionValues, DimensionHierarchies {}");
    expect(source).toContain("export interface ResourceTypeAttributes extends DisplayNames, Descriptions, DimensionParameters, DimensionRequiredParameters {}");
  });

  it("types an enum by its stored names: a second spelling of a number is not one", () => {
    const state = /export interface AutomationRuleAttributes \{[^}]*WorkflowState: ([^;]*);/.exec(source)![1]!;
    expect(state).toContain(`"Found"`);
    expect(state).toContain(`"Calculated"`);
    expect(state).not.toContain(`"NonConforming"`);
    expect(state).not.toContain(`"PolicyApproved"`);
  });

  it("compiles under strict options, and types what it should", () => {
    const usage = `import type { ElementAttributesByKind, ExportTaskAttributes, ExportTaskOverrideAttributes, TaskAttributesByType, TaskType } from "./schema-types.js";
import { TASK_TYPES } from "./schema-types.js";
const types: readonly TaskType[] = TASK_TYPES;
const override: ExportTaskOverrideAttributes = { Identifier: "Export" };
const level = (task: TaskAttributesByType["ExportTask"]): number => task.Level;
// @ts-expect-error ContinueOnError is always present once defaults are applied
const missing: ExportTaskAttributes = { DisplayName_L1: "E", IgnoreCookieFile: false, InitMode: false, Level: -1, LogLevel: "None" };
// @ts-expect-error not a LogLevel
const wrong: ExportTaskOverrideAttributes = { Identifier: "E", LogLevel: "Verbose" };
const labelled: ElementAttributesByKind["ExportTask"] = { DisplayName_L1: "E", DisplayName_L2: "F", ContinueOnError: false, IgnoreCookieFile: false, InitMode: false, Level: -1, LogLevel: "None" };
// @ts-expect-error DisplayName_L1 is required on tasks
const unlabelled: ElementAttributesByKind["ExportTask"] = { ContinueOnError: false, IgnoreCookieFile: false, InitMode: false, Level: -1, LogLevel: "None" };
const agent = (item: ElementAttributesByKind["Agent"]): string | undefined => item.DisplayName_L16;
const criterion = (rule: ElementAttributesByKind["SingleRoleRule"]): [string | undefined, boolean | undefined, string] => [rule.D1V, rule.L0, rule.Role];
// @ts-expect-error D40 is past the 128 dimensions
const past = (rule: ElementAttributesByKind["SingleRoleRule"]): string | undefined => rule.D40;
export { types, override, level, missing, wrong, labelled, unlabelled, agent, criterion, past };
`;
    expect(typeCheck({ "schema-types.ts": source, "usage.ts": usage })).toEqual([]);
  });
});
