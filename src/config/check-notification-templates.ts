/**
 * A NotificationTemplate replaces the templates of one of the product's native notifications, named
 * by its Identifier (README, Notifications). Another name is a warning with the closest native one:
 * the reference's list may not follow every product version.
 */
import { position } from "./check-attributes.js";
import type { ConfigElement } from "./configuration.js";
import { closestName } from "./did-you-mean.js";
import type { Problem } from "./problems.js";
import { findAttribute } from "./xml-tree.js";

export const NATIVE_NOTIFICATIONS = [
  "BlockedProvisioningInformations", "OneWayPasswordReset", "PendingAccessCertificationModel", "PerformManualProvisioningSummary",
  "RolePolicySummary", "RunJobNotification", "TwoWayPasswordReset", "WorkflowReviewProvisioningSummary", "WorkflowReviewRolesSummary",
];

export function checkNotificationTemplates(models: readonly ConfigElement[], problems: Problem[]): void {
  for (const template of models) {
    const id = template.attributes.Identifier;
    if (template.spec.name !== "NotificationTemplate" || typeof id !== "string" || NATIVE_NOTIFICATIONS.includes(id)) continue;
    const closest = closestName(id, NATIVE_NOTIFICATIONS);
    problems.push({
      code: "invalid-value", severity: "warning", ...position(findAttribute(template.xml, "Identifier") ?? template.xml),
      message: `NotificationTemplate Identifier="${id}" is not a native notification the reference lists: its templates may replace nothing`,
      hint: closest ? `did you mean ${closest}?` : `the native notifications: ${NATIVE_NOTIFICATIONS.join(", ")}`,
    });
  }
}
