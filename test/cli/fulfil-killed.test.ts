/**
 * A FulfillTask run SIGKILLed while it writes orders to a table, then run again: no order applied
 * twice, none lost. The built CLI runs a job that generates the order files and fulfils them through
 * the SQL package, one order per batch; the test kills it once the target table shows some rows,
 * reruns the job, and checks every order Executed exactly once and the table holding each account
 * once, with its values. SQLite and PostgreSQL.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ResourceStore } from "../../src/domain/resources/resource-store.js";
import { AssignmentStore } from "../../src/domain/rolemodel/assignment-store.js";
import { openStore, type Store } from "../../src/store/store.js";
import { assignment, PROVISIONING_XML, scalar } from "../domain/provisioning/fulfil-fixture.js";
import { adAccount, MODEL_XML, T0 } from "../domain/rolemodel/role-model-fixture.js";
import { idm, startIdm } from "../helpers/idm-process.js";
import { dropProcessDatabases, PROCESS_DATABASES } from "../helpers/process-databases.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";

afterAll(dropProcessDatabases);

const ACCOUNTS = 600;
const key = (n: number) => `u${String(n).padStart(4, "0")}`;

async function until<T>(what: string, read: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function withStore<T>(url: string, work: (store: Store) => Promise<T>, migrate = true): Promise<T> {
  const store = await openStore(url, { migrate });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe.each(PROCESS_DATABASES)("FulfillTask killed mid-batch on $name", (database) => {
  it("runs again without applying an order twice or losing one", { timeout: 120_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), "idm-fulfil-killed-"));
    const url = await database.create(cwd);
    const targetUrl = database.name === "sqlite" ? `sqlite:${join(cwd, "target.db")}` : url;
    writeFileSync(join(cwd, "appsettings.json"), JSON.stringify({
      Jobs: { LeaseTtlSeconds: 2 },
      Connections: { ADSql: { ConnectionString: targetUrl, Table: "accounts", KeyColumn: "sAMAccountName" } },
    }));
    const folder = writeFolder({
      "model.xml": configFile(`${MODEL_XML}\n${adAccount()}`),
      "provisioning.xml": PROVISIONING_XML,
      "jobs.xml": configFile(`  <Job Identifier="Provision" DisplayName_L1="Provision">
    <GenerateProvisioningOrdersTask Identifier="Orders" DisplayName_L1="Orders" BatchInsertSize="100" ForceProvisioning="true" Level="0">
      <TaskResourceType ResourceType="AD_Account" />
    </GenerateProvisioningOrdersTask>
    <FulfillTask Identifier="Fulfil" DisplayName_L1="Fulfil" BatchSize="1" Level="1">
      <TaskResourceType ResourceType="AD_Account" />
    </FulfillTask>
  </Job>`),
    });
    const run = (...args: string[]) => idm(cwd, "--database", url, ...args);
    const deployed = run("deploy", folder);
    expect(deployed.status, deployed.stderr).toBe(0);

    // ACCOUNTS people, each with an account to create; and the target table, without a key constraint: a second INSERT would show.
    await withStore(url, async (store) => {
      const resources = new ResourceStore(store.dataSource.manager);
      const people = Array.from({ length: ACCOUNTS }, (_, i) => key(i + 1));
      await resources.insertResources(people.map((login) => ({ entityType: "HR_Person", connector: "HR", sourceKey: login, properties: { Login: login } })), { at: T0, jobInstanceId: 1 });
      const ids = await resources.idsByKeys("HR_Person", people);
      await new AssignmentStore(store.dataSource.manager).writeDelta({
        resourceTypes: { insert: people.map((login) => assignment(ids.get(login)!, { values: [scalar("sAMAccountName", login), scalar("mail", `${login}@example.com`)] })) },
      }, { at: T0, jobInstanceId: 1 });
    });
    const target = await openStore(targetUrl, { migrate: false });
    try {
      await target.dataSource.query(`CREATE TABLE "accounts" ("sAMAccountName" varchar(100), "mail" varchar(200))`);
      const count = async () => Number(((await target.dataSource.query(`SELECT COUNT(*) AS n FROM "accounts"`)) as { n: number | string }[])[0]!.n);

      const runner = startIdm(cwd, ["--database", url, "run", "Provision"]);
      await until("the first rows in the target table", async () => ((await count()) > 0 ? true : undefined));
      runner.child.kill("SIGKILL");
      expect((await runner.result).signal).toBe("SIGKILL");
      const orders = () => withStore(url, (store) => new AssignmentStore(store.dataSource.manager).allOrders());
      const killed = await orders();
      expect(killed).toHaveLength(ACCOUNTS);
      const recordedBeforeKill = killed.filter((o) => o.fulfilState === "Executed").length;
      // Killed in the middle: rows were written (perhaps before any outcome was recorded), and orders are left.
      expect(recordedBeforeKill).toBeLessThan(ACCOUNTS);
      expect(killed.filter((o) => o.fulfilState === "Errored")).toEqual([]);

      // The dead runner's lease expires (2 s), then the job runs again and takes the rest.
      const next = await until("the dead runner's lease to expire", () => {
        const attempt = run("run", "Provision");
        return attempt.status === 5 ? undefined : attempt;
      }, 30_000, 500);
      expect(next.status, next.stdout + next.stderr).toBe(0);

      const done = await orders();
      expect(done.map((o) => o.fulfilState)).toEqual(Array(ACCOUNTS).fill("Executed"));
      // What the first run recorded stayed as it was; the second recorded the rest, each once.
      const byId = new Map(killed.map((o) => [o.id, o]));
      expect(done.filter((o) => byId.get(o.id)!.fulfilState === "Executed").every((o) => o.fulfilledByJobInstance === 1)).toBe(true);
      expect(done.filter((o) => o.fulfilledByJobInstance === 2)).toHaveLength(ACCOUNTS - recordedBeforeKill);
      const rows = (await target.dataSource.query(`SELECT "sAMAccountName", "mail" FROM "accounts" ORDER BY "sAMAccountName"`)) as { sAMAccountName: string; mail: string }[];
      expect(rows).toEqual(Array.from({ length: ACCOUNTS }, (_, i) => ({ sAMAccountName: key(i + 1), mail: `${key(i + 1)}@example.com` })));
      const states = await withStore(url, async (store) => (await new AssignmentStore(store.dataSource.manager).resourceTypesByIds(done.map((o) => o.assignedResourceTypeId))).map((a) => a.provisioningState));
      expect(new Set(states)).toEqual(new Set(["Executed"]));

      const ordersFolder = join(cwd, ".idm/work/ProvisioningOrders/AD");
      expect(readdirSync(ordersFolder).filter((f) => f.endsWith(".json"))).toEqual([]);
      const completed = readdirSync(join(ordersFolder, "Completed"));
      expect(completed).toHaveLength(ACCOUNTS / 100);
      const results = completed.flatMap((file) => readFileSync(join(ordersFolder, "Results", file.replace(/\.json$/, ".csv")), "utf8").trimEnd().split("\r\n").slice(1));
      expect(results).toHaveLength(ACCOUNTS);
      expect(results.every((line) => line.split(",")[1] === "Executed")).toBe(true);
      expect(existsSync(join(ordersFolder, "Results"))).toBe(true);
    } finally {
      await target.close();
    }
  });
});
