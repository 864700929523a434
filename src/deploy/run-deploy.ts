/**
 * The one way a configuration is deployed with the runtime settings: `idm deploy`, `idm rollback`
 * and DeployConfigurationTask all call runDeploy, so they share the engine, the deletion guard of
 * `Deploy.MaxDeletes` / `Deploy.MaxDeletePercent` and the `deploy` lease with its TTL. Callers map
 * the refusals (DeployError, LeaseBusyError) to their own way of reporting them. validateForDeploy
 * is the validation that comes before: the settings' limits and the checks against the settings.
 */
import type { Problem } from "../config/problems.js";
import type { Settings } from "../config/settings.js";
import { validateFolder, type ValidationResult } from "../config/validate-folder.js";
import type { LeaseBusyError } from "../store/lease.js";
import type { Store } from "../store/store.js";
import { deploy, type DeployResult } from "./apply.js";
import { SourceFingerprint } from "../config/source-fingerprint.js";
import { folderItems, type DesiredItems, type FolderItems } from "./desired-items.js";
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
  /** Ends the wait for the `deploy` lease (a cancelled job). */
  signal?: AbortSignal;
  /** Told when another deploy holds the lease and this one starts waiting. */
  onLeaseWait?: (busy: LeaseBusyError) => void;
}

export function runDeploy(settings: Settings, store: Store, items: DesiredItems, options: RunDeployOptions): Promise<DeployResult> {
  const { signal, onLeaseWait, ...deployOptions } = options;
  return deploy(store, items, {
    ...deployOptions,
    guard: settings.deploy,
    lease: {
      waitMs: options.lockTimeoutSeconds * 1000,
      ttlMs: settings.deploy.leaseTtlSeconds * 1000,
      ...(signal ? { signal } : {}),
      ...(onLeaseWait ? { onWait: onLeaseWait } : {}),
    },
  });
}

export interface DeployValidation {
  result: ValidationResult;
  errors: Problem[];
  /** The items to deploy, with the fingerprint of their files: not to be deployed when there are errors. */
  items: FolderItems;
}

/** A folder validated as deploy validates it: the settings' limits and the checks against the settings. */
export function validateForDeploy(folder: string, settings: Settings): DeployValidation {
  const fingerprint = new SourceFingerprint();
  const result = validateFolder(folder, settings.validation, settings, fingerprint);
  const errors = result.problems.filter((p) => p.severity === "error");
  return { result, errors, items: folderItems(result.configuration, fingerprint.digest()) };
}
