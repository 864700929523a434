import type { Command } from "commander";
import { closestName } from "../../config/did-you-mean.js";
import { isJobChildren } from "../../config/items.js";
import { jobIdentifiers, showItem } from "../../deploy/history.js";
import { launchGroups } from "../../jobs/launch-groups.js";
import { CliError } from "../cli-error.js";
import { settingsOf, withStore } from "../context.js";
import { EXIT_USAGE } from "../exit-codes.js";

export async function steps(program: Command, job: string, options: { json?: boolean }): Promise<void> {
  const batch = settingsOf(program).jobs.maxTaskBatchSize;
  const groups = await withStore(program, async (store) => {
    const shown = await showItem(store, "Job", job);
    if (!shown || !isJobChildren(shown.item.children)) {
      const closest = closestName(job, await jobIdentifiers(store));
      throw new CliError(`no job "${job}" is deployed${closest ? `; did you mean ${closest}?` : ""}`, EXIT_USAGE);
    }
    return launchGroups(shown.item.children.steps, batch);
  });
  if (options.json) {
    const json = { job, groups: groups.map((g) => ({ level: g.level, tasks: g.steps.map((s) => s.task) })) };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  let order = 0;
  for (const [index, group] of groups.entries()) {
    for (const step of group.steps) {
      process.stdout.write(`Task : ${step.task}, Order : ${++order}, Group : ${index + 1}, Level : ${group.level}\n`);
    }
  }
}
