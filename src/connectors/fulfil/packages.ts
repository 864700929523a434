/**
 * The fulfilment packages FulfillTask can route orders to, in the order they are asked whether they
 * handle a Connection's Package (the first that does wins). A package added here is reachable from
 * every ResourceTypeMapping whose Connection names it.
 */
import { ldapFulfilPackage } from "../ldap/fulfil-ldap.js";
import { csvPackage } from "./csv-package.js";
import { filePackage } from "./file-package.js";
import { manualPackage } from "./manual-package.js";
import type { FulfilPackage } from "./fulfiller.js";
import { scriptPackage } from "./script-package.js";
import { sqlPackage } from "./sql-package.js";

export const FULFIL_PACKAGES: readonly FulfilPackage[] = [sqlPackage, ldapFulfilPackage, csvPackage, filePackage, scriptPackage, manualPackage];

/** The package that fulfils a Connection's Package, or undefined when none does. */
export function fulfilPackageFor(packageName: string, packages: readonly FulfilPackage[] = FULFIL_PACKAGES): FulfilPackage | undefined {
  return packages.find((p) => p.handles(packageName));
}
