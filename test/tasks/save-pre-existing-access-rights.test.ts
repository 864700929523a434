/**
 * SavePreExistingAccessRightsTask's registration; what it does is tested on both databases in
 * test/domain/rolemodel/pre-existing.test.ts through the same handler.
 */
import { describe, expect, it } from "vitest";
import { handlerFor } from "../../src/tasks/registry.js";
import savePreExistingAccessRights from "../../src/tasks/save-pre-existing-access-rights.js";

describe("SavePreExistingAccessRightsTask", () => {
  it("is registered: a job runs it instead of ending task-not-implemented", () => {
    expect(handlerFor("SavePreExistingAccessRightsTask")).toBe(savePreExistingAccessRights);
    expect(savePreExistingAccessRights.side).toBe("server");
  });
});
