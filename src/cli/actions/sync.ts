import type { Command } from "commander";
import { ResourceStore } from "../../domain/resources/resource-store.js";
import type { ChangeState } from "../../domain/vocabulary.js";
import { resolve } from "node:path";
import { databaseQueue, discardBatch } from "../../domain/sync/batch-queue.js";
import { withStore } from "../context.js";
import { CliError } from "../cli-error.js";
import { EXIT_USAGE } from "../exit-codes.js";

interface ChangeLine {
  kind: "resource" | "link";
  operation: string;
  state: ChangeState;
  /** Entity type or association. */
  of: string;
  key: string;
  after: unknown;
}

export async function syncChanges(program: Command, id: string, flags: { state?: string; limit: string; json?: boolean }): Promise<void> {
  if (!/^\d+$/.test(id)) throw new CliError(`"${id}" is not a job instance id`, EXIT_USAGE);
  const states = ["pending", "blocked", "applied", "discarded"];
  if (flags.state !== undefined && !states.includes(flags.state)) throw new CliError(`--state must be one of ${states.join(", ")}`, EXIT_USAGE);
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new CliError("--limit must be a whole number", EXIT_USAGE);
  const filter = flags.state === undefined ? {} : { state: flags.state as ChangeState };
  const { counts, lines } = await withStore(program, async (store) => {
    const resources = new ResourceStore(store.dataSource.manager);
    const counts = new Map<string, number>();
    const lines: ChangeLine[] = [];
    const keep = (line: ChangeLine) => {
      const key = `${line.kind} ${line.of} ${line.operation} ${line.state}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (lines.length < limit) lines.push(line);
    };
    for await (const page of resources.resourceChanges(Number(id), filter)) {
      for (const c of page) keep({ kind: "resource", operation: c.operation, state: c.state, of: c.entityType, key: c.sourceKey, after: c.after === null ? null : JSON.parse(c.after) });
    }
    for await (const page of resources.linkChanges(Number(id), filter)) {
      for (const c of page) keep({ kind: "link", operation: c.operation, state: c.state, of: c.association, key: `${c.fromSourceKey} → ${c.toSourceKey}`, after: null });
    }
    return { counts, lines };
  });
  if (flags.json) {
    const summary = [...counts].map(([key, count]) => {
      const [kind, of, operation, state] = key.split(" ");
      return { kind, of, operation, state, count };
    });
    process.stdout.write(`${JSON.stringify({ instanceId: Number(id), summary, changes: lines }, null, 2)}\n`);
    return;
  }
  if (counts.size === 0) return void process.stdout.write(`No synchronization change is recorded for job instance ${id}.\n`);
  for (const [key, count] of counts) process.stdout.write(`${count}  ${key}\n`);
  for (const line of lines) {
    process.stdout.write(`  ${line.state.padEnd(9)} ${line.operation.padEnd(6)} ${line.of}  ${line.key}${line.after ? `  ${JSON.stringify(line.after)}` : ""}\n`);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total > lines.length) process.stdout.write(`  … ${total - lines.length} more (--limit)\n`);
}

/** Exit 3 when there is no such batch, as `idm show` does for an item that is not there. */
export async function syncDiscard(program: Command, connector: string, flags: { batch?: string }): Promise<void> {
  const discarded = await withStore(program, (store, settings) => discardBatch(resolve(settings.paths.work), connector, databaseQueue(store), flags.batch));
  if (discarded === undefined) {
    throw new CliError(flags.batch === undefined ? `no batch of ${connector} is queued` : `no batch ${flags.batch} of ${connector} is queued`, 3);
  }
  process.stdout.write(`discarded batch ${discarded} of ${connector}\n`);
}
