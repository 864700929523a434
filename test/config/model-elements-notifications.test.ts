import { describe, expect, it } from "vitest";
import { buildItems } from "../../src/config/items.js";
import { at, validateSamples } from "../helpers/access-and-settings.js";

describe("notification elements: the reference's examples", () => {
  const { problems, configuration } = validateSamples();
  const items = buildItems(configuration).filter((i) => i.source.file === "Notifications.xml");

  it("validate without a problem", () => {
    expect(problems).toEqual([]);
    expect(items.map((i) => `${i.kind}:${i.identifier}`)).toEqual([
      "Notification:New_Directory_User",
      "NotificationTemplate:WorkflowReviewRolesSummary",
      "AccessCertificationNotification:AccessCertification_Directory_User_Reminder",
      "ManualProvisioningNotification:ManualProvisioning_Directory_User_Reminder",
      "ProvisioningReviewNotification:ProvisioningReview_Directory_User_Reminder",
      "RoleReviewNotification:RoleReview_Directory_User_Reminder",
      "RolePolicyNotification:RolePolicy_Reminder",
    ]);
  });

  it("keep the expressions and templates as written, and type the reminder interval (0 by default)", () => {
    const custom = items[0]!.attributes;
    expect(custom.ReminderInterval).toBe(10080);
    expect(custom.QueryFilterExpression).toBe(
      'C#:user:return $"join MainRecord r where r.ContractStartDate > \\"{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ")}\\"";');
    expect(items[1]!.attributes).toEqual({
      BodyTemplate_L1: "./Templates/Notification_RoleReview_Body.cshtml", SubjectTemplate_L1: "./Templates/Notification_RoleReview_Subject.cshtml",
    });
    expect(items[2]!.attributes).toEqual({ OwnerEntityType: "Directory_User", ReminderInterval: 2880 });
    expect(items[6]!.attributes).toEqual({ ReminderInterval: 1440 });
  });
});

describe("notification elements: mistakes", () => {
  it("a wrong value is an error; an entity type no one declares a warning, both with did-you-mean", () => {
    const body = [
      `  <Notification Identifier="Leavers" OwnerEntityType="Directory_Usr" ReminderInterval="2 days" />`,
      `  <RoleReviewNotification Identifier="RR" OwnerEntityType="Directory_User" ReminderInterval="-60" />`,
      `  <NotificationTemplate Identifier="WorkflowReviewRoleSummary" SubjectTemplate_L17="s.cshtml" />`,
    ].join("\n");
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([
      { code: "unresolved-reference", severity: "warning", ...at(body, "OwnerEntityType="), hint: "did you mean Directory_User?" },
      { code: "invalid-value", severity: "error", ...at(body, "ReminderInterval=") },
      { code: "invalid-value", severity: "error", ...at(body, "ReminderInterval=", 1) },
      { code: "invalid-value", severity: "warning", ...at(body, `Identifier="WorkflowReviewRoleSummary"`), hint: "did you mean WorkflowReviewRolesSummary?" },
      { code: "unknown-attribute", severity: "error", ...at(body, "SubjectTemplate_L17") },
    ]);
    expect(problems).toHaveLength(5);
    expect(problems[1]!.message).toBe('Notification ReminderInterval="2 days" is not valid: expected an integer');
    expect(problems[3]!.message).toBe('NotificationTemplate Identifier="WorkflowReviewRoleSummary" is not a native notification the reference lists: its templates may replace nothing');
  });

  it("a typed reminder needs its owner entity type; a custom notification its identifier", () => {
    const body = [
      `  <ManualProvisioningNotification Identifier="MP" ReminderInterval="60" />`,
      `  <Notification OwnerEntityType="Directory_User" />`,
    ].join("\n");
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems.map((p) => [p.code, p.line, p.message])).toEqual([
      ["missing-attribute", 3, "ManualProvisioningNotification requires the attribute OwnerEntityType"],
      ["missing-attribute", 4, "Notification requires the attribute Identifier"],
    ]);
  });

  it("two notifications of one identifier are a duplicate; kinds keep their own identifiers", () => {
    const body = [
      `  <Notification Identifier="New_Directory_User" OwnerEntityType="Directory_User" />`,
      `  <RoleReviewNotification Identifier="New_Directory_User" OwnerEntityType="Directory_User" />`,
    ].join("\n");
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([{ code: "duplicate-identifier", severity: "error", line: 3, column: 3 }]);
    expect(problems[0]!.message).toBe('Notification identifier "New_Directory_User" is already used by the Notification at Notifications.xml:3:3');
  });
});
