import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { registerDb } from "../../src/cli/commands/db.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

describe.each(BACKENDS)("idm db on %s", (_, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await db.drop();
  });

  /** Runs `idm db ...args` against this test's database and returns what it printed. */
  async function idmDb(...args: string[]): Promise<string> {
    const program = new Command("idm").exitOverride();
    registerDb(program, (options) => db.open(options));
    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    try {
      await program.parseAsync(["db", ...args], { from: "user" });
    } finally {
      vi.restoreAllMocks();
    }
    return out;
  }

  it("status lists the migration as pending, migrate runs it, then both say it is done", async () => {
    expect(await idmDb("status")).toBe("pending  0001-initial-schema\npending  0002-job-runs\npending  0003-resource-store\npending  0004-task-process-groups\npending  0005-item-contributions\npending  0006-item-generated-by\npending  0007-assignments\npending  0008-generated-role-model\npending  0009-order-fulfilment\npending  0010-deployment-source-fingerprint\npending  0011-ledger-references\npending  0012-resource-history-chain\npending  0013-dirty-resources-index\n");
    expect(await idmDb("migrate")).toBe("ran  0001-initial-schema\nran  0002-job-runs\nran  0003-resource-store\nran  0004-task-process-groups\nran  0005-item-contributions\nran  0006-item-generated-by\nran  0007-assignments\nran  0008-generated-role-model\nran  0009-order-fulfilment\nran  0010-deployment-source-fingerprint\nran  0011-ledger-references\nran  0012-resource-history-chain\nran  0013-dirty-resources-index\n");
    expect(await idmDb("migrate")).toMatch(/: up to date\n$/);
    expect(await idmDb("status")).toBe("ran  0001-initial-schema\nran  0002-job-runs\nran  0003-resource-store\nran  0004-task-process-groups\nran  0005-item-contributions\nran  0006-item-generated-by\nran  0007-assignments\nran  0008-generated-role-model\nran  0009-order-fulfilment\nran  0010-deployment-source-fingerprint\nran  0011-ledger-references\nran  0012-resource-history-chain\nran  0013-dirty-resources-index\n");
  });

  it("prints JSON with --json", async () => {
    const status = JSON.parse(await idmDb("status", "--json")) as { database: string; migrations: unknown };
    expect(status).toEqual({ database: db.url, migrations: [{ name: "0001-initial-schema", ran: false }, { name: "0002-job-runs", ran: false }, { name: "0003-resource-store", ran: false }, { name: "0004-task-process-groups", ran: false }, { name: "0005-item-contributions", ran: false }, { name: "0006-item-generated-by", ran: false }, { name: "0007-assignments", ran: false }, { name: "0008-generated-role-model", ran: false }, { name: "0009-order-fulfilment", ran: false }, { name: "0010-deployment-source-fingerprint", ran: false }, { name: "0011-ledger-references", ran: false }, { name: "0012-resource-history-chain", ran: false }, { name: "0013-dirty-resources-index", ran: false }] });
    expect(JSON.parse(await idmDb("migrate", "--json"))).toMatchObject({ ran: ["0001-initial-schema", "0002-job-runs", "0003-resource-store", "0004-task-process-groups", "0005-item-contributions", "0006-item-generated-by", "0007-assignments", "0008-generated-role-model", "0009-order-fulfilment", "0010-deployment-source-fingerprint", "0011-ledger-references", "0012-resource-history-chain", "0013-dirty-resources-index"] });
    expect(JSON.parse(await idmDb("migrate", "--json"))).toMatchObject({ ran: [] });
  });
});
