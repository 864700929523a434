/**
 * Before the job instances of a dead runner are marked Interrupted (by the run that takes over the
 * job, or by the consistency repair), the process groups their tasks recorded are ended
 * (left-groups.ts): otherwise a script of the dead run would go on beside the next run of the job.
 */
import { hostname } from "node:os";
import type { EntityManager } from "typeorm";
import type { JobInstanceRow } from "../../store/entities.js";
import { clearProcessGroups, selectRecordedProcessGroups } from "../../store/job-instance-queries.js";
import { processExists } from "../../store/lease.js";
import { endLeftGroups, type LeftGroup, type Log } from "./left-groups.js";
import { parseRecordedGroup } from "./recorded-group.js";

export type DeadInstance = Pick<JobInstanceRow, "id" | "host" | "pid">;

/**
 * A runner whose lease expired but whose process still runs (stalled, stopped) ends its own scripts
 * when it finds its lease lost; its groups are not this caller's to end.
 */
function runnerAlive(instance: DeadInstance): boolean {
  return instance.host === hostname() && (instance.pid === process.pid || processExists(instance.pid));
}

export async function endGroupsOfDeadRunners(m: EntityManager, instances: DeadInstance[], log: Log): Promise<void> {
  if (instances.length === 0) return;
  const byId = new Map(instances.map((i) => [i.id, i]));
  const rows = await selectRecordedProcessGroups(m, [...byId.keys()]).getMany();
  const left: (LeftGroup & { taskInstanceId: number })[] = [];
  for (const row of rows) {
    const owner = `task ${row.task} of job instance ${row.jobInstanceId}`;
    const group = parseRecordedGroup(row.processGroup);
    const instance = byId.get(row.jobInstanceId)!;
    if (group === undefined) {
      log("Warning", `${owner} recorded a process group this version cannot read (${JSON.stringify(row.processGroup)}): not signalled`);
    } else if (runnerAlive(instance)) {
      log("Warning", `process group ${group.pgid} of ${owner} is left to its runner, pid ${instance.pid}, which still runs on this host`);
    } else {
      left.push({ group, owner, taskInstanceId: row.id });
    }
  }
  const done = (await endLeftGroups(left, log)) as typeof left;
  if (done.length > 0) await clearProcessGroups(m, done.map((g) => g.taskInstanceId)).execute();
}
