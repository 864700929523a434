/**
 * A runner SIGKILLed while a script runs leaves the script running in its own process group. The
 * next run of the job ends that group before its own script starts (on the same host), or, when the
 * group was recorded by another host, waits for the dead runner's lease to expire and says it cannot.
 * The built CLI, real scripts, SQLite and PostgreSQL.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { groupRuns } from "../../src/domain/processes/process-stat.js";
import { ENTITY, type TaskInstanceRow } from "../../src/store/entities.js";
import { openStore, type Store } from "../../src/store/store.js";
import { idm, startIdm } from "../helpers/idm-process.js";
import { dropProcessDatabases, PROCESS_DATABASES } from "../helpers/process-databases.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";

afterAll(dropProcessDatabases);

const leftRunning: number[] = [];
afterEach(() => {
  for (const pgid of leftRunning.splice(0)) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // ended
    }
  }
});

/**
 * Appends "start <pid>" (with "while <old pid> runs" when a process of the previous run's group is
 * still there, zombies aside) and "end <pid>" to lines; sleeps the seconds the test wrote.
 */
const SCRIPT = `w="$IDM_WORK_FOLDER"
old=$(cat "$w/pid" 2>/dev/null)
running=""
if [ -n "$old" ]; then
  for stat in /proc/[0-9]*/stat; do
    read -r line < "$stat" 2>/dev/null || continue
    set -- \${line##*) }
    [ "$3" = "$old" ] && [ "$1" != Z ] && running=" while $old runs"
  done
fi
echo "start $$$running" >> "$w/lines"
trap 'echo "end $$" >> "$w/lines"; exit 143' TERM
echo $$ > "$w/pid"
sleep "$(cat "$w/seconds")" &
wait
echo "end $$" >> "$w/lines"
`;

async function until<T>(what: string, read: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function workspace(database: (typeof PROCESS_DATABASES)[number]) {
  const cwd = mkdtempSync(join(tmpdir(), "idm-killed-"));
  writeFileSync(join(cwd, "appsettings.json"), JSON.stringify({ Jobs: { LeaseTtlSeconds: 2 } }));
  const url = await database.create(cwd);
  const folder = writeFolder({
    "model.xml": BASE_MODEL,
    "jobs.xml": configFile(`  <Job Identifier="J" DisplayName_L1="J">
    <InvokeExpressionTask Identifier="Long" DisplayName_L1="Long" InputPath="long.sh" Level="0"/>
  </Job>`),
    "long.sh": SCRIPT,
  });
  const run = (...args: string[]) => idm(cwd, "--database", url, ...args);
  expect(run("deploy", folder).status).toBe(0);
  const work = join(cwd, ".idm/work");
  mkdirSync(work, { recursive: true });
  const file = (name: string) => join(work, name);
  const withStore = async <T>(work: (store: Store) => Promise<T>): Promise<T> => {
    const store = await openStore(url);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };
  const tasks = () => withStore((store) => store.dataSource.getRepository<TaskInstanceRow>(ENTITY.taskInstance).find({ order: { id: "ASC" } }));

  /** Starts J, waits until its script runs and its group is recorded, then SIGKILLs the runner. */
  const killRunnerMidScript = async () => {
    writeFileSync(file("seconds"), "30");
    const runner = startIdm(cwd, ["--database", url, "run", "J"]);
    const pid = await until("the script to start", () => (existsSync(file("pid")) ? Number(readFileSync(file("pid"), "utf8")) : undefined));
    leftRunning.push(pid);
    const recorded = await until("the group to be recorded", async () => (await tasks())[0]?.processGroup ?? undefined);
    runner.child.kill("SIGKILL");
    expect((await runner.result).signal).toBe("SIGKILL");
    return { pid, recorded };
  };
  return { cwd, url, run, file, withStore, tasks, killRunnerMidScript };
}

describe.each(PROCESS_DATABASES)("a run after its runner was SIGKILLed, on $name", (database) => {
  it("ends the dead run's script group on this host before its own script starts, and says so in its log", async () => {
    const { run, file, tasks, killRunnerMidScript } = await workspace(database);
    const { pid: old, recorded } = await killRunnerMidScript();
    expect(JSON.parse(recorded)).toEqual({ host: hostname(), pgid: old, start: expect.stringMatching(/^[0-9a-f-]{36}\/\d+$/) });
    // The problem: without a runner the script goes on.
    expect(groupRuns(old)).toBe(true);

    writeFileSync(file("seconds"), "0");
    const next = run("run", "J");
    expect(next.status, next.stdout + next.stderr).toBe(0);
    const pids = readFileSync(file("lines"), "utf8").trimEnd().split("\n");
    const now = Number(readFileSync(file("pid"), "utf8"));
    expect(now).not.toBe(old);
    // SIGTERM reached the old script (its trap wrote its end) and its whole group had gone before the new one started.
    expect(pids).toEqual([`start ${old}`, `end ${old}`, `start ${now}`, `end ${now}`]);
    expect(groupRuns(old)).toBe(false);

    const log = run("logs", "2").stdout;
    expect(log).toContain(`ended process group ${old} of task Long of job instance 1, left running by its dead runner (SIGTERM)\n`);
    expect(log).toContain("job instance 1, left InProgress by a runner that died, marked Interrupted\n");
    expect(log.indexOf("ended process group")).toBeLessThan(log.indexOf("task Long (InvokeExpressionTask) started"));
    expect((await tasks()).map((t) => [t.jobInstanceId, t.state, t.processGroup])).toEqual([[1, "Interrupted", null], [2, "Succeeded", null]]);
  });

  it("cannot signal a group recorded by another host: waits for the lease to expire, then warns naming the host and pgid", async () => {
    const { run, file, withStore, tasks, killRunnerMidScript } = await workspace(database);
    const { pid: old, recorded } = await killRunnerMidScript();
    // As if the runner had run on another host, and died there a moment ago (its lease has 3 s to go).
    const elsewhere = JSON.stringify({ ...JSON.parse(recorded), host: "other-host.example" });
    await withStore(async ({ dataSource }) => {
      await dataSource.getRepository(ENTITY.taskInstance).update({ jobInstanceId: 1 }, { processGroup: elsewhere });
      await dataSource.getRepository(ENTITY.jobInstance).update({ id: 1 }, { host: "other-host.example" });
      await dataSource.getRepository(ENTITY.lease).update({ name: "job:J" }, { host: "other-host.example", expiresAt: new Date(Date.now() + 3000) });
    });

    writeFileSync(file("seconds"), "0");
    const refused = run("run", "J");
    expect(refused.status).toBe(5);
    expect(refused.stderr).toContain("job J is already running: instance 1 on other-host.example");
    const next = await until("the dead runner's lease to expire", () => {
      const attempt = run("run", "J");
      return attempt.status === 5 ? undefined : attempt;
    });
    expect(next.status, next.stdout + next.stderr).toBe(0);
    expect(run("logs", "2").stdout).toContain(
      `process group ${old} of task Long of job instance 1 on host other-host.example may still run: it cannot be signalled from ${hostname()}\n`);
    // Said, not prevented: the old script still ran when the new one started.
    const now = Number(readFileSync(file("pid"), "utf8"));
    expect(readFileSync(file("lines"), "utf8")).toBe(`start ${old}\nstart ${now} while ${old} runs\nend ${now}\n`);
    expect(groupRuns(old)).toBe(true);
    // Its record stays: that group may still run.
    expect((await tasks()).map((t) => [t.jobInstanceId, t.state, t.processGroup])).toEqual([[1, "Interrupted", elsewhere], [2, "Succeeded", null]]);
  });
});
