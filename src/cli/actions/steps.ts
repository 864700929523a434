import type { Command } from "commander";
import { closestName } from "../../config/did-you-mean.js";
import { jobIdentifiers } from "../../deploy/history.js";
import { jobGraph } from "../../jobs/job-graph.js";
import { readJobSnapshot } from "../../jobs/job-snapshot.js";
import { CliError } from "../cli-error.js";
import { settingsOf, withStore } from "../context.js";
import { EXIT_USAGE } from "../exit-codes.js";
import { jobGraphDot, jobGraphMermaid } from "../pictures/job-graph-picture.js";
import type { StepsFlags } from "./steps-formats.js";

export async function steps(program: Command, job: string, options: StepsFlags): Promise<void> {
  if (options.json && options.format !== "text" && options.format !== "json") {
    throw new CliError(`--json and --format ${options.format} ask for two outputs: give one`, EXIT_USAGE);
  }
  const format = options.json ? "json" : options.format;
  const batch = settingsOf(program).jobs.maxTaskBatchSize;
  const graph = await withStore(program, async (store) => {
    const snapshot = await readJobSnapshot(store, job);
    if (snapshot === undefined) {
      const closest = closestName(job, await jobIdentifiers(store));
      throw new CliError(`no job "${job}" is deployed${closest ? `; did you mean ${closest}?` : ""}`, EXIT_USAGE);
    }
    return jobGraph(job, snapshot.steps, batch);
  });
  if (format === "mermaid") return void process.stdout.write(jobGraphMermaid(graph));
  if (format === "dot") return void process.stdout.write(jobGraphDot(graph));
  if (format === "json") {
    const json = {
      job,
      steps: graph.groups.flatMap((g) => g.steps.map((s) => ({ task: s.identifier, type: s.type, order: s.order, level: g.level, declaredLevel: g.declaredLevel }))),
      groups: graph.groups.map((g) => ({ level: g.level, declaredLevel: g.declaredLevel, tasks: g.steps.map((s) => s.identifier) })),
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  for (const group of graph.groups) {
    for (const step of group.steps) process.stdout.write(`Task : ${step.identifier}, Order : ${step.order}, Level : ${group.level}\n`);
  }
}
