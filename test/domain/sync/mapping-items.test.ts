/** What synchronization reads from the stored mappings, for the shapes real configurations deploy. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readConnectorMappings } from "../../../src/domain/sync/mappings.js";
import { readConnectorModel } from "../../../src/domain/sync/synchronize-model.js";
import type { Store } from "../../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { deployXml } from "../../helpers/deploy-xml.js";
import { configFile } from "../../helpers/temp-folder.js";

const MODEL = configFile(`  <Agent Identifier="Local" DisplayName_L1="Local agent"/>
  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local"/>
  <Connection Identifier="ADExport" DisplayName_L1="AD" Connector="AD" Package="Usercube.AD@0000001"/>
  <EntityType Identifier="AD_Entry" DisplayName_L1="AD entry">
    <Property Identifier="dn" DisplayName_L1="dn" IsKey="true" TargetColumnIndex="0"/>
    <Property Identifier="objectGuid" DisplayName_L1="guid" TargetColumnIndex="1"/>
    <Property Identifier="rdn" DisplayName_L1="rdn" TargetColumnIndex="2"/>
    <Property Identifier="disabled" DisplayName_L1="disabled" TargetColumnIndex="3"/>
  </EntityType>
  <EntityType Identifier="AD_Ticket" DisplayName_L1="Ticket">
    <Property Identifier="Code" DisplayName_L1="Code" IsKey="true" TargetColumnIndex="0"/>
  </EntityType>
  <EntityTypeMapping Identifier="AD_Entry" Connector="AD" ConnectionTable="ADExport_entries">
    <Property Identifier="dn" ConnectionColumn="dn" IsPrimaryKey="true"/>
    <Property Identifier="objectGuid" ConnectionColumn="objectGUID" Format="guid"/>
    <Property Identifier="rdn" ConnectionColumn="rdn" Format="RDN"/>
    <Property Identifier="disabled" ConnectionColumn="userAccountControl" Format="bit:userAccountControl:2"/>
    <Property Identifier="rdn" ConnectionColumn="name"/>
  </EntityTypeMapping>
  <EntityTypeMapping Identifier="AD_Ticket" Connector="AD"/>`);

describe.each(BACKENDS)("stored mappings read by synchronization on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    await deployXml(store, { "ad.xml": MODEL });
  });
  afterEach(async () => {
    await db.drop();
  });

  it("leaves out a mapping with no property, keeps a repeated property once (the first), and reads the product's formats as written", async () => {
    expect(await readConnectorMappings(store, "AD")).toEqual([
      { kind: "EntityType", identifier: "AD_Entry", connectionTable: "ADExport_entries", columns: ["dn", "userAccountControl", "objectGUID", "rdn"], keyLength: 1 },
    ]);
    const model = await readConnectorModel(store, "AD");
    expect([...model.entityTypes.keys()]).toEqual(["AD_Entry"]);
    const entry = model.entityTypes.get("AD_Entry")!;
    expect(entry.formats.get("rdn")!("CN=Ann")).toBe("CN=Ann");
    expect(entry.formats.get("userAccountControl")!("514")).toBe("514");
  });
});
