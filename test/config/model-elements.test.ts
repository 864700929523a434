import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../src/config/problems.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { buildItems } from "../../src/config/items.js";
import { diffFields } from "../../src/deploy/plan.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";

const DEMO = fileURLToPath(new URL("../../conf-samples/demo", import.meta.url));

/** A small synchronized model: connector HR (CSV connection HRPeople), entity types, mappings, an association. */
const SYNC_MODEL = [
  `  <Agent Identifier="Local" DisplayName_L1="Local agent"/>`,
  `  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local"/>`,
  `  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local"/>`,
  `  <Connection Identifier="HRPeople" DisplayName_L1="People" Connector="HR" Package="Usercube.CSV@0000001"/>`,
  `  <Connection Identifier="ADExport" DisplayName_L1="AD" Connector="AD" Package="Usercube.AD@0000001"/>`,
  `  <ConnectionTable Identifier="HRDepartments" Connection="HRPeople"><Column Identifier="code" KeyType="Primary"/></ConnectionTable>`,
  `  <EntityType Identifier="HR_Person">`,
  `    <Property Identifier="EmployeeId" IsKey="true" TargetColumnIndex="4"/>`,
  `    <Property Identifier="Email" TargetColumnIndex="5"/>`,
  `    <Property Identifier="Manager" Type="ForeignKey" TargetColumnIndex="128"/>`,
  `    <Property Identifier="Reports" Type="ForeignKey"/>`,
  `  </EntityType>`,
  `  <EntityType Identifier="AD_Entry">`,
  `    <Property Identifier="dn" IsKey="true" TargetColumnIndex="0"/>`,
  `    <Property Identifier="member" Type="ForeignKey"/>`,
  `    <Property Identifier="memberOf" Type="ForeignKey"/>`,
  `  </EntityType>`,
  `  <EntityTypeMapping Identifier="HR_Person" Connector="HR" ConnectionTable="HRPeople">`,
  `    <Property Identifier="EmployeeId" ConnectionColumn="id" IsPrimaryKey="true"/>`,
  `    <Property Identifier="Email" ConnectionColumn="mail" IsUniqueKey="true"/>`,
  `  </EntityTypeMapping>`,
  `  <EntityTypeMapping Identifier="AD_Entry" Connector="AD" ConnectionTable="ADExport_entries">`,
  `    <Property Identifier="dn" ConnectionColumn="dn" IsPrimaryKey="true"/>`,
  `  </EntityTypeMapping>`,
  `  <EntityAssociation Identifier="HR_Person_Manager" Property1="HR_Person:Reports" IsProperty1Collection="true" Property2="HR_Person:Manager"/>`,
  `  <EntityAssociationMapping Identifier="HR_Person_Manager" Connector="HR" ConnectionTable="HRPeople" Column1="manager" Column2="id"`,
  `    EntityPropertyMapping1="HR_Person:EmployeeId" EntityPropertyMapping2="HR_Person:EmployeeId"/>`,
].join("\n");

/** The problems of the model plus `body` (which starts on line 3 of its own file, b.xml). */
function problemsOf(body: string, model = SYNC_MODEL): Problem[] {
  const dir = writeFolder({ "a.xml": configFile(model), "b.xml": configFile(body) });
  return validateFolder(dir).problems;
}

/** Line and column of the first `text` of `body` (as problemsOf writes it, from line 3). */
function at(body: string, text: string, nth = 0): { line: number; column: number } {
  const lines = body.split("\n");
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    const column = lines[i]!.indexOf(text);
    if (column !== -1 && seen++ === nth) return { line: i + 3, column: column + 1 };
  }
  throw new Error(`${text} is not in the body`);
}

describe("model elements: the demo", () => {
  it("validates every kind of model element, complete, without a problem", () => {
    const { problems, configuration } = validateFolder(DEMO);
    expect(problems).toEqual([]);
    const kinds = new Set(configuration.models.map((m) => m.spec.name));
    for (const kind of ["Agent", "Connector", "Connection", "ConnectionTable", "EntityType", "EntityAssociation", "EntityTypeMapping", "EntityAssociationMapping", "DisplayEntityType"]) {
      expect(kinds, kind).toContain(kind);
    }
    const packages = new Set(configuration.models.filter((m) => m.spec.name === "Connection").map((m) => m.attributes.Package));
    expect(packages).toEqual(new Set(["Usercube.CSV@0000001", "Usercube.SQL@0000001"]));
  });

  it("the synchronized test model has no problem", () => {
    expect(problemsOf("")).toEqual([]);
  });
});

describe("model elements: attributes typed, required, unknown", () => {
  it("types thresholds, enums, booleans and numbers, and applies the reference's defaults", () => {
    const dir = writeFolder({ "a.xml": configFile(SYNC_MODEL) });
    const models = validateFolder(dir).configuration.models;
    const hr = models.find((m) => m.spec.name === "Connector" && m.attributes.Identifier === "HR")!;
    expect(hr.attributes).toMatchObject({ MaximumDeletedLines: 100, MaxPercentageDeletedLines: 5, MaximumLinkInsertedLines: 1000, MaxLinkPercentageDeletedLines: 5, CompleteJob: "Used", IsDeactivated: false });
    const person = models.find((m) => m.spec.name === "EntityType" && m.attributes.Identifier === "HR_Person")!;
    expect(person.children[3]!.attributes).toMatchObject({ Identifier: "Reports", Type: "ForeignKey", TargetColumnIndex: -1, IsKey: false, HistoryPrecision: 0 });
    const mapping = models.find((m) => m.spec.name === "EntityTypeMapping")!;
    expect(mapping.attributes).toMatchObject({ MaximumDeletedLines: 0, MaxPercentageUpdatedLines: 0 });
    expect(mapping.children[1]!.attributes).toMatchObject({ IsPrimaryKey: false, IsUniqueKey: true });
  });

  it("invalid-value for enums (with did-you-mean), integers, numbers and patterns", () => {
    const body = [
      `  <Agent Identifier="Remote" DisplayName_L1="R" State="Up"/>`,
      `  <Connector Identifier="X" DisplayName_L1="X" MaximumDeletedLines="many" IncrementalJob="notused"/>`,
      `  <Connection Identifier="X_1" DisplayName_L1="X" Connector="X" Package="Usercube.CSV@000001">`,
      `    <Transformation Type="WhereValue" Table="X_1_t" WhereOperator="CotContains" AddedDays="1,5"/>`,
      `  </Connection>`,
      `  <EntityType Identifier="2Persons"><Property Identifier="Code" IsKey="1" TargetColumnIndex="153"/></EntityType>`,
    ].join("\n");
    const problems = problemsOf(body);
    expect(problems).toMatchObject([
      { code: "invalid-value", ...at(body, `State=`) },
      { code: "invalid-value", ...at(body, `MaximumDeletedLines=`) },
      { code: "invalid-value", ...at(body, `Identifier="X_1"`) },
      { code: "invalid-value", ...at(body, `Package=`), hint: "did you mean Usercube.CSV@0000001?" },
      { code: "invalid-value", ...at(body, `WhereOperator=`), hint: "did you mean NotContains?" },
      { code: "invalid-value", ...at(body, `AddedDays=`) },
      { code: "invalid-value", ...at(body, `Identifier="2Persons"`) },
      { code: "invalid-value", ...at(body, `TargetColumnIndex=`) },
    ]);
    expect(problems[0]!.message).toBe('Agent State="Up" is not valid: expected Unknown (0), Online (1), Offline (2)');
    expect(problems[2]!.message).toContain("expected a letter, then letters, digits, dots or dashes");
    expect(problems[5]!.message).toContain("expected a number");
    expect(problems[6]!.message).toContain("expected letters (without accents), digits and _, not starting with a digit");
  });

  it("accepts enums by name in any case or by number, and booleans as 1/0", () => {
    const body = `  <Connector Identifier="X" DisplayName_L1="X" CompleteJob="2" IncrementalJob="notused" IsDeactivated="1"/>`;
    expect(problemsOf(body)).toEqual([]);
  });

  it("missing-attribute for the required attributes of each element", () => {
    const body = [
      `  <Connection Identifier="C" DisplayName_L1="C"/>`,
      `  <ConnectionTable Identifier="T"/>`,
      `  <EntityAssociation Identifier="A" Property1="HR_Person:Reports"/>`,
      `  <EntityAssociationMapping Identifier="A"/>`,
    ].join("\n");
    const problems = problemsOf(body).filter((p) => p.code === "missing-attribute");
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [3, "Connection requires the attribute Connector"],
      [3, "Connection requires the attribute Package"],
      [4, "ConnectionTable requires the attribute Connection"],
      [5, "EntityAssociation requires the attribute Property2"],
      [6, "EntityAssociationMapping requires the attribute Connector"],
      [6, "EntityAssociationMapping requires the attribute Column1"],
      [6, "EntityAssociationMapping requires the attribute Column2"],
      [6, "EntityAssociationMapping requires the attribute EntityPropertyMapping1"],
      [6, "EntityAssociationMapping requires the attribute EntityPropertyMapping2"],
    ]);
  });

  it("unknown-attribute, with the right name for the thresholds page's MaximumLink… spelling", () => {
    const body = [
      `  <EntityType Identifier="T"><Property Identifier="Code" IsKey="true" IsPrimaryKey="true"/></EntityType>`,
      `  <EntityAssociationMapping Identifier="HR_Person_Manager" Connector="HR" Column1="a" Column2="b" MaximumLinkDeletedLines="50"`,
      `    EntityPropertyMapping1="HR_Person:EmployeeId" EntityPropertyMapping2="HR_Person:EmployeeId"/>`,
    ].join("\n");
    const problems = problemsOf(body, SYNC_MODEL.replace(/  <EntityAssociationMapping[^]*$/, ""));
    expect(problems).toMatchObject([
      { code: "unknown-attribute", ...at(body, "IsPrimaryKey") },
      { code: "unknown-attribute", ...at(body, "MaximumLinkDeletedLines"), hint: 'write MaximumDeletedLines="50" (EntityAssociationMapping has no MaximumLinkDeletedLines attribute)' },
    ]);
  });

  it("unknown-element for a child the element does not have, naming the ones it has", () => {
    const body = `  <EntityType Identifier="T">\n    <Column Identifier="c"/>\n    <Propety Identifier="c"/>\n  </EntityType>\n  <Agent Identifier="A" DisplayName_L1="A"><Property Identifier="x"/></Agent>`;
    expect(problemsOf(body).map((p) => [p.code, p.line, p.column, p.message, p.hint])).toEqual([
      ["unknown-element", 4, 5, "Column is not allowed in EntityType", "EntityType accepts only Property"],
      ["unknown-element", 5, 5, "unknown element Propety", "did you mean Property?"],
      ["unknown-element", 7, 44, "Property is not allowed in Agent", "Agent has no child elements"],
    ]);
  });
});

describe("model elements: identifiers", () => {
  it("duplicate-identifier for two properties of one entity type, and for Connection identifiers that differ only in case", () => {
    const body = [
      `  <EntityType Identifier="T">`,
      `    <Property Identifier="Code" IsKey="true"/>`,
      `    <Property Identifier="Code" Type="Int32"/>`,
      `  </EntityType>`,
      `  <Connection Identifier="hrpeople" DisplayName_L1="C" Connector="HR" Package="Usercube.CSV@0000001"/>`,
    ].join("\n");
    const problems = problemsOf(body);
    expect(problems).toMatchObject([
      { code: "duplicate-identifier", line: 5, column: 5 },
      { code: "duplicate-identifier", line: 7, column: 3 },
    ]);
    expect(problems[0]).toMatchObject({ message: 'EntityType "T" already has a Property "Code", at b.xml:4:5', related: [{ file: "b.xml", line: 4, column: 5 }] });
    expect(problems[1]!.message).toBe('Connection identifier "hrpeople" is already used, in another case, by "HRPeople" at a.xml:6:3 (Connection identifiers ignore case)');
  });

  it("invalid-value for a reserved identifier, in any case", () => {
    const body = `  <EntityType Identifier="Class">\n    <Property Identifier="ID" IsKey="true"/>\n  </EntityType>`;
    const problems = problemsOf(body);
    expect(problems).toMatchObject([
      { code: "invalid-value", ...at(body, `Identifier="Class"`) },
      { code: "invalid-value", ...at(body, `Identifier="ID"`) },
    ]);
    expect(problems[1]!.message).toBe('Property Identifier="ID" is not valid: ID is a reserved identifier');
  });
});

describe("model elements: entity types", () => {
  it("missing-attribute for an entity type with properties but no key; one without properties is a declaration", () => {
    const body = `  <EntityType Identifier="T">\n    <Property Identifier="Name"/>\n  </EntityType>\n  <EntityType Identifier="Declared"/>`;
    expect(only(problemsOf(body))).toMatchObject({ code: "missing-attribute", line: 3, column: 3, message: 'EntityType "T" has no key: none of its properties has IsKey="true"' });
  });

  it("duplicate-identifier for a storage column used twice; invalid-value for a scalar in the navigation columns or a stored Binary", () => {
    const body = [
      `  <EntityType Identifier="T">`,
      `    <Property Identifier="Code" IsKey="true" TargetColumnIndex="4"/>`,
      `    <Property Identifier="Name" TargetColumnIndex="4"/>`,
      `    <Property Identifier="Label" TargetColumnIndex="130"/>`,
      `    <Property Identifier="Photo" Type="Binary" TargetColumnIndex="6"/>`,
      `    <Property Identifier="Parent" Type="ForeignKey" TargetColumnIndex="131"/>`,
      `    <Property Identifier="Legacy" Type="Int64" TargetColumnIndex="132"/>`,
      `    <Property Identifier="Name_fr" NeutralProperty="Nme"/>`,
      `  </EntityType>`,
    ].join("\n");
    const problems = problemsOf(body);
    expect(problems).toMatchObject([
      { code: "duplicate-identifier", ...at(body, "TargetColumnIndex", 1) },
      { code: "invalid-value", ...at(body, "TargetColumnIndex", 2) },
      { code: "invalid-value", ...at(body, "TargetColumnIndex", 3) },
      { code: "unresolved-reference", ...at(body, "NeutralProperty"), hint: "did you mean Name?" },
    ]);
    expect(problems[0]!.message).toBe('EntityType "T": TargetColumnIndex 4 of property Name is already used by property Code at b.xml:4:5');
    expect(problems[1]!.message).toBe('Property TargetColumnIndex="130" is not valid: 128-152 hold mono-valued navigation properties, and T:Label is a String');
  });
});

describe("model elements: associations", () => {
  it("Property1 and Property2 name EntityType:Property pairs, with a did-you-mean on each half", () => {
    const body = [
      `  <EntityAssociation Identifier="A1" Property1="HR_Person" Property2="HR_Persn:Manager"/>`,
      `  <EntityAssociation Identifier="A2" Property1="HR_Person:Reprts" Property2="Nobody:Manager"/>`,
    ].join("\n");
    const problems = problemsOf(body);
    expect(problems).toMatchObject([
      { code: "invalid-value", ...at(body, "Property1") },
      { code: "unresolved-reference", ...at(body, "Property2"), hint: "did you mean HR_Person:Manager?" },
      { code: "unresolved-reference", ...at(body, "Property1", 1), hint: "did you mean HR_Person:Reports?" },
      { code: "unresolved-reference", ...at(body, "Property2", 1) },
    ]);
    expect(problems[0]!.message).toBe('EntityAssociation Property1="HR_Person" is not valid: expected EntityType:Property, e.g. HR_Person:Manager');
    expect(problems[1]!.message).toBe('EntityAssociation Property2="HR_Persn:Manager": no EntityType has the identifier HR_Persn');
    expect(problems[2]!.message).toBe('EntityAssociation Property1="HR_Person:Reprts": EntityType HR_Person has no Property Reprts');
  });

  it("an end is a navigation property, of one association only, and a collection end is not stored in a column", () => {
    const body = [
      `  <EntityAssociation Identifier="A1" Property1="HR_Person:Email" Property2="HR_Person:Manager"/>`,
      `  <EntityAssociation Identifier="A2" Property1="AD_Entry:memberOf" IsProperty1Collection="true" Property2="AD_Entry:member" IsProperty2Collection="1"/>`,
      `  <EntityAssociation Identifier="A3" Property1="AD_Entry:member" Property2="HR_Person:Manager" IsProperty2Collection="true"/>`,
    ].join("\n");
    const problems = problemsOf(body);
    expect(problems).toMatchObject([
      { code: "invalid-value", ...at(body, "Property1") },
      { code: "duplicate-identifier", ...at(body, "Property2") },
      { code: "duplicate-identifier", ...at(body, "Property1", 2) },
      { code: "duplicate-identifier", ...at(body, "Property2", 2) },
      { code: "invalid-value", ...at(body, "IsProperty2Collection", 1) },
    ]);
    expect(problems[0]!.message).toBe('EntityAssociation Property1="HR_Person:Email" is not valid: Email is a String property; an association links navigation properties');
    expect(problems[1]!.message).toBe('EntityAssociation Property2="HR_Person:Manager": HR_Person:Manager is already an end of EntityAssociation "HR_Person_Manager" at a.xml:27:112');
    expect(problems[4]!.message).toContain("HR_Person:Manager has TargetColumnIndex 128");
  });
});

describe("model elements: entity type mappings", () => {
  const model = SYNC_MODEL.replace(/  <EntityTypeMapping[^]*$/, "");

  it("names an entity type and its properties, with did-you-mean", () => {
    const body = [
      `  <EntityTypeMapping Identifier="HR_Persons" Connector="HR"/>`,
      `  <EntityTypeMapping Identifier="HR_Person" Connector="HR">`,
      `    <Property Identifier="EmployeeId" IsPrimaryKey="true"/>`,
      `    <Property Identifier="Mail" ConnectionColumn="mail"/>`,
      `    <Property Identifier="Mail" ConnectionColumn="mail2"/>`,
      `  </EntityTypeMapping>`,
    ].join("\n");
    const problems = problemsOf(body, model);
    // A repeated mapping property is accepted (the first is kept): one warning, its later copy left unchecked.
    expect(problems).toMatchObject([
      { code: "missing-attribute", severity: "warning", line: 3, column: 3 },
      { code: "unresolved-reference", severity: "error", ...at(body, "Identifier"), hint: "did you mean HR_Person?" },
      { code: "unresolved-reference", severity: "error", ...at(body, `Identifier="Mail"`), hint: "did you mean Email?" },
      { code: "duplicate-identifier", severity: "warning", line: 7, column: 5, related: [{ line: 6, column: 5 }] },
    ]);
    expect(problems).toHaveLength(4);
    expect(problems[0]!.message).toBe('EntityTypeMapping "HR_Persons" maps no property: synchronization leaves it out (a type provisioned by hand needs none)');
    expect(problems[2]!.message).toBe('Property Identifier="Mail": EntityType HR_Person has no Property Mail');
    expect(problems[3]!.message).toBe('EntityTypeMapping "HR_Person" already has a Property "Mail", at b.xml:6:5; this one is ignored (the first is kept)');
  });

  it("keeps the first of a repeated mapping property: its keys are checked once, and the item holds the first", () => {
    const body = [
      `  <EntityTypeMapping Identifier="HR_Person" Connector="HR" ConnectionTable="HRPeople">`,
      `    <Property Identifier="EmployeeId" ConnectionColumn="id" IsPrimaryKey="true"/>`,
      `    <Property Identifier="Email" ConnectionColumn="mail"/>`,
      `    <Property Identifier="EmployeeId" ConnectionColumn="id2" IsPrimaryKey="true"/>`,
      `  </EntityTypeMapping>`,
    ].join("\n");
    const dir = writeFolder({ "a.xml": configFile(model), "b.xml": configFile(body) });
    const result = validateFolder(dir);
    expect(result.problems).toMatchObject([{ code: "duplicate-identifier", severity: "warning", line: 6, column: 5 }]);
    const item = buildItems(result.configuration).find((i) => i.kind === "EntityTypeMapping" && i.identifier === "HR_Person")!;
    expect((item.children as Record<string, Record<string, Record<string, unknown>>>).Property!.EmployeeId).toMatchObject({ ConnectionColumn: "id" });
  });

  it("has exactly one primary key and at most three unique keys besides it", () => {
    const type = `  <EntityType Identifier="T">\n${["A", "B", "C", "D", "E", "F"].map((p) => `    <Property Identifier="${p}" IsKey="true"/>`).join("\n")}\n  </EntityType>\n`;
    const body = [
      `  <EntityTypeMapping Identifier="T" Connector="HR">`,
      `    <Property Identifier="A" IsPrimaryKey="true" IsUniqueKey="true"/>`,
      `    <Property Identifier="B" IsPrimaryKey="true"/>`,
      `    <Property Identifier="C" IsUniqueKey="true"/>`,
      `    <Property Identifier="D" IsUniqueKey="true"/>`,
      `    <Property Identifier="E" IsUniqueKey="true"/>`,
      `    <Property Identifier="F" IsUniqueKey="true"/>`,
      `  </EntityTypeMapping>`,
    ].join("\n");
    const problems = problemsOf(body, model + "\n" + type);
    expect(problems).toMatchObject([
      { code: "invalid-value", ...at(body, "IsPrimaryKey", 1) },
      { code: "invalid-value", ...at(body, "IsUniqueKey", 4) },
    ]);
    expect(problems[0]).toMatchObject({ message: 'Property IsPrimaryKey="true" is not valid: EntityTypeMapping "T" already has its primary key A at b.xml:4:5', related: [{ line: 4, column: 5 }] });
    expect(problems[1]!.message).toBe('Property IsUniqueKey="true" is not valid: EntityTypeMapping "T" already has 3 unique keys besides its primary key (C, D, E)');
  });

  it("takes the product's directory formats: RDN, Guid, SID, Binary, Bit:<attribute>:<bit>, Concat:<separator>...", () => {
    const names = ["A", "B", "C", "D", "E", "F", "G"];
    const type = `  <EntityType Identifier="T">\n${names.map((p) => `    <Property Identifier="${p}" IsKey="true"/>`).join("\n")}\n  </EntityType>\n`;
    const formats = ["rdn", "guid", "SID", "binary", "bit:userAccountControl:2", "concat:;", "DateTime"];
    const body = [
      `  <EntityTypeMapping Identifier="T" Connector="HR">`,
      ...names.map((p, i) => `    <Property Identifier="${p}"${i === 0 ? ` IsPrimaryKey="true"` : ""} Format="${formats[i]}"/>`),
      `  </EntityTypeMapping>`,
    ].join("\n");
    expect(problemsOf(body, model + "\n" + type).filter((p) => p.severity === "error")).toEqual([]);
    const wrong = body.replace(`Identifier="B" Format="guid"`, `Identifier="B" Format="bit:userAccountControl"`);
    const problems = problemsOf(wrong, model + "\n" + type).filter((p) => p.severity === "error");
    expect(problems).toMatchObject([{ code: "invalid-value", ...at(wrong, "Format", 1) }]);
    expect(problems[0]!.message).toBe('Property Format="bit:userAccountControl" is not valid: a bit format is Bit:<attribute>:<bit>, such as bit:userAccountControl:2');
  });

  it("takes a Format it can convert: 1601date or a date pattern", () => {
    const type = `  <EntityType Identifier="T">\n${["A", "B", "C"].map((p) => `    <Property Identifier="${p}" IsKey="true"/>`).join("\n")}\n  </EntityType>\n`;
    const body = [
      `  <EntityTypeMapping Identifier="T" Connector="HR">`,
      `    <Property Identifier="A" IsPrimaryKey="true" Format="1601date"/>`,
      `    <Property Identifier="B" Format="dd/MM/yyyy"/>`,
      `    <Property Identifier="C" Format="HH:mm"/>`,
      `  </EntityTypeMapping>`,
    ].join("\n");
    const problems = problemsOf(body, model + "\n" + type);
    expect(problems).toMatchObject([{ code: "invalid-value", ...at(body, "Format", 2) }]);
    expect(problems[0]!.message).toBe('Property Format="HH:mm" is not valid: date format "HH:mm" needs yyyy, MM and dd');
  });

  it("reads from a table of a connection of its connector: the connection, <Connection>_<dataset>, or a declared ConnectionTable", () => {
    const mapping = (table: string, connector = "HR") =>
      `  <EntityTypeMapping Identifier="HR_Person" Connector="${connector}" ConnectionTable="${table}"><Property Identifier="EmployeeId" IsPrimaryKey="true"/></EntityTypeMapping>`;
    for (const table of ["HRPeople", "HRPeople_main", "HRDepartments"]) expect(problemsOf(mapping(table), model), table).toEqual([]);
    const cases: [string, string, string | undefined][] = [
      ["HRPeple", 'no Connection of Connector "HR" (HRPeople) has this table', "did you mean HRPeople?"],
      ["HRPeple_main", 'no Connection of Connector "HR" (HRPeople) has this table', "did you mean HRPeople_main?"],
      ["ADExport_entries", 'no Connection of Connector "HR" (HRPeople) has this table; it belongs to Connector "AD"', undefined],
    ];
    for (const [table, message, hint] of cases) {
      const problem = only(problemsOf(mapping(table), model));
      expect(problem).toMatchObject({ code: "unresolved-reference", line: 3, column: mapping(table).indexOf("ConnectionTable") + 1, message: `EntityTypeMapping ConnectionTable="${table}": ${message}` });
      if (hint) expect(problem.hint).toBe(hint);
    }
    const lonely = `  <Connector Identifier="Lonely" DisplayName_L1="L"/>\n` + mapping("x", "Lonely").replace('"HR_Person"', '"AD_Entry"').replace("EmployeeId", "dn");
    expect(only(problemsOf(lonely, model))).toMatchObject({ code: "unresolved-reference", line: 4, message: 'EntityTypeMapping ConnectionTable="x": Connector "Lonely" has no Connection, so no table' });
  });
});

describe("model elements: entity association mappings", () => {
  const model = SYNC_MODEL.replace(/  <EntityAssociationMapping[^]*$/, "");
  const associationMapping = (one: string, two: string, connector = "HR") =>
    `  <EntityAssociationMapping Identifier="HR_Person_Manager" Connector="${connector}" ConnectionTable="HRPeople" Column1="m" Column2="id" EntityPropertyMapping1="${one}" EntityPropertyMapping2="${two}"/>`;

  it("names keys of entity type mappings, with did-you-mean", () => {
    const body = associationMapping("HR_Persn:EmployeeId", "HR_Person:EmployeId");
    expect(problemsOf(body, model)).toMatchObject([
      { code: "unresolved-reference", ...at(body, "EntityPropertyMapping1"), hint: "did you mean HR_Person:EmployeeId?" },
      { code: "unresolved-reference", ...at(body, "EntityPropertyMapping2"), hint: "did you mean HR_Person:EmployeeId?" },
    ]);
    const notKey = `  <EntityType Identifier="X"><Property Identifier="K" IsKey="true"/><Property Identifier="Name"/></EntityType>`;
    expect(problemsOf(associationMapping("HR_Person:Email", "HR_Person:EmployeeId"), model)).toEqual([]);
    const mappingWithName = model.replace(`IsUniqueKey="true"/>`, `/>`);
    const p = only(problemsOf(associationMapping("HR_Person:Email", "HR_Person:EmployeeId") + "\n" + notKey, mappingWithName));
    expect(p).toMatchObject({ code: "invalid-value", line: 3, message: 'EntityAssociationMapping EntityPropertyMapping1="HR_Person:Email" is not valid: Email is neither the primary key nor a unique key of EntityTypeMapping HR_Person' });
  });

  it("maps both sides through its own connector (another's is a warning), side 1 being the entity type of the association's Property1", () => {
    const association = `  <EntityAssociation Identifier="AD_HR" Property1="AD_Entry:memberOf" IsProperty1Collection="true" Property2="HR_Person:Reports"/>`;
    const body = association + "\n" + associationMapping("HR_Person:EmployeeId", "AD_Entry:dn").replace("HR_Person_Manager", "AD_HR");
    const problems = problemsOf(body, model.replace(`Property1="HR_Person:Reports" IsProperty1Collection="true" `, `Property1="HR_Person:Reports" `).replace(/  <EntityAssociation [^\n]*\n?/, ""));
    expect(problems).toMatchObject([
      { code: "invalid-value", ...at(body, "EntityPropertyMapping1"), hint: "swap EntityPropertyMapping1 and EntityPropertyMapping2, and Column1 and Column2" },
      { code: "invalid-value", ...at(body, "EntityPropertyMapping2"), hint: "swap EntityPropertyMapping1 and EntityPropertyMapping2, and Column1 and Column2" },
      { code: "unresolved-reference", ...at(body, "EntityPropertyMapping2") },
    ]);
    // Accepted with a warning: the product deploys an end mapped by another connector.
    expect(problems.find((p) => p.code === "unresolved-reference")).toMatchObject({ severity: "warning",
      message: 'EntityAssociationMapping EntityPropertyMapping2="AD_Entry:dn": EntityTypeMapping AD_Entry belongs to Connector "AD", not "HR"' });
  });

  it("names an entity association, and a table of its connector", () => {
    const body = associationMapping("HR_Person:EmployeeId", "HR_Person:EmployeeId").replace('Identifier="HR_Person_Manager"', 'Identifier="HR_Person_Managers"').replace('"HRPeople"', '"HRPeople2"');
    expect(problemsOf(body, model)).toMatchObject([
      { code: "unresolved-reference", ...at(body, "Identifier"), hint: "did you mean HR_Person_Manager?" },
      { code: "unresolved-reference", ...at(body, "ConnectionTable"), hint: "did you mean HRPeople?" },
    ]);
  });
});

describe("model elements: connections", () => {
  it("a Transformation works on a table of its own connection", () => {
    const body = [
      `  <Connection Identifier="Dir" DisplayName_L1="D" Connector="HR" Package="usercube.excel@0000001">`,
      `    <Transformation Type="TransformDate" Table="Dir_UserRecord" Column="EndDate" AddedDays="1" MinYear="1900" MaxYear="2100"/>`,
      `    <Transformation Type="WhereValue" Table="Directory_Site" Column="Identifier" WhereOperator="StartsWith" WhereValue="DE_"/>`,
      `  </Connection>`,
    ].join("\n");
    const problems = problemsOf(body);
    expect(problems).toMatchObject([{ code: "invalid-value", ...at(body, `Table="Directory_Site"`) }]);
    expect(problems[0]!.message).toBe('Transformation Table="Directory_Site" is not valid: expected Dir_<dataset> or Dir, a table of Connection Dir (case-sensitive)');
  });
});

describe("model elements: deployed items", () => {
  function itemOf(body: string, kind: string, identifier: string) {
    const result = validateFolder(writeFolder({ "a.xml": configFile(body) }));
    expect(result.problems).toEqual([]);
    return buildItems(result.configuration).find((i) => i.kind === kind && i.identifier === identifier)!;
  }
  const type = (properties: string[]) => `  <EntityType Identifier="T" DisplayName_L1="T">\n${properties.map((p) => `    ${p}`).join("\n")}\n  </EntityType>`;
  const code = `<Property Identifier="Code" IsKey="true" TargetColumnIndex="4"/>`;
  const name = `<Property Identifier="Name" DisplayName_L1="Name" TargetColumnIndex="5"/>`;

  it("keep an element's children, typed and with defaults, keyed by identifier", () => {
    expect(itemOf(type([name, code]), "EntityType", "T").children).toEqual({
      Property: {
        Code: { HistoryPrecision: 0, IsKey: true, TargetColumnIndex: 4, Type: "String" },
        Name: { DisplayName_L1: "Name", HistoryPrecision: 0, IsKey: false, TargetColumnIndex: 5, Type: "String" },
      },
    });
    const connection = `  <Connector Identifier="C" DisplayName_L1="C"/>\n  <Connection Identifier="X" DisplayName_L1="X" Connector="C" Package="Usercube.Excel@0000001">
    <Transformation Type="WhereValue" Table="X_b" Column="c"/>
    <Transformation Type="ConcatColumns" Table="X_a" Column="full" InputColumn="a" InputColumn2="b" RemoveEmpty="true"/>
  </Connection>`;
    expect(itemOf(connection, "Connection", "X").children).toEqual({
      Transformation: [
        { Column: "c", Table: "X_b", Type: "WhereValue" },
        { Column: "full", InputColumn: "a", InputColumn2: "b", RemoveEmpty: true, Table: "X_a", Type: "ConcatColumns" },
      ],
    });
    expect(itemOf(`  <Agent Identifier="A" DisplayName_L1="A"/>`, "Agent", "A").children).toEqual({});
  });

  it("the order of properties means nothing; a changed property diffs at its own path", () => {
    const a = itemOf(type([code, name]), "EntityType", "T");
    const b = itemOf(type([name, code]), "EntityType", "T");
    expect(b.hash).toBe(a.hash);
    const c = itemOf(type([code, name.replace(`TargetColumnIndex="5"`, `TargetColumnIndex="6"`)]), "EntityType", "T");
    expect(c.hash).not.toBe(a.hash);
    expect(diffFields(a, c)).toEqual([{ path: "children.Property.Name.TargetColumnIndex", before: 5, after: 6 }]);
  });
});

function only(problems: Problem[]): Problem {
  expect(problems).toHaveLength(1);
  return problems[0]!;
}
