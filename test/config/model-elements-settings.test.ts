import { describe, expect, it } from "vitest";
import { buildItems } from "../../src/config/items.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { at, validateSamples } from "../helpers/access-and-settings.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";

describe("settings: the reference's examples", () => {
  const { problems, configuration } = validateSamples();
  const items = buildItems(configuration).filter((i) => i.source.file === "Settings.xml");

  it("validate without a problem, each under its default identifier unless it names one", () => {
    expect(problems).toEqual([]);
    expect(items.map((i) => `${i.kind}:${i.identifier}`)).toEqual([
      "AppDisplaySetting:AppDisplay",
      "ConfigurationVersionSetting:ConfigurationVersion",
      "CustomLink1Setting:CustomLink1",
      "CustomLink2Setting:CustomLink2",
      "DashboardItemNumberSetting:DashboardItemNumber",
      "MailSetting:MailSettings",
      "PasswordGenerationSetting:PasswordGenerationSetting",
      "PasswordTestsSetting:PasswordTests",
      "SchedulingCleanDataBaseSetting:SchedulingCleanDataBase",
      "SelectAllPerformedByAssociationQueryHandlerSetting:SelectAllPerformedByAssociationQueryHandler",
      "SelectPersonasByFilterQueryHandlerSetting:SelectPersonasByFilterQueryHandler",
      "SelectUserByIdentityQueryHandlerSetting:SelectUserByIdentityQueryHandler",
    ]);
  });

  it("type switches and counts, with the reference's defaults", () => {
    const byKind = new Map(items.map((i) => [i.kind, i.attributes]));
    expect(byKind.get("AppDisplaySetting")).toMatchObject({ DisableProvisioningCounters: true, AccessCertificationOnlyApproveDeny: false, FullNameSeparator: "¤" });
    expect(byKind.get("MailSetting")).toEqual({
      AccessCertificationNotification: true, LanguageCode: "en-US", MailProperty: "Directory_User:Email", ManualProvisioningNotification: true,
      ProvisioningReviewNotification: true, RolePolicyNotification: false, RoleReviewNotification: true,
    });
    expect(byKind.get("DashboardItemNumberSetting")).toEqual({ MyTasksSection: 5, RoleReviewSection: 4 });
    expect(byKind.get("SelectUserByIdentityQueryHandlerSetting")!.AfterToken).toBe("\\");
  });
});

describe("settings: mistakes", () => {
  it("a wrong value is an error; a dangling entity type a warning with did-you-mean", () => {
    const body = [
      `  <DashboardItemNumberSetting Identifier="Dashboard2" MyTasksSection="6" />`,
      `  <CustomLink1Setting Identifier="Link3" Url="help" Path_L1="help.html" />`,
      `  <AppDisplaySetting Identifier="Display2" DisableProvisioningCounters="yes" />`,
      `  <SelectUserByIdentityQueryHandlerSetting Identifier="Users2" OwnerEntityType="Directory_Usr" />`,
    ].join("\n");
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([
      { code: "invalid-value", severity: "error", ...at(body, "MyTasksSection=") },
      { code: "invalid-value", severity: "error", ...at(body, "Url=") },
      { code: "invalid-value", severity: "error", ...at(body, "DisableProvisioningCounters=") },
      { code: "unresolved-reference", severity: "warning", ...at(body, "OwnerEntityType="), hint: "did you mean Directory_User?" },
    ]);
    expect(problems).toHaveLength(4);
    expect(problems[1]!.message).toBe('CustomLink1Setting Url="help" is not valid: expected a URL path starting with /');
  });

  it("a second setting of a kind without an identifier is a duplicate of the first", () => {
    const body = `  <MailSetting LanguageCode="fr-FR" />\n  <PasswordGenerationSetting />`;
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems.map((p) => [p.code, p.line, p.message])).toEqual([
      ["duplicate-identifier", 3, 'MailSetting identifier "MailSettings" is already used by the MailSetting at Settings.xml:8:3'],
      ["duplicate-identifier", 4, 'PasswordGenerationSetting identifier "PasswordGenerationSetting" is already used by the PasswordGenerationSetting at Settings.xml:9:3'],
      ["missing-attribute", 4, "PasswordGenerationSetting requires the attribute AllowedSymbolChars"],
    ]);
  });

  it("a Merge fragment without an identifier changes the setting of its default identifier", () => {
    const dir = writeFolder({
      "a.xml": configFile(`  <MailSetting MailProperty="Directory_User:Email" />`),
      "b.xml": configFile(`  <MailSetting ConsolidationMode="Merge" LanguageCode="fr-FR" RoleReviewNotification="false" />`),
    });
    const { problems, configuration } = validateFolder(dir);
    expect(problems).toEqual([]);
    const items = buildItems(configuration);
    expect(items.map((i) => [i.kind, i.identifier, i.attributes])).toEqual([["MailSetting", "MailSettings", {
      AccessCertificationNotification: true, LanguageCode: "fr-FR", MailProperty: "Directory_User:Email", ManualProvisioningNotification: true,
      ProvisioningReviewNotification: true, RolePolicyNotification: true, RoleReviewNotification: false,
    }]]);
    expect(items[0]!.contributions!.map((c) => `${c.file}:${c.mode}`)).toEqual(["a.xml:Base", "b.xml:Merge"]);
  });
});
