/**
 * A Universe's association instances join two of its own entity instances (README, Reporting):
 * Instance1 and Instance2 name EntityInstance children of the same Universe.
 */
import { position } from "./check-attributes.js";
import { memberIdentifiers, type ConfigElement } from "./configuration.js";
import { closestName } from "./did-you-mean.js";
import type { Problem } from "./problems.js";
import { findAttribute } from "./xml-tree.js";

export function checkUniverses(models: readonly ConfigElement[], problems: Problem[]): void {
  for (const universe of models) {
    if (universe.spec.name !== "Universe") continue;
    const instances = memberIdentifiers(universe, "EntityInstance");
    for (const association of universe.children) {
      if (association.spec.name !== "AssociationInstance") continue;
      for (const name of ["Instance1", "Instance2"]) {
        const value = association.attributes[name];
        if (typeof value !== "string" || instances.includes(value)) continue;
        const closest = closestName(value, instances);
        problems.push({
          code: "unresolved-reference", severity: "error", ...position(findAttribute(association.xml, name) ?? association.xml),
          message: `AssociationInstance ${name}="${value}": Universe "${String(universe.attributes.Identifier)}" has no EntityInstance with this identifier`,
          ...(closest ? { hint: `did you mean ${closest}?` } : {}),
        });
      }
    }
  }
}
