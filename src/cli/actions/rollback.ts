import type { Command } from "commander";
import { itemsAfter } from "../../deploy/history.js";
import { CliError } from "../cli-error.js";
import { settingsOf, withStore } from "../context.js";
import { asCliError, printResult, runDeploy } from "./deploy.js";

export async function rollback(program: Command, id: string, flags: { allowDeletes?: boolean; lockTimeout: string; json?: boolean }): Promise<void> {
  const deploymentId = Number(id);
  if (!Number.isInteger(deploymentId) || deploymentId < 1) throw new CliError(`${id} is not a deployment id`);
  const settings = settingsOf(program);
  const result = await withStore(program, async (store) => {
    const items = await itemsAfter(store, deploymentId).catch((error: unknown) => Promise.reject(asCliError(error)));
    return runDeploy(settings, store, items, {
      sourceFolder: `rollback of deployment ${deploymentId}`,
      allowDeletes: flags.allowDeletes === true,
      lockTimeoutSeconds: Number(flags.lockTimeout),
      kind: "rollback",
      rollbackOf: deploymentId,
    });
  });
  printResult(result, flags.json === true);
}
