/**
 * The user-interface elements (DisplayEntityType, DisplayTable, Form, MenuItem, SearchBar, Tile…):
 * the vendor's examples validate and become typed items, wrong values and dangling references are
 * reported with a did-you-mean, controls nest (to a bound), and the elements go through deploy,
 * show and export unchanged on every backend.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildItems, NESTED_CHILDREN, type Item } from "../../src/config/items.js";
import { MAX_CHILD_DEPTH } from "../../src/config/read-configuration.js";
import { loadCatalog } from "../../src/config/schema/catalog.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { showItem } from "../../src/deploy/history.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { at, deployExportDeploy, expectSamplesValidAgainstXsd, fingerprint, folderWith, problemsWith, SAMPLES } from "../helpers/ui-workflows.js";

const UI_KINDS = new Set(["DisplayEntityAssociation", "DisplayEntityType", "DisplayPropertyGroup", "DisplayTable", "Form", "Indicator", "MenuItem",
  "ResourceViewEntityForm", "ResourceViewRecordEntityForm", "SearchBar", "Tile"]);

function samples(): Item[] {
  const result = validateFolder(SAMPLES);
  expect(result.problems).toEqual([]);
  return buildItems(result.configuration);
}

function item(items: Item[], kind: string, identifier?: string): Item {
  const found = items.find((i) => i.kind === kind && (identifier === undefined || i.identifier === identifier));
  expect(found, `${kind} ${identifier ?? ""}`).toBeDefined();
  return found!;
}

type Children = Record<string, Record<string, unknown>[]>;

describe("user interface: the vendor's examples", () => {
  it("validate without a problem, every UI kind an item", () => {
    const items = samples();
    expect(new Set(items.map((i) => i.kind).filter((k) => UI_KINDS.has(k)))).toEqual(UI_KINDS);
  });

  it("are valid against the generated XSD, nested controls and menu items included", () => {
    expectSamplesValidAgainstXsd(["UserInterface.xml", "WorkflowForms.xml"]);
  });

  it("type attributes, apply defaults, and read enums by name, number or any case", () => {
    const items = samples();
    const display = item(items, "DisplayEntityType", "Directory_User");
    expect(display.attributes).toMatchObject({ Color: "#79C3D2", Priority: 0, HideRoles: false, IsHierarchical: false, D0IsActive: true, DAIsActive: true, PluralDisplayName_L2: "Collaborateurs" });
    expect((display.children as Record<string, Record<string, unknown>>).Property!.Identifier).toEqual({ DisplayOrder: -1, InputType: "Auto", IsHidden: false, IsReadOnly: false, IsRequired: true, OutputType: "Auto" });
    expect(item(items, "DisplayEntityType", "Directory_Site").attributes.Priority).toBe(1);
    expect(item(items, "DisplayTable", "AD_Entry").attributes).toMatchObject({ DisplayTableDesignElement: "resourcetable", LinesPerPage: 15, IsEntityTypeDefault: true });
    const columns = (item(items, "DisplayTable", "Directory_Site").children as Children).Column!;
    expect(columns.map((c) => [c.DisplayBinding, c.ColumnSize, c.SearchOperator])).toEqual([["City", 2, "Auto"], ["DisplayName", 8, "Contain"]]);
    expect(item(items, "Indicator").attributes).toMatchObject({ ComparisonOperator: "GreaterThanOrEqual", Order: 0 });
    expect((item(items, "Indicator").children as Children).Item!.map((i) => i.Value)).toEqual(["75", "30"]);
    expect(item(items, "Tile", "Directory_UserRecord_Tile").attributes.TileDesignElement).toBe("picture-text");
    expect(item(items, "Form", "Directory_UserRecord_View").attributes).toMatchObject({ FormType: "Auto", RecordFilter: "CurrentAndFuture", WorkflowRequestType: "None" });
  });

  it("key identifier-less elements (SearchBar, Indicator) by their attributes, their children in document order", () => {
    const items = samples();
    const bar = item(items, "SearchBar");
    // Its attributes, sorted (modelIdentifier), and maybe a digest of its children: main keys an identifier-less element by them too.
    expect(bar.identifier).toMatch(/^EntityType=Directory_User;Menu=Menu_Search_Directory_User;SearchBarDesignElement=Inline(#[0-9a-f]+)?$/);
    expect((bar.children as Children).Criterion!.map((c) => [c.Binding1, c.Operator])).toEqual([
      ["MainRecord.EmployeeId", "Auto"], ["PhoneticFirstLastName", "FlexibleStartWith"], ["PresenceState", "Equal"], ["MainRecord.Site", "Auto"],
    ]);
  });

  it("store a form's controls inside their parent control, in document order", () => {
    const form = item(samples(), "Form", "Directory_UserRecord_View");
    const controls = (form.children as Children).Control!;
    expect(controls.map((c) => c.DisplayName_L1)).toEqual(["Personal Data", "Contract", "OrgChart"]);
    const personal = controls[0]![NESTED_CHILDREN] as Children;
    expect(personal.Control!.map((c) => c.DisplayName_L1 ?? c.Binding)).toEqual(["Full Name", "Mail"]);
    expect((personal.Control![0]![NESTED_CHILDREN] as Children).Control!.map((c) => c.Binding)).toEqual(["LastName", "FirstName"]);
    const view = item(samples(), "ResourceViewRecordEntityForm", "View_Directory_User");
    expect(Object.keys(view.children)).toEqual(["MainControl", "RecordControl", "RecordItemControl", "RecordUniqueItemControl"]);
  });

  it("keep nested menu items in order inside their parent; other elements name them, or a built-in place", () => {
    const items = samples();
    const menu = (item(items, "MenuItem", "Menu_Search_Directory_User").children as Children).MenuItem!;
    expect(menu.map((m) => m.Identifier)).toEqual(["Menu_Search_Directory_User_NewInternal", "Menu_Search_Directory_User_More"]);
    expect((menu[1]![NESTED_CHILDREN] as Children).MenuItem!.map((m) => m.Identifier)).toEqual(["Menu_Search_Directory_User_CreateFromHR"]);
    expect(item(items, "MenuItem", "Menu_Directory_User_Edit").attributes.ParentMenuItem).toBe("Menu_Search_Directory_User_More");
    expect(item(items, "MenuItem", "View_Directory_User").attributes.ParentMenuItem).toBe("Nav");
  });
});

describe("user interface: mistakes", () => {
  it("a wrong enum is invalid-value, with the values and a did-you-mean", () => {
    const body = [
      `  <DisplayTable Identifier="T" EntityType="Directory_Site" DisplayTableDesignElement="tabel"/>`,
      `  <SearchBar EntityType="Directory_User" SearchBarDesignElement="Inline"><Criterion Binding1="DisplayName" ColumnSize="2" InputType="Pickr"/></SearchBar>`,
    ].join("\n");
    const problems = problemsWith(body);
    expect(problems).toMatchObject([
      { code: "invalid-value", severity: "error", ...at(body, "DisplayTableDesignElement"), hint: "did you mean table?" },
      { code: "invalid-value", severity: "error", ...at(body, "InputType"), hint: "did you mean Picker?" },
    ]);
    expect(problems[0]!.message).toBe('DisplayTable DisplayTableDesignElement="tabel" is not valid: expected table (-1), list (-2), resourcetable (-3), adaptable (-4)');
  });

  it("a dangling reference is unresolved-reference, with a did-you-mean", () => {
    const body = [
      `  <DisplayPropertyGroup Identifier="General" DisplayName_L1="General"/>`,
      `  <DisplayTable Identifier="T" EntityType="Directory_Sites" DisplayTableDesignElement="table"/>`,
      `  <DisplayEntityType Identifier="Directory_User"><Property Identifier="DisplayNam" Group="Generl"/></DisplayEntityType>`,
      `  <Form Identifier="F" EntityType="Directory_User"><Control OutputType="TransformImport" EmbeddedForm="f"/></Form>`,
      `  <MenuItem Identifier="M" ParentMenuItem="Navv"/>`,
    ].join("\n");
    const problems = problemsWith(body);
    expect(problems).toMatchObject([
      { code: "unresolved-reference", severity: "error", ...at(body, "EntityType="), hint: "did you mean Directory_Site?" },
      { code: "unresolved-reference", severity: "error", ...at(body, `Identifier="DisplayNam"`), hint: "did you mean DisplayName?" },
      { code: "unresolved-reference", severity: "error", ...at(body, "Group="), hint: "did you mean General?" },
      { code: "unresolved-reference", severity: "error", ...at(body, "EmbeddedForm="), hint: "did you mean F?" },
      { code: "unresolved-reference", severity: "error", ...at(body, "ParentMenuItem="), hint: "did you mean Nav?" },
    ]);
    expect(problems[0]!.message).toBe('DisplayTable EntityType="Directory_Sites": no EntityType has this identifier');
    expect(problems[1]!.message).toBe('Property Identifier="DisplayNam": EntityType Directory_User has no Property DisplayNam');
  });

  it("a required attribute missing, and an embedded form outside a TransformImport control (a warning)", () => {
    const body = [
      `  <Tile Identifier="T" EntityType="Directory_User" TileDesignElement="picture-text"><Item LineNumber="1"/></Tile>`,
      `  <Form Identifier="F" EntityType="Directory_User"><Control EmbeddedForm="F"/></Form>`,
    ].join("\n");
    expect(problemsWith(body).map((p) => [p.code, p.severity, p.line, p.message])).toEqual([
      ["missing-attribute", "error", 3, "Tile requires the attribute DisplayName_L1"],
      ["missing-attribute", "error", 3, "Item requires the attribute Binding"],
      ["invalid-value", "warning", 4, 'Control EmbeddedForm="F" with OutputType="Inherited": the form is embedded only with OutputType="TransformImport"'],
    ]);
  });

  it("a reference to an element idm-toolkit does not model, or that a stored scaffolding is documented to generate, resolves; another a non-expanded scaffolding may generate is a warning", () => {
    const body = [
      `  <ReportQuery Identifier="Users_Report" DisplayName_L1="Users"/>`,
      `  <MenuItem Identifier="Report_Users" ParentMenuItem="Reports" ReportQuery="Users_Report"/>`,
      `  <WorkflowEntityTypeDisplayTable EntityType="Directory_Guest"/>`,
      `  <Form Identifier="F" EntityType="Directory_User" RecordTable="Workflow_Directory_Guest"/>`,
      `  <EntityTypeMenuItem EntityType="Directory_Site"/>`,
      `  <MenuItem Identifier="Site_Report" ParentMenuItem="Nav_Directory_Site"/>`,
    ].join("\n");
    const problems = problemsWith(body).filter((p) => p.code === "unresolved-reference");
    // EntityTypeMenuItem's menu items are not named by the reference: one that contains its argument may be one.
    expect(problems).toEqual([{
      code: "unresolved-reference", severity: "warning", ...at(body, "ParentMenuItem=", 1),
      message: 'MenuItem ParentMenuItem="Nav_Directory_Site": no MenuItem has this identifier; the EntityTypeMenuItem at b.xml:7:3 may generate it, and idm-toolkit does not expand that scaffolding',
    }]);
  });
});

describe("user interface: controls nest", () => {
  const nested = (depth: number): string => {
    let control = `<Control Binding="DisplayName"/>`;
    for (let i = 1; i < depth; i++) control = `<Control OutputType="LayoutFieldset">${control}</Control>`;
    return `  <Form Identifier="Deep" EntityType="Directory_User">${control}</Form>`;
  };
  const depthOf = (children: Children): number => {
    const control = children.Control?.[0];
    return control === undefined ? 0 : 1 + depthOf((control[NESTED_CHILDREN] ?? {}) as Children);
  };

  it("a control's own kind is found up its ancestors: Form/Control in Form/Control, WorkflowEditEntityForm/Control in a MainControl", () => {
    const catalog = loadCatalog();
    const control = catalog.child(catalog.get("Form")!, "Control")!;
    expect(catalog.child(control, "Control")).toBe(control);
    const main = catalog.child(catalog.get("WorkflowEditEntityForm")!, "MainControl")!;
    expect(catalog.child(main, "Control")!.key).toBe("WorkflowEditEntityForm/Control");
    expect(catalog.child(catalog.get("WorkflowEditEntityForm")!, "Control")).toBeUndefined();
  });

  it(`down to ${MAX_CHILD_DEPTH} levels, each stored inside its parent; deeper ones are file-too-large and not read`, () => {
    const fits = validateFolder(folderWith(nested(MAX_CHILD_DEPTH)));
    expect(fits.problems).toEqual([]);
    expect(depthOf(item(buildItems(fits.configuration), "Form", "Deep").children as Children)).toBe(MAX_CHILD_DEPTH);
    const deep = validateFolder(folderWith(nested(MAX_CHILD_DEPTH + 3)));
    expect(deep.problems).toMatchObject([{ code: "file-too-large", severity: "error", file: "b.xml", line: 3 }]);
    expect(deep.problems[0]!.message).toBe(`Control is nested more than ${MAX_CHILD_DEPTH} levels below its top-level element: it and its siblings are not read`);
    expect(depthOf(item(buildItems(deep.configuration), "Form", "Deep").children as Children)).toBe(MAX_CHILD_DEPTH);
  });
});

describe.each(BACKENDS)("user interface deployed on %s", (_name, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("deploys, shows and exports every UI element; deploying the export changes nothing", async () => {
    const store = await db.open();
    const { before, after, files } = await deployExportDeploy(store);
    expect(fingerprint(after, UI_KINDS)).toEqual(fingerprint(before, UI_KINDS));
    expect(fingerprint(before, UI_KINDS)).toHaveLength(before.filter((i) => UI_KINDS.has(i.kind)).length);
    const shown = await showItem(store, "Form", "Directory_UserRecord_View");
    expect(shown!.item.children).toEqual(item(before, "Form", "Directory_UserRecord_View").children);
    const ui = files.get("UserInterface.xml")!;
    expect(ui).toContain(`<MenuItem Identifier="Menu_Search_Directory_User_More" DisplayName_L1="More" IsExpandedByDefault="false">`);
    expect(ui).toContain(`<DisplayTable Identifier="AD_Entry" DisplayTableDesignElement="resourcetable" EntityType="AD_Entry" IsEntityTypeDefault="true">`);
  });
});
