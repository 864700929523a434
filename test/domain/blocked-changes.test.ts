import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canMove, decideHold, HeldChanges, totalChanges, type HeldChangeQueue } from "../../src/domain/blocked-changes.js";
import { SYNCHRONIZATION_CHANGES } from "../../src/domain/resources/resource-queries.js";
import type { Store } from "../../src/store/store.js";
import { ResourceStore, type NewLinkChange, type NewResourceChange } from "../../src/domain/resources/resource-store.js";
import { ENTITY, type ResourceChangeRow, type ResourceLinkChangeRow } from "../../src/store/entities.js";
import type { ChangeState } from "../../src/domain/vocabulary.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

describe("the hold decision", () => {
  it("holds at the first failed check, runs no check after it, and none when forced", async () => {
    const ran: string[] = [];
    const check = (name: string, reason?: string) => () => {
      ran.push(name);
      return reason;
    };
    expect(await decideHold(false, [check("a"), async () => check("b", "too many deletes")(), check("c", "too many inserts")])).toEqual({ action: "hold", reason: "too many deletes" });
    expect(ran).toEqual(["a", "b"]);
    ran.length = 0;
    expect(await decideHold(true, [check("a", "too many deletes")])).toEqual({ action: "apply" });
    expect(ran).toEqual([]);
    expect(await decideHold(false, [check("a"), check("b")])).toEqual({ action: "apply" });
    expect(await decideHold(false, [])).toEqual({ action: "apply" });
  });

  it("moves held changes forward only", () => {
    expect(canMove("pending", "blocked")).toBe(true);
    expect(canMove("blocked", "applied")).toBe(true);
    expect(canMove("blocked", "discarded")).toBe(true);
    expect(canMove("blocked", "pending")).toBe(false);
    expect(canMove("applied", "blocked")).toBe(false);
    expect(canMove("discarded", "pending")).toBe(false);
    expect(totalChanges({ A: { insert: 2, delete: 1 }, B: { update: 4 } })).toBe(7);
  });
});

for (const [name, backend] of BACKENDS) {
  describe(`a queue of held changes on ${name}`, () => {
    let db: TestDatabase;
    let store: Store;
    beforeEach(async (context) => {
      db = await backend.create(context.task.name);
      store = await db.open();
    });
    afterEach(async () => {
      await db.drop();
    });

    const change = (jobInstanceId: number, connector: string, sourceKey: string, operation: NewResourceChange["operation"] = "insert"): NewResourceChange => ({
      jobInstanceId, connector, entityType: "HR_Person", sourceKey, resourceId: null, operation, state: "pending", before: null, after: "{}",
    });
    const link = (jobInstanceId: number, connector: string, toSourceKey: string): NewLinkChange => ({
      jobInstanceId, connector, association: "Members", fromEntityType: "HR_Person", fromSourceKey: "p1", toEntityType: "HR_Group", toSourceKey,
      fromResourceId: null, toResourceId: null, linkId: null, operation: "insert", state: "pending",
    });
    const states = async (entity: string): Promise<[number, string, string, ChangeState][]> => {
      const rows = await store.dataSource.manager.getRepository<ResourceChangeRow | ResourceLinkChangeRow>(entity).find({ order: { id: "ASC" } });
      return rows.map((r) => [r.jobInstanceId, r.connector, "sourceKey" in r ? r.sourceKey : r.toSourceKey, r.state]);
    };
    const seed = async () => {
      const rs = new ResourceStore(store.dataSource.manager);
      await rs.insertResourceChanges([change(7, "HR", "p1"), change(7, "HR", "p2", "delete"), change(7, "AD", "x"), change(8, "HR", "p3")]);
      await rs.insertLinkChanges([link(7, "HR", "g1"), link(8, "HR", "g2")]);
    };

    it("holds a run's changes as blocked in every table, counts them, and releases them as applied on resume", async () => {
      await seed();
      const held = new HeldChanges(store.dataSource.manager, SYNCHRONIZATION_CHANGES);
      const scope = { owner: 7, subject: "HR" };
      expect(await held.isHeld(scope)).toBe(false);
      await held.hold(scope);
      expect(await held.isHeld(scope)).toBe(true);
      expect(await held.isHeld({ owner: 8, subject: "HR" })).toBe(false);
      expect(await held.count(ENTITY.resourceChange, scope, "blocked")).toEqual({ HR_Person: { insert: 1, delete: 1 } });
      expect(await held.count(ENTITY.resourceLinkChange, scope, "blocked")).toEqual({ Members: { insert: 1 } });
      expect((await states(ENTITY.resourceChange)).map(([, , key, state]) => [key, state])).toEqual([["p1", "blocked"], ["p2", "blocked"], ["x", "pending"], ["p3", "pending"]]);

      // The resume applies the blocked changes, then keeps them as applied.
      await held.markApplied(scope, "blocked");
      expect(await held.isHeld(scope)).toBe(false);
      expect(await held.count(ENTITY.resourceChange, scope, "applied")).toEqual({ HR_Person: { insert: 1, delete: 1 } });
      expect((await states(ENTITY.resourceLinkChange)).map(([owner, , , state]) => [owner, state])).toEqual([[7, "applied"], [8, "pending"]]);
      await expect(held.move(scope, "applied", "blocked")).rejects.toThrow(/cannot move from applied to blocked/);
    });

    it("removes a run's changes once applied, and leaves the other runs' and subjects'", async () => {
      await seed();
      const held = new HeldChanges(store.dataSource.manager, SYNCHRONIZATION_CHANGES);
      await held.remove({ owner: 7, subject: "HR" });
      expect((await states(ENTITY.resourceChange)).map(([owner, connector, key]) => [owner, connector, key])).toEqual([[7, "AD", "x"], [8, "HR", "p3"]]);
      expect((await states(ENTITY.resourceLinkChange)).map(([owner]) => owner)).toEqual([8]);
    });

    it("discards what a new run supersedes: every pending change of the subject, and the others' blocked ones when asked", async () => {
      await seed();
      const held = new HeldChanges(store.dataSource.manager, SYNCHRONIZATION_CHANGES);
      await held.hold({ owner: 8, subject: "HR" });
      await held.hold({ owner: 7, subject: "AD" });
      await held.discardSuperseded({ owner: 9, subject: "HR" }, { blockedOfOthers: false });
      expect((await states(ENTITY.resourceChange)).map(([, , key, state]) => [key, state])).toEqual([["p1", "discarded"], ["p2", "discarded"], ["x", "blocked"], ["p3", "blocked"]]);
      await held.discardSuperseded({ owner: 8, subject: "HR" }, { blockedOfOthers: true });
      expect((await states(ENTITY.resourceChange)).map(([, , key, state]) => [key, state])).toEqual([["p1", "discarded"], ["p2", "discarded"], ["x", "blocked"], ["p3", "blocked"]]);
      await held.discardSuperseded({ owner: 9, subject: "HR" }, { blockedOfOthers: true });
      expect((await states(ENTITY.resourceChange)).map(([, , key, state]) => [key, state])).toEqual([["p1", "discarded"], ["p2", "discarded"], ["x", "blocked"], ["p3", "discarded"]]);
      expect((await states(ENTITY.resourceLinkChange)).map(([, , key, state]) => [key, state])).toEqual([["g1", "discarded"], ["g2", "discarded"]]);
    });

    it("is parameterized by its tables: a queue over one table moves only that table's rows, inside the caller's transaction", async () => {
      await seed();
      const resourcesOnly: HeldChangeQueue = { ...SYNCHRONIZATION_CHANGES, tables: [SYNCHRONIZATION_CHANGES.tables[0]!] };
      await expect(store.dataSource.transaction(async (m) => {
        await new HeldChanges(m, resourcesOnly).hold({ owner: 7, subject: "HR" });
        throw new Error("rolled back");
      })).rejects.toThrow("rolled back");
      expect((await states(ENTITY.resourceChange)).every(([, , , state]) => state === "pending")).toBe(true);

      const held = new HeldChanges(store.dataSource.manager, resourcesOnly);
      await held.hold({ owner: 7, subject: "HR" });
      expect((await states(ENTITY.resourceChange)).map(([, , , state]) => state)).toEqual(["blocked", "blocked", "pending", "pending"]);
      expect((await states(ENTITY.resourceLinkChange)).map(([, , , state]) => state)).toEqual(["pending", "pending"]);
      await expect(held.count(ENTITY.resourceLinkChange, { owner: 7, subject: "HR" }, "pending")).rejects.toThrow(/not a table of this held-change queue/);
      await held.moveByIds(ENTITY.resourceChange, [1], "applied");
      expect((await states(ENTITY.resourceChange)).map(([, , , state]) => state)).toEqual(["applied", "blocked", "pending", "pending"]);
    });
  });
}
