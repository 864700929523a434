import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ENTITY, type JobInstanceRow } from "../../src/store/entities.js";
import { openStore } from "../../src/store/store.js";
import { idm, startIdm } from "../helpers/idm-process.js";
import { dropProcessDatabases, PROCESS_DATABASES } from "../helpers/process-databases.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";

afterAll(dropProcessDatabases);

const script = (identifier: string, path: string, level: number, extra = "") =>
  `<InvokeExpressionTask Identifier="${identifier}" DisplayName_L1="${identifier}" InputPath="${path}" Level="${level}"${extra ? ` ${extra}` : ""}/>`;

const job = (identifier: string, ...tasks: string[]) =>
  `  <Job Identifier="${identifier}" DisplayName_L1="${identifier}">\n    ${tasks.join("\n    ")}\n  </Job>`;

/** Scripts and jobs for every exit code; Long writes its process group id so the test can clean up. */
function configuration(): string {
  return writeFolder({
    "model.xml": BASE_MODEL,
    "jobs.xml": configFile([
      job("J_Ok", script("Ok", "ok.sh", 0)),
      job("J_Fail", script("Ok2", "ok.sh", 0), script("Fail", "fail.sh", 1), script("NeverRuns", "ok.sh", 2)),
      job("J_Warn", script("FailSoftly", "fail.sh", 0, 'ContinueOnError="true"'), script("After", "ok.sh", 1)),
      job("J_Long", script("Long", "long.sh", 0), script("Quick", "ok.sh", 1)),
    ].join("\n")),
    "ok.sh": 'echo "ok from $IDM_TASK"\n',
    "fail.sh": "echo boom >&2\nexit 3\n",
    "long.sh": 'echo $$ > "$IDM_WORK_FOLDER/long.pid"\necho started\nsleep 60 &\nwait\n',
  });
}

/** A working folder with its settings: a 2 s job lease, so a killed runner's lease expires quickly. */
async function workspace(database: (typeof PROCESS_DATABASES)[number]) {
  const cwd = mkdtempSync(join(tmpdir(), "idm-run-"));
  writeFileSync(join(cwd, "appsettings.json"), JSON.stringify({ Jobs: { LeaseTtlSeconds: 2 } }));
  const url = await database.create(cwd);
  const folder = configuration();
  const run = (...args: string[]) => idm(cwd, "--database", url, ...args);
  expect(run("deploy", folder).status).toBe(0);
  return { cwd, url, run, start: (args: string[]) => startIdm(cwd, ["--database", url, ...args]) };
}

async function until<T>(read: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Listed = { id: number; job: string; state: string; trigger: string; startedAt: string; endedAt: string | null };

describe.each(PROCESS_DATABASES)("idm run on $name", (database) => {
  it("exits 0 Succeeded, 1 Error, 2 Warning, 64 for an unknown job; --json prints the summary", async () => {
    const { run } = await workspace(database);
    const ok = run("run", "J_Ok");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("    Ok │ ok from Ok\n");
    expect(ok.stdout).toMatch(/Job J_Ok instance 1 ended Succeeded \(1 succeeded\)\n$/);

    const failed = run("run", "J_Fail", "--json");
    expect(failed.status).toBe(1);
    const summary = JSON.parse(failed.stdout) as { job: string; instanceId: number; state: string; tasks: { identifier: string; state: string; error: string | null; counters: object }[] };
    expect(summary).toMatchObject({ job: "J_Fail", instanceId: 2, state: "Error" });
    expect(summary.tasks.map((t) => [t.identifier, t.state])).toEqual([["Ok2", "Succeeded"], ["Fail", "Error"], ["NeverRuns", "Pending"]]);
    expect(summary.tasks[1]!.error).toBe("jobs.xml:8: script fail.sh exited with code 3");
    expect(summary.tasks[1]!.counters).toEqual({ linesOut: 0, linesErr: 1 });

    expect(run("run", "J_Warn").status).toBe(2);
    const unknown = run("run", "J_Okk");
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toBe('idm: no job "J_Okk" is deployed; did you mean J_Ok?\n');
    expect(run("run", "J_Ok", "-t", "Nope").status).toBe(64);

    const instances = JSON.parse(run("instances", "--json").stdout) as Listed[];
    expect(instances.map((i) => [i.id, i.job, i.state, i.trigger])).toEqual([
      [3, "J_Warn", "Warning", "cli"], [2, "J_Fail", "Error", "cli"], [1, "J_Ok", "Succeeded", "cli"],
    ]);
    const logs = run("logs", "2", "--task", "Fail").stdout;
    expect(logs).toMatch(/ Warning {6}Fail  boom\n/);
    expect(logs).toMatch(/ Error {8}Fail  task Fail ended Error: jobs\.xml:8: script fail\.sh exited with code 3\n$/);

    const jobs = JSON.parse(run("jobs", "--json").stdout) as { identifier: string; lastInstance: { id: number; state: string } | null }[];
    expect(jobs.map((j) => [j.identifier, j.lastInstance?.state ?? null])).toEqual([
      ["J_Fail", "Error"], ["J_Long", null], ["J_Ok", "Succeeded"], ["J_Warn", "Warning"],
    ]);
  });

  it("refuses a second run with exit 5, and idm cancel stops the first within 2 s (exit 4)", async () => {
    const { run, start } = await workspace(database);
    const first = start(["run", "J_Long"]).result;
    const id = await until(() => (JSON.parse(run("instances", "--json").stdout) as Listed[]).find((i) => i.state === "InProgress")?.id);
    await until(() => (run("logs", String(id), "--task", "Long").stdout.includes("started") ? true : undefined));

    const follow = start(["logs", String(id), "--follow"]).result;
    const second = run("run", "J_Long");
    expect(second.status).toBe(5);
    expect(second.stderr).toMatch(new RegExp(`^idm: job J_Long is already running: instance ${id} on .+ pid \\d+, started \\d{4}-`));

    const cancel = run("cancel", String(id));
    expect(cancel.stdout).toBe(`cancel requested for job J_Long instance ${id}\njob J_Long instance ${id} ended Cancelled\n`);
    const ended = await first;
    expect(ended.status).toBe(4);
    const followed = (await follow).stdout;
    expect(followed).toMatch(/Long  started\n/);
    expect(followed).toMatch(/\(job\)  job J_Long instance \d+ ended Cancelled\n$/);
    const instance = (JSON.parse(run("instances", "--json").stdout) as Listed[])[0]!;
    expect(instance.state).toBe("Cancelled");
  });

  it("cancels on SIGTERM (exit 4); after SIGKILL the next run marks the dead instance Interrupted and proceeds", async () => {
    const { cwd, url, run, start } = await workspace(database);
    const waitForLong = async () => {
      const id = await until(() => (JSON.parse(run("instances", "--json").stdout) as Listed[]).find((i) => i.state === "InProgress")?.id);
      await until(() => (run("logs", String(id), "--task", "Long").stdout.includes("started") ? true : undefined));
      return id;
    };

    const terminated = start(["run", "J_Long"]);
    const first = await waitForLong();
    terminated.child.kill("SIGTERM");
    const afterTerm = await terminated.result;
    expect(afterTerm.status).toBe(4);
    expect(afterTerm.stderr).toBe("idm: SIGTERM: cancelling (again to quit at once)\n");
    expect(afterTerm.stdout).toMatch(/Long  InvokeExpressionTask .*cancelled by SIGTERM\n/);

    const killed = start(["run", "J_Long"]);
    const dead = await waitForLong();
    killed.child.kill("SIGKILL");
    expect((await killed.result).signal).toBe("SIGKILL");
    // The script runs on in its own process group, as it would after a power cut of the runner only.
    process.kill(-Number(readFileSync(join(cwd, ".idm/work/long.pid"), "utf8")), "SIGKILL");

    // Refused (exit 5) until the dead runner's lease expires, 2 s after its last heartbeat.
    const next = await until(() => {
      const attempt = run("run", "J_Long", "-t", "Quick");
      return attempt.status === 5 ? undefined : attempt;
    });
    expect(next.status, next.stderr).toBe(0);
    const states = (JSON.parse(run("instances", "--json").stdout) as Listed[]).map((i) => [i.id, i.state]);
    expect(states).toEqual([[dead + 1, "Succeeded"], [dead, "Interrupted"], [first, "Cancelled"]]);
    const store = await openStore(url);
    try {
      const tasks = await store.dataSource.getRepository(ENTITY.taskInstance).findBy({ jobInstanceId: dead });
      expect(tasks.map((t) => [t.task, t.state])).toEqual([["Long", "Interrupted"], ["Quick", "Pending"]]);
    } finally {
      await store.close();
    }
  });

  it("prunes ended instances older than the retention, with their tasks and logs", async () => {
    const { url, run } = await workspace(database);
    expect(run("run", "J_Ok").status).toBe(0);
    expect(run("run", "J_Ok").status).toBe(0);
    const store = await openStore(url);
    try {
      await store.dataSource.getRepository<JobInstanceRow>(ENTITY.jobInstance).update({ id: 1 }, { startedAt: new Date(Date.now() - 100 * 86_400_000) });
    } finally {
      await store.close();
    }
    expect(run("history", "prune").stdout).toMatch(/^pruned 1 job instances started before /);
    expect((JSON.parse(run("instances", "--json").stdout) as Listed[]).map((i) => i.id)).toEqual([2]);
    expect(run("logs", "1").status).toBe(64);
    expect(run("history", "prune", "--older-than", "0").status).toBe(64);
  });
});
