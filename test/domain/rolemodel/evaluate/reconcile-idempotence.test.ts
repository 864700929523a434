// Seeded property test: random policies and owners; evaluating, saving, then evaluating again over
// what was saved gives an empty delta. A failure names its seed, so it can be replayed.
import { describe, expect, it } from "vitest";
import { applyDelta } from "../../../../src/domain/rolemodel/evaluate/apply-delta.js";
import { expectedAssignments } from "../../../../src/domain/rolemodel/evaluate/expected.js";
import { reconcile } from "../../../../src/domain/rolemodel/evaluate/reconcile.js";
import { NOW } from "./fixture.js";
import { generator, randomModel, randomOwner } from "./random-policy.js";

describe("idempotence (seeded)", () => {
  it("evaluating twice and reconciling the second result against the saved first gives no change", () => {
    let newIds = 0;
    const newId = () => `new${++newIds}`;
    let rowsSeen = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const g = generator(seed);
      const m = randomModel(g);
      for (let i = 0; i < 5; i++) {
        const o = randomOwner(g, i);
        const first = reconcile(expectedAssignments(o, m, NOW), o.existing, o.targets, { model: m });
        const saved = applyDelta(o.existing, first, newId);
        rowsSeen += saved.length;
        const again = { ...o, existing: saved };
        const second = reconcile(expectedAssignments(again, m, NOW), saved, o.targets, { model: m });
        expect(second.changes, `seed ${seed}, owner ${i}`).toEqual([]);
      }
    }
    // The generator must produce real work, or the property says nothing.
    expect(rowsSeen).toBeGreaterThan(3000);
  });
});
