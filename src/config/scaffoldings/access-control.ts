/**
 * Access-control scaffoldings whose output the reference states precisely: filled in once
 * AccessControlRule is a modelled element.
 */
import type { ConfigElement, Configuration } from "../configuration.js";
import type { ElementPlan } from "./generated-elements.js";

export const ACCESS_CONTROL_SCAFFOLDINGS: readonly string[] = [];

export function planAccessControl(_scaffolding: ConfigElement, _configuration: Configuration): ElementPlan[] {
  return [];
}
