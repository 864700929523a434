/**
 * ConsolidationMode (jobs-and-deploy.md §3.6): elements written over items that a module or a
 * scaffolding defines. Pure: elements in, elements and problems out; no file, no store.
 *
 *   applyOverlays(base, overlays, problems) → { elements, contributions }
 *
 * - `base`: the module's or the scaffolding's top-level elements, in their order.
 * - `overlays`: the configuration's own top-level elements, in file order, each with its
 *   `consolidationMode` (undefined = absent).
 * - Keys: a task's Identifier (all task types share one space), `Job` + Identifier, or the element
 *   name + its identifier attribute. Elements without a key pass through untouched.
 * - Absent or Replace: the overlay takes the place of the base item of the same key (no duplicate);
 *   two configuration elements of the same key both stay, for validation to report the duplicate.
 * - Merge: the base's attributes and children, plus the overlay's (overlay values win; children
 *   with an identifier merged by it, recursively, each child's own ConsolidationMode applying;
 *   children without one appended). Update: the overlay's attributes, the base's children.
 *   Delete: the base item goes. Merge, Update and Delete apply after every Replace, in document
 *   order, so they also change items that another configuration file defines.
 * - Merge, Update or Delete with no base item: `unmatched`, left out. The configuration's fragments
 *   wait for the scaffoldings' output (scaffoldings/expand.ts applies them over it); what is still
 *   unmatched after is `overlay-without-base` (reportUnmatchedOverlays).
 * - `contributions`: per resulting element, the sources that made it (base first), for plan and show.
 */
import { applyDefaults, position } from "./check-attributes.js";
import type { ConfigElement } from "./configuration.js";
import type { Problem } from "./problems.js";
import type { ConsolidationMode } from "./vendor-attributes.js";
import type { XmlElement } from "./xml-tree.js";

export interface Contribution {
  file: string;
  line: number;
  column: number;
  /** "Base" for the element that defined the item, else the overlay's mode. */
  mode: ConsolidationMode | "Base";
  /** On a base that a scaffolding generated: the scaffolding's element name (the position is the scaffolding's). */
  generatedBy?: string;
  /**
   * On a scaffolding's own item, an overlay of what it generates: the item it changed ("SynchronizeTask X")
   * and the fragment as written, which export writes back (the scaffolding's output is not exported).
   */
  over?: string;
  fragment?: XmlFragment;
}

/** An element as written, without positions: what export needs to write an overlay fragment back. */
export interface XmlFragment {
  name: string;
  attributes: [string, string][];
  children: XmlFragment[];
}

export interface OverlayResult {
  elements: ConfigElement[];
  contributions: Map<ConfigElement, Contribution[]>;
  /** Merge, Update and Delete fragments that found no item to change, in document order. */
  unmatched: ConfigElement[];
}

/** The key under which an element is overlaid: undefined when it has no identifier. */
export function overlayKey(element: ConfigElement): string | undefined {
  const { spec } = element;
  const attribute = spec.identifierAttribute ?? (spec.kind === "task" || spec.kind === "job" ? "Identifier" : undefined);
  // A fragment carries no defaults: one for a setting (MailSetting) names it by its default identifier.
  const id = attribute === undefined ? undefined : element.attributes[attribute] ?? spec.attributes.get(attribute)?.default;
  if (id === undefined) return undefined;
  const space = spec.kind === "task" ? "#task" : spec.name;
  return `${space}\u0000${String(id)}`;
}

export function applyOverlays(base: readonly ConfigElement[], overlays: readonly ConfigElement[]): OverlayResult {
  const contributions = new Map<ConfigElement, Contribution[]>();
  const slots: (ConfigElement | undefined)[] = [];
  const byKey = new Map<string, number>();
  const place = (element: ConfigElement, mode: Contribution["mode"]): void => {
    const key = overlayKey(element);
    if (key !== undefined && !byKey.has(key)) byKey.set(key, slots.length);
    contributions.set(element, [contribution(element, mode)]);
    slots.push(element);
  };
  for (const element of base) place(element, "Base");
  const baseCount = slots.length;
  const replaced = new Set<number>();
  const fragments: ConfigElement[] = [];
  const unmatched: ConfigElement[] = [];
  for (const overlay of overlays) {
    const mode = overlay.consolidationMode;
    if (mode !== undefined && mode !== "Replace") {
      fragments.push(overlay);
      continue;
    }
    const key = overlayKey(overlay);
    const at = key === undefined ? undefined : byKey.get(key);
    // A base item is replaced once; a second configuration element of the key is a duplicate.
    if (at !== undefined && at < baseCount && !replaced.has(at)) {
      replaced.add(at);
      contributions.set(overlay, [...contributions.get(slots[at]!)!, contribution(overlay, mode ?? "Replace")]);
      contributions.delete(slots[at]!);
      slots[at] = overlay;
    } else place(overlay, "Base");
  }
  for (const fragment of fragments) {
    const key = overlayKey(fragment);
    const at = key === undefined ? undefined : byKey.get(key);
    const target = at === undefined ? undefined : slots[at];
    const mode = fragment.consolidationMode!;
    if (target === undefined && key !== undefined && fragment.spec.kind === "task" && overlayInlineTask(slots, key, fragment, contributions)) continue;
    if (target === undefined) {
      unmatched.push(fragment);
      continue;
    }
    const before = contributions.get(target)!;
    contributions.delete(target);
    if (mode === "Delete") {
      slots[at!] = undefined;
      byKey.delete(key!);
      continue;
    }
    const merged = mode === "Merge" ? mergeElements(target, fragment) : { ...target, attributes: fragment.attributes };
    contributions.set(merged, [...before, contribution(fragment, mode)]);
    slots[at!] = merged;
  }
  return { elements: slots.filter((e): e is ConfigElement => e !== undefined), contributions, unmatched };
}

/** The fragments that changed nothing, once every module, configuration and generated item is known. */
export function reportUnmatchedOverlays(unmatched: readonly ConfigElement[], problems: Problem[]): void {
  for (const fragment of unmatched) {
    const mode = fragment.consolidationMode!;
    problems.push({
      code: "overlay-without-base", severity: "warning", ...position(fragment.xml),
      message: `${fragment.xml.name}${describe(fragment)} ConsolidationMode="${mode}": no module, generated or configuration item has this identifier; ` +
        (mode === "Delete" ? "nothing to delete" : "nothing to change, the fragment is left out (not deployed)"),
    });
  }
}

/** The element as written (its XML, not its typed attributes), for export to write back. */
export function xmlFragment(xml: XmlElement): XmlFragment {
  return { name: xml.name, attributes: xml.attributes.map((a) => [a.name, a.value]), children: xml.children.map(xmlFragment) };
}

/**
 * A task fragment whose task is written inside a Job (tasks share one identifier space wherever
 * they stand): the Job gets the changed task in its place. False when no Job holds it.
 */
function overlayInlineTask(slots: (ConfigElement | undefined)[], key: string, fragment: ConfigElement, contributions: Map<ConfigElement, Contribution[]>): boolean {
  for (const [at, job] of slots.entries()) {
    if (job === undefined || job.spec.kind !== "job") continue;
    const i = job.children.findIndex((c) => c.spec.kind === "task" && overlayKey(c) === key);
    if (i === -1) continue;
    const task = job.children[i]!;
    const before = contributions.get(task) ?? [contribution(task, "Base")];
    contributions.delete(task);
    const mode = fragment.consolidationMode!;
    const changed = mode === "Delete" ? undefined : mode === "Merge" ? mergeElements(task, fragment) : { ...task, attributes: fragment.attributes };
    if (changed !== undefined) contributions.set(changed, [...before, contribution(fragment, mode)]);
    const children = job.children.flatMap((c, j) => (j !== i ? [c] : changed !== undefined ? [changed] : []));
    const jobContributions = contributions.get(job)!;
    contributions.delete(job);
    slots[at] = { ...job, children };
    contributions.set(slots[at]!, jobContributions);
    return true;
  }
  return false;
}

/** Merge: base attributes overwritten by the overlay's, children merged by identifier. */
export function mergeElements(base: ConfigElement, overlay: ConfigElement): ConfigElement {
  const children = [...base.children];
  const at = new Map<string, number>();
  for (const [i, child] of children.entries()) {
    const key = childKey(child);
    if (key !== undefined && !at.has(key)) at.set(key, i);
  }
  const deleted = new Set<number>();
  for (const child of overlay.children) {
    const key = childKey(child);
    const i = key === undefined ? undefined : at.get(key);
    const mode = child.consolidationMode;
    if (i === undefined) {
      if (mode === "Delete") continue;
      if (key !== undefined) at.set(key, children.length);
      children.push(child);
    } else if (mode === "Delete") deleted.add(i);
    else if (mode === "Update") children[i] = { ...children[i]!, attributes: child.attributes };
    // A child merges by default inside a Merge: a Property fragment changes one attribute.
    else if (mode === undefined || mode === "Merge") children[i] = mergeElements(children[i]!, child);
    else children[i] = child;
  }
  return {
    ...base,
    attributes: { ...base.attributes, ...overlay.attributes },
    children: children.filter((_, i) => !deleted.has(i)),
  };
}

function childKey(child: ConfigElement): string | undefined {
  const attribute = child.spec.identifierAttribute;
  const id = attribute === undefined ? undefined : child.attributes[attribute];
  return id === undefined ? undefined : `${child.spec.name}\u0000${String(id)}`;
}

export function contribution(element: ConfigElement, mode: Contribution["mode"]): Contribution {
  const { file, line, column } = element.xml.span;
  return { file, line, column, mode, ...(element.generatedBy !== undefined ? { generatedBy: element.generatedBy } : {}) };
}

export function describe(element: ConfigElement): string {
  const key = overlayKey(element);
  return key === undefined ? "" : ` "${key.split("\u0000")[1]}"`;
}

/** Defaults of a merged element, filled only where neither the base nor a fragment wrote a value. */
export function fillDefaults(element: ConfigElement): void {
  if (element.spec.kind !== "override") applyDefaults(element.spec, element.attributes);
  for (const child of element.children) fillDefaults(child);
}
