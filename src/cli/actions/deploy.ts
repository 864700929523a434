import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { Settings } from "../../config/settings.js";
import type { DeployResult } from "../../deploy/apply.js";
import { DeployError } from "../../deploy/deploy-error.js";
import * as engine from "../../deploy/run-deploy.js";
import type { Plan } from "../../deploy/plan.js";
import { LeaseBusyError } from "../../store/lease.js";
import type { Store } from "../../store/store.js";
import type { DesiredItems } from "../../deploy/desired-items.js";
import { CliError } from "../cli-error.js";
import { settingsOf, validatedItems, withStore } from "../context.js";
import { formatPlan } from "../format-plan.js";
import { scopeOf } from "../scope.js";

export interface DeployFlags {
  plan?: string;
  scope?: string;
  allowDeletes?: boolean;
  forceCascadeDelete?: boolean;
  lockTimeout: string;
  json?: boolean;
}

export async function deploy(program: Command, dir: string, flags: DeployFlags): Promise<void> {
  const settings = settingsOf(program);
  const { items } = await validatedItems(dir, settings);
  const plan = flags.plan ? readPlan(flags.plan) : undefined;
  const scope = scopeOf(dir, flags.scope);
  const result = await withStore(program, (store) =>
    runDeploy(settings, store, items, {
      sourceFolder: resolve(dir),
      ...(plan ? { plan } : {}),
      ...(scope ? { scope } : {}),
      allowDeletes: flags.allowDeletes === true || flags.forceCascadeDelete === true,
      lockTimeoutSeconds: Number(flags.lockTimeout),
    }));
  printResult(result, flags.json === true);
}

/** Runs a deploy (the engine call DeployConfigurationTask shares) and turns its refusals into one-line CLI errors. */
export async function runDeploy(settings: Settings, store: Store, items: DesiredItems, options: engine.RunDeployOptions): Promise<DeployResult> {
  if (!Number.isFinite(options.lockTimeoutSeconds) || options.lockTimeoutSeconds < 0) throw new CliError("--lock-timeout must be a number of seconds");
  try {
    return await engine.runDeploy(settings, store, items, {
      ...options,
      onApply: ({ summary }) => process.stderr.write(`applying to ${store.display}: +${summary.insert} ~${summary.update} -${summary.delete}\n`),
    });
  } catch (error) {
    throw asCliError(error);
  }
}

/** Deploy refusals as one-line CLI errors (with their details); anything else unchanged. */
export function asCliError(error: unknown): unknown {
  if (error instanceof DeployError) {
    return new CliError(`${error.code}: ${error.message}${error.details.map((d) => `\n  ${d}`).join("")}`);
  }
  if (error instanceof LeaseBusyError) return new CliError(`lease-busy: another deploy is running: ${error.message}`);
  return error;
}

export function printResult(result: DeployResult, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ deploymentId: result.deploymentId ?? null, plan: result.plan }, null, 2)}\n`);
    return;
  }
  process.stdout.write(formatPlan(result.plan));
  process.stdout.write(result.deploymentId === undefined ? "Nothing to deploy.\n" : `Deployed as deployment ${result.deploymentId}.\n`);
}

function readPlan(file: string): Plan {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Plan;
  } catch (error) {
    throw new CliError(`invalid-plan: cannot read ${file}: ${(error as Error).message}`);
  }
}
