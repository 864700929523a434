/**
 * The one way a configuration is deployed with the runtime settings: `idm deploy`, `idm rollback`
 * and DeployConfigurationTask all call runDeploy, so they share the engine, the deletion guard of
 * `Deploy.MaxDeletes` / `Deploy.MaxDeletePercent` and the `deploy` lease with its TTL. Callers map
 * the refusals (DeployError, LeaseBusyError) to their own way of reporting them.
 */
import type { Settings } from "../config/settings.js";
import type { Store } from "../store/store.js";
import { deploy, type DeployResult } from "./apply.js";
import type { Item } from "./items.js";
import type { Plan } from "./plan.js";

/** How long a deploy waits for another to release the `deploy` lease, when not told (`idm deploy --lock-timeout`). */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 30;

export interface RunDeployOptions {
  sourceFolder: string;
  plan?: Plan;
  scope?: string;
  allowDeletes: boolean;
  /** How long to wait for the `deploy` lease (0: one attempt). */
  lockTimeoutSeconds: number;
  kind?: "deploy" | "rollback";
  rollbackOf?: number;
  /** Called when the transaction starts (progress output). */
  onApply?: (plan: Plan) => void;
}

export function runDeploy(settings: Settings, store: Store, items: Item[], options: RunDeployOptions): Promise<DeployResult> {
  return deploy(store, items, {
    ...options,
    guard: settings.deploy,
    lease: { waitMs: options.lockTimeoutSeconds * 1000, ttlMs: settings.deploy.leaseTtlSeconds * 1000 },
  });
}
