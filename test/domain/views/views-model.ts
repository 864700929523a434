/**
 * A small entity model for the zz_ views and key index tests: typed properties (some named like SQL
 * keywords), an entity type with an underscore and digits, a mono-valued navigation and its
 * association; deployed into a test store from XML like any configuration.
 */
import type { Store } from "../../../src/store/store.js";
import { deployXml } from "../../helpers/deploy-xml.js";
import { configFile } from "../../helpers/temp-folder.js";

export interface ModelOptions {
  /** Whether Person_2024's Mail is IsKey, beside Code (a second key index on the type). */
  mailIsKey?: boolean;
}

export function viewsModel(options: ModelOptions = {}): string {
  const mailIsKey = options.mailIsKey ?? true;
  return configFile(`  <EntityType Identifier="Person_2024" DisplayName_L1="Person">
    <Property Identifier="Code" Type="String" IsKey="true" TargetColumnIndex="4" />
    <Property Identifier="Mail" Type="String" IsKey="${mailIsKey}" TargetColumnIndex="12" />
    <Property Identifier="Select" Type="String" TargetColumnIndex="5" />
    <Property Identifier="Order" Type="Int64" TargetColumnIndex="6" />
    <Property Identifier="Group" Type="Int32" TargetColumnIndex="7" />
    <Property Identifier="Salary" Type="Double" TargetColumnIndex="8" />
    <Property Identifier="Active" Type="Bool" TargetColumnIndex="9" />
    <Property Identifier="Born" Type="DateTime" TargetColumnIndex="10" />
    <Property Identifier="Uid" Type="Guid" TargetColumnIndex="11" />
    <Property Identifier="Photo" Type="Binary" />
    <Property Identifier="Unit" Type="ForeignKey" TargetColumnIndex="128" />
  </EntityType>
  <EntityType Identifier="Org_Unit9" DisplayName_L1="Unit">
    <Property Identifier="Name" Type="String" IsKey="true" TargetColumnIndex="4" />
    <Property Identifier="Members" Type="ForeignKey" />
  </EntityType>
  <EntityAssociation Identifier="Unit_Members" Property1="Org_Unit9:Members" IsProperty1Collection="true" Property2="Person_2024:Unit" />`);
}

export async function deployModel(store: Store, options: ModelOptions = {}): Promise<void> {
  await deployXml(store, { "Model.xml": viewsModel(options) });
}
