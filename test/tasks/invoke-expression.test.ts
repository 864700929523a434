import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type TaskSettings } from "../../src/config/settings.js";
import { readWindowsPrefixes } from "../../src/config/windows-paths.js";
import invokeExpression from "../../src/tasks/invoke-expression.js";
import { handlerFor } from "../../src/tasks/registry.js";
import type { TaskContext, TaskSnapshot } from "../../src/tasks/task-handler.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace } from "../helpers/task-workspace.js";

const strayPids: number[] = [];

afterEach(() => {
  for (const pid of strayPids.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  removeTaskWorkspaces();
});

/** A workspace whose settings carry these task settings. */
function setup(files: Record<string, string>, tasks: Partial<TaskSettings> = {}) {
  return taskWorkspace(files, { settings: (folders) => ({ ...DEFAULT_SETTINGS, paths: folders, tasks: { ...DEFAULT_SETTINGS.tasks, ...tasks } }) });
}

function task(inputPath?: string): TaskSnapshot {
  return taskSnapshot({ identifier: "T", type: "InvokeExpressionTask", attributes: inputPath === undefined ? {} : { InputPath: inputPath } });
}

const run = (context: TaskContext, inputPath?: string) => invokeExpression.run(context, task(inputPath));

/** Whether pid is a live process; a zombie counts as gone (PID 1 of a container may never reap it). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return true;
  }
}

async function waitFor<T>(what: string, check: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A bash script that starts `sleep 60` in the background, writes its pid to temp/child.pid and waits for it. */
const SLEEPER = `sleep 60 &
echo $! > "$IDM_TEMP_FOLDER/child.pid"
echo started
wait
`;

function sleeperPid(folders: { temp: string }): Promise<number> {
  return waitFor(
    "the script's child pid",
    () => {
      const file = join(folders.temp, "child.pid");
      const text = existsSync(file) ? readFileSync(file, "utf8").trim() : "";
      if (!/^\d+$/.test(text)) return undefined;
      strayPids.push(Number(text));
      return Number(text);
    },
    10_000,
  );
}

describe("InvokeExpressionTask", () => {
  it("is a built-in handler", () => {
    expect(handlerFor("InvokeExpressionTask")).toBe(invokeExpression);
  });

  it("runs a bash script in the configuration folder with the job's variables, logging stdout and stderr in order", async () => {
    const { conf, folders, context, lines, progress } = setup({
      "scripts/hello.sh": `echo "job=$IDM_JOB task=$IDM_TASK instance=$IDM_JOB_INSTANCE"
echo "work=$IDM_WORK_FOLDER"
echo "temp=$IDM_TEMP_FOLDER"
echo "export=$IDM_EXPORT_FOLDER"
echo "cwd=$(pwd -P)"
echo "warning 1" >&2
test -d "$IDM_WORK_FOLDER" && test -d "$IDM_TEMP_FOLDER" && test -d "$IDM_EXPORT_FOLDER" && echo "folders exist"
echo "warning 2" >&2
printf "no newline"
`,
    });
    const result = await run(context, "scripts/hello.sh");
    expect(result).toEqual({ state: "Succeeded", didWork: true, counters: { linesOut: 7, linesErr: 2 } });
    expect(lines("Information")).toEqual([
      "job=J task=T instance=7",
      `work=${folders.work}`,
      `temp=${folders.temp}`,
      `export=${folders.export}`,
      `cwd=${conf}`,
      "folders exist",
      "no newline",
    ]);
    expect(lines("Warning")).toEqual(["warning 1", "warning 2"]);
    expect(progress.at(-1)).toEqual({ linesOut: 7, linesErr: 2 });
  });

  it("records the script's process group (host, pgid, the leader's start) while it runs, and clears it when it ends", async () => {
    const { context, groups, lines } = setup({ "me.sh": 'echo "$$ $(cut -d" " -f5 /proc/$$/stat)"\n' });
    expect((await run(context, "me.sh")).state).toBe("Succeeded");
    // The script says its pid and its process group: it leads the group that was recorded.
    const [pid, pgid] = lines("Information")[0]!.split(" ").map(Number);
    expect(pgid).toBe(pid);
    const bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    expect(groups).toEqual([{ host: hostname(), pgid, start: expect.stringMatching(new RegExp(`^${bootId}/\\d+$`)) }, null]);
  });

  it("joins a line written in pieces", async () => {
    const { context, lines } = setup({ "pieces.sh": `printf "ab"; sleep 0.2; printf "c\\nd"; sleep 0.2; printf "e\\n"\n` });
    await expect(run(context, "pieces.sh")).resolves.toMatchObject({ state: "Succeeded" });
    expect(lines("Information")).toEqual(["abc", "de"]);
  });

  it("ends Error with the exit code of a script that fails", async () => {
    const { context, lines } = setup({ "scripts/fail.sh": "echo before\nexit 3\n" });
    expect(await run(context, "scripts/fail.sh")).toEqual({
      state: "Error",
      didWork: false,
      message: "script scripts/fail.sh exited with code 3",
      counters: { linesOut: 1, linesErr: 0 },
    });
    expect(lines("Information")).toEqual(["before"]);
  });

  it("ends Error naming the signal that killed the script", async () => {
    const { context } = setup({ "self-kill.sh": "kill -USR1 $$\n" });
    expect(await run(context, "self-kill.sh")).toMatchObject({ state: "Error", message: "script self-kill.sh was killed by SIGUSR1" });
  });

  it("runs .mjs and .cjs scripts with node", async () => {
    const { context, lines } = setup({
      "a.mjs": `console.log("module", process.env.IDM_JOB_INSTANCE, typeof import.meta.url); console.error("oops");\n`,
      "b.cjs": `console.log("commonjs", typeof require);\n`,
    });
    expect(await run(context, "a.mjs")).toEqual({ state: "Succeeded", didWork: true, counters: { linesOut: 1, linesErr: 1 } });
    expect(await run(context, "b.cjs")).toMatchObject({ state: "Succeeded" });
    expect(lines("Information")).toEqual(["module 7 string", "commonjs function"]);
    expect(lines("Warning")).toEqual(["oops"]);
  });

  it("refuses a task without InputPath", async () => {
    const { context } = setup({});
    await expect(run(context)).rejects.toThrow("InvokeExpressionTask T has no InputPath");
  });

  it("refuses an extension it cannot run, naming it", async () => {
    const { context } = setup({ "notes.txt": "hello\n", "Makefile": "all:\n" });
    await expect(run(context, "notes.txt")).rejects.toThrow('InvokeExpressionTask cannot run notes.txt: extension ".txt" (it runs .ps1, .sh, .js, .mjs, .cjs)');
    await expect(run(context, "Makefile")).rejects.toThrow("InvokeExpressionTask cannot run Makefile: no extension");
  });

  it("refuses a script that does not exist, or a folder", async () => {
    const { conf, context } = setup({ "scripts/real.sh": "true\n" });
    await expect(run(context, "scripts/missing.sh")).rejects.toThrow(`script scripts/missing.sh does not exist (${join(conf, "scripts/missing.sh")})`);
    await expect(run(context, "scripts")).rejects.toThrow("script scripts is not a file");
  });

  it("refuses a path outside the configuration and work folders, naming the allowed folders", async () => {
    const { conf, folders, context } = setup({});
    const allowed = `(${conf}, ${folders.work})`;
    for (const path of ["../../etc/passwd", relative(conf, "/etc/passwd"), "/etc/passwd", "../outside.sh"]) {
      await expect(run(context, path)).rejects.toThrow(`script ${path} is outside the folders scripts may run from ${allowed}`);
    }
  });

  it("refuses a symlink in the configuration folder that points outside, without running it", async () => {
    const { root, conf, context } = setup({});
    writeFileSync(join(root, "evil.sh"), `touch "${join(root, "ran")}"\n`);
    symlinkSync(join(root, "evil.sh"), join(conf, "link.sh"));
    symlinkSync(root, join(conf, "up"));
    await expect(run(context, "link.sh")).rejects.toThrow("script link.sh is outside the folders scripts may run from");
    await expect(run(context, "up/evil.sh")).rejects.toThrow("script up/evil.sh is outside the folders scripts may run from");
    expect(existsSync(join(root, "ran"))).toBe(false);
  });

  it("runs a script named by a Windows path through Paths.WindowsPrefixes; the mapped path stays confined, and an unmapped one names the setting", async () => {
    const { root, conf, context, lines } = setup({ "Scripts/HR_PreCollect.sh": "echo collected\n" });
    writeFileSync(join(root, "evil.sh"), `touch "${join(root, "ran")}"\n`);
    symlinkSync(join(root, "evil.sh"), join(conf, "Scripts", "link.sh"));
    context.settings = { ...context.settings, paths: { ...context.settings.paths, windowsPrefixes: readWindowsPrefixes({ "D:\\Conf": conf, "\\\\fs01\\idm": root }) } };
    expect(await run(context, "D:\\Conf\\Scripts\\HR_PreCollect.sh")).toMatchObject({ state: "Succeeded" });
    expect(await run(context, "Scripts\\HR_PreCollect.sh")).toMatchObject({ state: "Succeeded" });
    expect(lines("Information")).toEqual(["collected", "collected"]);
    await expect(run(context, "\\\\FS01\\IDM\\evil.sh")).rejects.toThrow(`script ${join(root, "evil.sh")} is outside the folders scripts may run from`);
    await expect(run(context, "d:/conf/Scripts/link.sh")).rejects.toThrow("is outside the folders scripts may run from");
    await expect(run(context, "C:\\Scripts\\x.sh")).rejects.toThrow(
      "InvokeExpressionTask T: InputPath C:\\Scripts\\x.sh is a Windows path that no prefix maps; Paths.WindowsPrefixes in the settings maps Windows prefixes to local folders",
    );
    expect(existsSync(join(root, "ran"))).toBe(false);
  });

  it("runs scripts from the work folder", async () => {
    const { folders, context, lines } = setup({});
    mkdirSync(folders.work, { recursive: true });
    writeFileSync(join(folders.work, "generated.sh"), "echo generated\n");
    expect(await run(context, join(folders.work, "generated.sh"))).toMatchObject({ state: "Succeeded" });
    expect(lines("Information")).toEqual(["generated"]);
  });

  it("uses Tasks.ScriptRoots, resolved against the working directory, in place of the default folders", async () => {
    const { root, context, lines } = setup({ "inside.sh": "echo inside\n" });
    mkdirSync(join(root, "shared"));
    writeFileSync(join(root, "shared/tool.sh"), "echo tool\n");
    context.settings = { ...context.settings, tasks: { invokeSqlCommands: {}, scriptRoots: [relative(process.cwd(), join(root, "shared"))] } };
    expect(await run(context, "../shared/tool.sh")).toMatchObject({ state: "Succeeded" });
    expect(lines("Information")).toEqual(["tool"]);
    await expect(run(context, "inside.sh")).rejects.toThrow(`script inside.sh is outside the folders scripts may run from (${join(root, "shared")})`);
  });

  it("resolves against the working directory when the configuration folder is unknown", async () => {
    const { root, context, lines } = setup({});
    writeFileSync(join(root, "here.sh"), "pwd -P\n");
    context.paths = { ...context.paths, configuration: undefined };
    context.settings = { ...context.settings, tasks: { invokeSqlCommands: {}, scriptRoots: [root] } };
    const input = relative(process.cwd(), join(root, "here.sh"));
    expect(await run(context, input)).toMatchObject({ state: "Succeeded" });
    expect(lines("Information")).toEqual([realpathSync(process.cwd())]);
  });

  it("says so when the configuration folder, the script's working folder, is gone", async () => {
    const { root, conf, context } = setup({});
    writeFileSync(join(root, "tool.sh"), "echo tool\n");
    rmSync(conf, { recursive: true });
    context.settings = { ...context.settings, tasks: { invokeSqlCommands: {}, scriptRoots: [root] } };
    await expect(run(context, join(root, "tool.sh"))).rejects.toThrow(`cannot run ${join(root, "tool.sh")}: its working folder ${conf} does not exist`);
  });

  it("does not start the script when the task is cancelled before it starts", async () => {
    const { conf, folders, context, controller } = setup({ "mark.sh": "touch ran\n" });
    controller.abort(new Error("job cancelled"));
    await expect(run(context, "mark.sh")).rejects.toThrow("job cancelled");
    expect(existsSync(join(conf, "ran"))).toBe(false);
    expect(existsSync(folders.work)).toBe(false);
  });

  it("kills the whole process tree on cancel, within 2 s", async () => {
    const { folders, context, controller } = setup({ "sleeper.sh": SLEEPER });
    const running = run(context, "sleeper.sh");
    const pid = await sleeperPid(folders);
    expect(isRunning(pid)).toBe(true);
    const reason = new Error("job cancelled");
    const abortedAt = Date.now();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    await waitFor("the background sleep to end", () => (isRunning(pid) ? undefined : true), 2000);
    expect(Date.now() - abortedAt).toBeLessThan(2000);
  });

  it("throws an Error when cancelled without a reason", async () => {
    const { folders, context, controller } = setup({ "sleeper.sh": SLEEPER });
    const running = run(context, "sleeper.sh");
    await sleeperPid(folders);
    controller.abort();
    await expect(running).rejects.toThrow(/abort/);
  });

  it("kills with SIGKILL after 2 s a tree that ignores SIGTERM", async () => {
    const { folders, context, controller } = setup({ "stubborn.sh": `trap '' TERM\n${SLEEPER}` });
    const running = run(context, "stubborn.sh");
    const pid = await sleeperPid(folders);
    const abortedAt = Date.now();
    controller.abort(new Error("job cancelled"));
    await expect(running).rejects.toThrow("job cancelled");
    const elapsed = Date.now() - abortedAt;
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(5000);
    await waitFor("the background sleep to end", () => (isRunning(pid) ? undefined : true), 1000);
  });

  it("ends Error and kills the tree when the script runs longer than Tasks.ScriptTimeoutSeconds", async () => {
    const { folders, context, lines } = setup({ "scripts/slow.sh": SLEEPER }, { scriptTimeoutSeconds: 1 });
    const startedAt = Date.now();
    const result = await run(context, "scripts/slow.sh");
    expect(result).toEqual({
      state: "Error",
      didWork: false,
      message: "script scripts/slow.sh timed out after 1 s",
      counters: { linesOut: 1, linesErr: 0 },
    });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(lines("Information")).toEqual(["started"]);
    const pid = await sleeperPid(folders);
    await waitFor("the background sleep to end", () => (isRunning(pid) ? undefined : true), 2000);
  });

  it("does not wait for a process the script left running in the background", async () => {
    const { folders, context } = setup({ "daemon.sh": `sleep 60 &\necho $! > "$IDM_TEMP_FOLDER/child.pid"\necho done\n` });
    const startedAt = Date.now();
    expect(await run(context, "daemon.sh")).toEqual({ state: "Succeeded", didWork: true, counters: { linesOut: 1, linesErr: 0 } });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    await sleeperPid(folders);
  });

  const pwshInstalled = spawnSync("pwsh", ["-v"]).error === undefined;

  it(pwshInstalled ? "runs a .ps1 script with pwsh" : "says pwsh is missing when a .ps1 script is run without it", async () => {
    const { context, lines } = setup({ "scripts/x.ps1": 'Write-Output "job=$env:IDM_JOB"\n' });
    if (pwshInstalled) {
      expect(await run(context, "scripts/x.ps1")).toMatchObject({ state: "Succeeded", didWork: true });
      expect(lines("Information")).toContain("job=J");
    } else {
      await expect(run(context, "scripts/x.ps1")).rejects.toThrow(
        "InvokeExpressionTask needs pwsh to run scripts/x.ps1, and pwsh is not installed",
      );
    }
  });
});
