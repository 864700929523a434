/** Two databases used from one working folder keep their batch queues apart. */
import { afterEach, describe, expect, it } from "vitest";
import { collectFolder, databaseQueue } from "../../../src/domain/sync/batch-queue.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";

describe.each(BACKENDS)("databaseQueue on %s", (_, backend) => {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    for (const db of databases.splice(0)) await db.drop();
  });

  it("names one queue per database, the same each time the database is opened", async (context) => {
    const first = await backend.create(`${context.task.name} a`);
    const second = await backend.create(`${context.task.name} b`);
    databases.push(first, second);
    const a = databaseQueue(await first.open());
    const b = databaseQueue(await second.open());
    expect(a).toMatch(/^db-[0-9a-f]{12}$/);
    expect(b).not.toBe(a);
    expect(databaseQueue(await first.open())).toBe(a);
    expect(collectFolder("/work", "HR", a)).not.toBe(collectFolder("/work", "HR", b));
  });
});
