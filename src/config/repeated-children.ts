/**
 * Children the product accepts twice under one parent (a warning at most, where idm-toolkit's rule
 * is otherwise duplicate-identifier): an EntityTypeMapping that maps one property twice. The first
 * is kept and the others are dropped before any check, so that the item, its keys and the
 * synchronization see the property once.
 */
import { position } from "./check-attributes.js";
import type { ConfigElement } from "./configuration.js";
import { formatPosition, type Problem } from "./problems.js";

const REPEATABLE: ReadonlySet<string> = new Set(["EntityTypeMapping/Property"]);
const PARENTS: ReadonlySet<string> = new Set([...REPEATABLE].map((pair) => pair.split("/")[0]!));

export function dropRepeatedChildren(parent: ConfigElement, problems: Problem[]): ConfigElement[] {
  if (parent.children.length < 2 || !PARENTS.has(parent.spec.name)) return parent.children;
  const seen = new Map<string, ConfigElement>();
  const kept: ConfigElement[] = [];
  for (const child of parent.children) {
    const key = child.spec.identifierAttribute;
    const id = key === undefined ? undefined : child.attributes[key];
    if (id === undefined || !REPEATABLE.has(`${parent.spec.name}/${child.spec.name}`)) {
      kept.push(child);
      continue;
    }
    const scoped = `${child.spec.name}\u0000${String(id)}`;
    const first = seen.get(scoped);
    if (first === undefined) {
      seen.set(scoped, child);
      kept.push(child);
      continue;
    }
    const parentId = parent.spec.identifierAttribute === undefined ? "" : ` "${String(parent.attributes[parent.spec.identifierAttribute])}"`;
    problems.push({
      code: "duplicate-identifier", severity: "warning", ...position(child.xml),
      message: `${parent.spec.name}${parentId} already has a ${child.spec.name} "${String(id)}", at ${formatPosition(position(first.xml))}; this one is ignored (the first is kept)`,
      related: [position(first.xml)],
    });
  }
  return kept;
}
