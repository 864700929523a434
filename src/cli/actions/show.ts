import type { Command } from "commander";
import { showItem, type DeploymentSummary } from "../../deploy/history.js";
import type { Contribution } from "../../config/overlays.js";
import { CliError } from "../cli-error.js";
import { withStore } from "../context.js";

export async function show(program: Command, kind: string, identifier: string, options: { json?: boolean }): Promise<void> {
  const shown = await withStore(program, (store) => showItem(store, kind, identifier));
  if (!shown) throw new CliError(`no ${kind} "${identifier}" is deployed`, 3);
  const { item, createdBy, changedBy } = shown;
  const contributions = item.contributions ? JSON.parse(item.contributions) as Contribution[] : undefined;
  if (options.json) {
    const { contributions: _, ...rest } = item;
    const json = { ...shown, item: { ...rest, attributes: item.attributes, children: item.children, ...(contributions ? { contributions } : {}) } };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const source = item.source ? `${item.source.file}:${item.source.line}:${item.source.column}` : "(no source)";
  process.stdout.write(
    [
      `${item.kind} ${item.identifier}`,
      `  source      ${source}`,
      ...(contributions ? [`  made from   ${contributions.map((c) => `${c.file}:${c.line}:${c.column} (${c.mode})`).join(", ")}`] : []),
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
