/** Deploy refusals, each with a stable code the CLI prints and tests match. */
export type DeployErrorCode = "stale-plan" | "deletion-guard" | "lease-busy" | "invalid-configuration" | "invalid-plan" | "unknown-deployment";

export class DeployError extends Error {
  constructor(
    readonly code: DeployErrorCode,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}
