import type { Command } from "commander";
import { listDeployments } from "../../deploy/history.js";
import { withStore } from "../context.js";

export async function deployments(program: Command, options: { json?: boolean }): Promise<void> {
  const deployments = await withStore(program, listDeployments);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(deployments, null, 2)}\n`);
    return;
  }
  if (deployments.length === 0) process.stdout.write("No deployment yet.\n");
  for (const d of deployments) {
    const what = d.kind === "rollback" ? `rollback to ${d.rollbackOf}` : "deploy";
    process.stdout.write(
      `${String(d.id).padStart(5)}  ${d.startedAt.toISOString()}  ${what.padEnd(15)}  +${d.inserted} ~${d.updated} -${d.deleted}  ${d.user}@${d.host}  ${d.sourceFolder}\n`,
    );
  }
}
