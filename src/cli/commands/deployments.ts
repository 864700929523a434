import type { Command } from "commander";
import { listDeployments } from "../../deploy/history.js";
import { withStore } from "../context.js";

export function registerDeployments(program: Command): void {
  program
    .command("deployments")
    .description("list the deployments of the ledger, newest first")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) => {
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
    });
}
