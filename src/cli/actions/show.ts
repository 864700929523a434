import type { Command } from "commander";
import { showItem, type DeploymentSummary } from "../../deploy/history.js";
import { CliError } from "../cli-error.js";
import { withStore } from "../context.js";

export async function show(program: Command, kind: string, identifier: string, options: { json?: boolean }): Promise<void> {
  const shown = await withStore(program, (store) => showItem(store, kind, identifier));
  if (!shown) throw new CliError(`no ${kind} "${identifier}" is deployed`, 3);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return;
  }
  const { item, createdBy, changedBy } = shown;
  const source = item.source ? `${item.source.file}:${item.source.line}:${item.source.column}` : "(no source)";
  process.stdout.write(
    [
      `${item.kind} ${item.identifier}`,
      `  source      ${source}`,
      `  created by  ${describe(createdBy)}`,
      `  changed by  ${describe(changedBy)}`,
      `  hash        ${item.hash}`,
      `  attributes  ${JSON.stringify(item.attributes)}`,
      `  children    ${JSON.stringify(item.children)}`,
    ].join("\n") + "\n",
  );
}

function describe(d: DeploymentSummary | undefined): string {
  return d ? `deployment ${d.id} (${d.startedAt.toISOString()}, ${d.user}@${d.host})` : "(unknown)";
}
