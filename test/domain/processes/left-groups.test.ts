/**
 * What a run that takes over a dead runner's job does with the process groups that runner left: real
 * process groups (detached bash and sleep), signalled or left alone by endLeftGroups.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { endLeftGroups, type LeftGroup } from "../../../src/domain/processes/left-groups.js";
import { groupRuns } from "../../../src/domain/processes/process-stat.js";
import { groupLedBy, parseRecordedGroup } from "../../../src/domain/processes/recorded-group.js";
import type { LogLevel } from "../../../src/domain/vocabulary.js";

const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** A bash script leading its own process group, as InvokeExpressionTask starts one. */
function group(script: string): ChildProcess {
  const child = spawn("bash", ["-c", script], { detached: true, stdio: "ignore" });
  started.push(child);
  return child;
}

function logger() {
  const lines: [LogLevel, string][] = [];
  return { lines, log: (level: LogLevel, message: string) => void lines.push([level, message]) };
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("endLeftGroups", () => {
  it("ends a group on SIGTERM, and one that ignores SIGTERM with SIGKILL after the grace; says so for each", async () => {
    const ready = join(mkdtempSync(join(tmpdir(), "idm-left-groups-")), "ready");
    const polite = group("sleep 30 & wait");
    // Signalled before its trap is set, the stubborn one would end on SIGTERM: wait until it is set.
    const stubborn = group(`trap '' TERM; sleep 30 & touch '${ready}'; wait`);
    await until("the stubborn group to ignore SIGTERM", () => existsSync(ready));
    const left: LeftGroup[] = [
      { group: groupLedBy(polite.pid!), owner: "task A of job instance 1" },
      { group: groupLedBy(stubborn.pid!), owner: "task B of job instance 1" },
    ];
    expect(left.map((g) => g.group.start)).toEqual([expect.any(String), expect.any(String)]);
    const { lines, log } = logger();
    const done = await endLeftGroups(left, log, 500);
    expect(done).toEqual(left);
    expect(groupRuns(polite.pid!)).toBe(false);
    expect(groupRuns(stubborn.pid!)).toBe(false);
    expect(lines).toEqual([
      ["Warning", `ended process group ${polite.pid} of task A of job instance 1, left running by its dead runner (SIGTERM)`],
      ["Warning", `ended process group ${stubborn.pid} of task B of job instance 1, left running by its dead runner (SIGTERM, then SIGKILL after 500 ms)`],
    ]);
  });

  it("never signals a pid that is another process than the one recorded (a reused pid)", async () => {
    const stranger = group("sleep 30");
    const recorded = { ...groupLedBy(stranger.pid!), start: "another-boot/12345" };
    const { lines, log } = logger();
    const done = await endLeftGroups([{ group: recorded, owner: "task T of job instance 2" }], log);
    expect(done).toHaveLength(1);
    expect(lines).toEqual([["Information", `process group ${stranger.pid} of task T of job instance 2 has ended (pid ${stranger.pid} is now another process, not signalled)`]]);
    expect(groupRuns(stranger.pid!)).toBe(true);
    expect(stranger.exitCode).toBeNull();
  });

  it("leaves a group of another host alone, naming the host and the pgid, and keeps its record", async () => {
    const local = group("sleep 30");
    const elsewhere = { ...groupLedBy(local.pid!), host: "other-host.example" };
    const { lines, log } = logger();
    expect(await endLeftGroups([{ group: elsewhere, owner: "task T of job instance 3" }], log)).toEqual([]);
    expect(lines).toEqual([["Warning", `process group ${local.pid} of task T of job instance 3 on host other-host.example may still run: it cannot be signalled from ${hostname()}`]]);
    expect(groupRuns(local.pid!)).toBe(true);
  });

  it("does not signal a group whose start time was not recorded, nor one whose leader has ended", async () => {
    const unverified = group("sleep 30");
    // The leader exits at once and leaves its sleep in the group: its id can no longer be checked.
    const leaderless = group("sleep 30 & exit 0");
    const recorded = groupLedBy(leaderless.pid!);
    await new Promise((r) => leaderless.once("exit", r));
    await until("the leader to be reaped", () => {
      try {
        process.kill(leaderless.pid!, 0);
        return false;
      } catch {
        return true;
      }
    });
    const { lines, log } = logger();
    const done = await endLeftGroups([
      { group: { ...groupLedBy(unverified.pid!), start: null }, owner: "task U of job instance 4" },
      { group: recorded, owner: "task L of job instance 4" },
    ], log);
    expect(done).toEqual([]);
    expect(lines.map(([level]) => level)).toEqual(["Warning", "Warning"]);
    expect(lines[0]![1]).toBe(`process group ${unverified.pid} of task U of job instance 4 may still run: its start time was not recorded (no /proc), so a reused pid cannot be ruled out and it is not signalled`);
    expect(lines[1]![1]).toBe(`process group ${leaderless.pid} of task L of job instance 4 still has processes but its leader has ended, so the group cannot be told from a reused id: not signalled`);
    expect(groupRuns(unverified.pid!)).toBe(true);
    expect(groupRuns(leaderless.pid!)).toBe(true);
  });

  it("says a group that has ended has ended, and lets its record go", async () => {
    const quick = group("exit 0");
    const recorded = groupLedBy(quick.pid!);
    await new Promise((r) => quick.once("exit", r));
    await until("the group to end", () => !groupRuns(quick.pid!));
    const { lines, log } = logger();
    expect(await endLeftGroups([{ group: recorded, owner: "task Q of job instance 5" }], log)).toHaveLength(1);
    expect(lines).toEqual([["Information", `process group ${quick.pid} of task Q of job instance 5 has ended`]]);
  });
});

describe("recorded groups", () => {
  it("read back what they wrote, and refuse anything else (never signalled)", () => {
    expect(parseRecordedGroup('{"host":"h","pgid":42,"start":"b/1"}')).toEqual({ host: "h", pgid: 42, start: "b/1" });
    expect(parseRecordedGroup('{"host":"h","pgid":42,"start":null}')).toEqual({ host: "h", pgid: 42, start: null });
    for (const bad of ["", "{", "[]", '{"host":"h","pgid":1,"start":null}', '{"host":"h","pgid":-5,"start":null}', '{"host":"h","pgid":"42","start":null}', '{"pgid":42,"start":null}', '{"host":"h","pgid":42,"start":7}']) {
      expect(parseRecordedGroup(bad), bad).toBeUndefined();
    }
    expect(parseRecordedGroup(null)).toBeUndefined();
  });
});
