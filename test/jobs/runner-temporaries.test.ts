/** A run starts by removing what killed runs left in the job's folders. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/config/settings.js";
import { runJob, type RunEvent } from "../../src/jobs/runner.js";
import type { Store } from "../../src/store/store.js";
import { registerTask } from "../../src/tasks/registry.js";
import { deployFolder } from "../helpers/deploy-xml.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";

describe.each(BACKENDS)("the start of a run, on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let unregister: () => void;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    unregister = registerTask({ type: "MaintainIndexesTask", side: "server", run: async () => ({ state: "Succeeded", didWork: false }) });
    await deployFolder(store, writeFolder({
      "model.xml": BASE_MODEL,
      "jobs.xml": configFile(`  <Job Identifier="J" DisplayName_L1="J">\n    <MaintainIndexesTask Identifier="T" DisplayName_L1="T"/>\n  </Job>`),
    }));
  });
  afterEach(async () => {
    unregister();
    await db.drop();
  });

  it("removes the temporary files of killed runs from the job's folders and says so", async () => {
    const root = mkdtempSync(join(tmpdir(), "idm-run-temporaries-"));
    const paths = { work: join(root, "work"), temp: join(root, "temp"), export: join(root, "export") };
    mkdirSync(paths.export, { recursive: true });
    // pid 2^22 + 1 is above Linux's largest pid: no process has it.
    const stale = join(paths.export, ".HRPeople.4194305-0a1b2c3d.1.tmp");
    const mine = join(paths.export, `.HRPeople.${process.pid}-0a1b2c3d.1.tmp`);
    writeFileSync(stale, "left by a killed export");
    writeFileSync(mine, "a live writer's");
    const events: RunEvent[] = [];
    const summary = await runJob("J", { store, settings: { ...DEFAULT_SETTINGS, paths }, onEvent: (event) => events.push(event) });
    expect(summary.state).toBe("Succeeded");
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(mine)).toBe(true);
    expect(events.some((event) => event.kind === "log" && event.message.startsWith("removed 1 temporary file(s) of killed runs"))).toBe(true);
  });
});
