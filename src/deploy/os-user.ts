import { userInfo } from "node:os";

/**
 * Who did it, for the records that name a person: the deploy ledger and the provisioning review
 * (`idm orders approve|decline|complete`). The OS user; `userInfo` throws for a uid without a
 * passwd entry (containers), hence the fallback.
 */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? "unknown";
  }
}
