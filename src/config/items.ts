/**
 * Items are what deploy stores: one per addressable element (Job, task, model element), keyed by
 * kind and identifier, canonical and hashed. The hash leaves the source span out, so reformatting a
 * file or moving an element to another file changes no item.
 */
import { hash } from "node:crypto";
import type { AttributeValue } from "./coerce-attribute.js";
import { modelIdentifier, type ConfigElement, type Configuration, type JobDefinition, type TaskDefinition } from "./configuration.js";
import type { Contribution } from "./overlays.js";
import type { SourcePosition } from "./problems.js";

export interface JobStepItem {
  task: string;
  /** Launch group: the Step's or override's Level when set, else the task's. */
  level: number;
  /** 1-based document order inside the job. */
  launchOrder: number;
  kind: "inline" | "step" | "override";
  /** Attributes the override changes for this job (absent unless kind is "override"). */
  override?: Record<string, AttributeValue>;
}

export interface TaskChildren {
  dependsOn: string[];
  entityTypes: string[];
  resourceTypes: string[];
}

export interface JobChildren {
  steps: JobStepItem[];
}

/** A model element's child's attributes, its identifier attribute left out when it is the key. */
export type ModelChildAttributes = Record<string, AttributeValue>;

/**
 * Reserved key, in a stored child, of that child's own children (Risk > Rule > Item). No XML
 * attribute name can begin with `@`, and a child without children has no such key, so one-level
 * children keep the JSON (and item hash) they had before children could nest.
 */
export const NESTED_CHILDREN = "@children";

/** A stored child: its attributes, and its own children under NESTED_CHILDREN when it has some. */
export type ModelChild = Record<string, AttributeValue | ModelChildren>;

/**
 * A model element's children, by element name (`Property`, `Column`, `Transformation`): keyed by
 * identifier and sorted when the child has one (their order means nothing: `<Property>` of an
 * EntityType), else a list in document order; a list too where the order means something although
 * the child has an identifier (x-ordered: a workflow's activities). Groups without children are left out, so an element
 * without children has `{}`.
 */
export type ModelChildren = { [name: string]: Record<string, ModelChild> | ModelChild[] };

/** A stored child's attributes and its own children ({} when none). */
export function modelChildParts(child: ModelChild): { attributes: ModelChildAttributes; children: ModelChildren } {
  const { [NESTED_CHILDREN]: nested, ...attributes } = child;
  return { attributes: attributes as ModelChildAttributes, children: (nested ?? {}) as ModelChildren };
}

export type ItemChildren = TaskChildren | JobChildren | ModelChildren;

export interface Item {
  /** "Job", the task type ("ExportTask"), or the model element ("Agent"). */
  kind: string;
  identifier: string;
  attributes: Record<string, AttributeValue>;
  children: ItemChildren;
  source: SourcePosition;
  hash: string;
  /**
   * The files that made an overlaid item (overlays.ts), base first: absent for an item written once.
   * Not part of the hash: moving a fragment to another file changes no item.
   */
  contributions?: Contribution[];
}

export function isJobChildren(children: ItemChildren): children is JobChildren {
  return "steps" in children;
}

export function isTaskChildren(children: ItemChildren): children is TaskChildren {
  return "dependsOn" in children;
}

export function buildItems(configuration: Configuration): Item[] {
  const tasks = new Map(configuration.tasks.map((t) => [t.identifier, t]));
  const built: { item: Item; element: ConfigElement }[] = [];
  for (const job of configuration.jobs) built.push({ item: item("Job", job.identifier, job.element, jobChildren(job, tasks)), element: job.element });
  for (const task of configuration.tasks) built.push({ item: item(task.type, task.identifier, task.element, taskChildren(task)), element: task.element });
  const derived = new Set<string>();
  for (const model of configuration.models) {
    const id = modelIdentifier(model);
    if (id === undefined) continue;
    // An identifier-less rule written twice alike is one rule (check-references warns).
    if (model.spec.identifierAttribute === undefined) {
      const key = `${model.spec.name}\u0000${id}`;
      if (derived.has(key)) continue;
      derived.add(key);
    }
    built.push({ item: item(model.spec.name, id, model, modelChildren(model)), element: model });
  }
  const contributions = configuration.contributions;
  for (const { item, element } of built) {
    const made = contributions?.get(element);
    if (made !== undefined) item.contributions = made;
  }
  return built.map((b) => b.item);
}

function item(kind: string, identifier: string, element: ConfigElement, children: ItemChildren): Item {
  const key = element.spec.identifierAttribute ?? "Identifier";
  const attributes = sortedAttributes(element.attributes, key);
  const { file, line, column } = element.xml.span;
  // generatedBy stays out of the hash: it says where an item comes from, as the position does.
  const source = element.generatedBy === undefined ? { file, line, column } : { file, line, column, generatedBy: element.generatedBy };
  const json = { attributes: JSON.stringify(attributes), children: JSON.stringify(children) };
  const built = { kind, identifier, attributes, children, source, hash: hashOfJson(kind, identifier, json) };
  builtJson.set(built, json);
  return built;
}

export interface ItemJson {
  attributes: string;
  children: string;
}

/** The JSON of each built item's attributes and children: made once for its hash, then stored as it is. */
const builtJson = new WeakMap<Item, ItemJson>();

export function itemJson(item: Item): ItemJson {
  return builtJson.get(item) ?? { attributes: JSON.stringify(item.attributes), children: JSON.stringify(item.children) };
}

/**
 * The item hash: SHA-256 of the canonical JSON. Items are built with their keys already in
 * canonical order (a test holds buildItems to it), so plain JSON.stringify is that JSON, at half
 * the cost of sorting again.
 */
export function itemHash(kind: string, identifier: string, attributes: unknown, children: unknown): string {
  return hashOfJson(kind, identifier, { attributes: JSON.stringify(attributes), children: JSON.stringify(children) });
}

/** The hash of JSON.stringify({ attributes, children, identifier, kind }), written from the parts' JSON. */
function hashOfJson(kind: string, identifier: string, json: ItemJson): string {
  return sha256(`{"attributes":${json.attributes},"children":${json.children},"identifier":${JSON.stringify(identifier)},"kind":${JSON.stringify(kind)}}`);
}

function sortedAttributes(attributes: Record<string, AttributeValue>, without?: string): Record<string, AttributeValue> {
  const sorted: Record<string, AttributeValue> = {};
  for (const name of Object.keys(attributes).sort()) if (name !== without) sorted[name] = attributes[name]!;
  return sorted;
}

function jobChildren(job: JobDefinition, tasks: Map<string, TaskDefinition>): JobChildren {
  return {
    steps: job.steps.map((step, index) => {
      const own = step.kind === "inline" ? undefined : step.element.attributes.Level;
      const taskLevel = tasks.get(step.task)?.element.attributes.Level;
      const level = typeof own === "number" && own !== -1 ? own : typeof taskLevel === "number" ? taskLevel : -1;
      // Keys in canonical (sorted) order, see itemHash.
      const override = step.kind === "override" ? { override: sortedAttributes(step.element.attributes, "Identifier") } : {};
      return { kind: step.kind, launchOrder: index + 1, level, ...override, task: step.task };
    }),
  };
}

function taskChildren(task: TaskDefinition): TaskChildren {
  const values = (name: string, attribute: string): string[] =>
    task.element.children.filter((c) => c.spec.name === name).map((c) => String(c.attributes[attribute])).sort();
  return {
    dependsOn: values("TaskDependsOnTask", "ParentTask"),
    entityTypes: values("TaskEntityType", "EntityType"),
    resourceTypes: values("TaskResourceType", "ResourceType"),
  };
}

function modelChildren(model: ConfigElement): ModelChildren {
  const groups = new Map<string, ConfigElement[]>();
  for (const child of model.children) groups.set(child.spec.name, [...(groups.get(child.spec.name) ?? []), child]);
  const children: ModelChildren = {};
  for (const name of [...groups.keys()].sort()) {
    const elements = groups.get(name)!;
    const key = elements[0]!.spec.identifierAttribute;
    if (key === undefined || elements[0]!.spec.ordered) {
      children[name] = elements.map((e) => modelChild(e));
      continue;
    }
    // Validation reports duplicates; were one to get here, the last would win.
    const keyed = new Map(elements.map((e) => [String(e.attributes[key]), modelChild(e, key)]));
    children[name] = Object.fromEntries([...keyed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return children;
}

/** A child's sorted attributes, its own children first when it has some (`@` sorts before any attribute name). */
function modelChild(element: ConfigElement, without?: string): ModelChild {
  const attributes = sortedAttributes(element.attributes, without);
  if (element.children.length === 0) return attributes;
  return { [NESTED_CHILDREN]: modelChildren(element), ...attributes };
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  // A sorted copy stringified once is about twice as fast as building the text by hand.
  return JSON.stringify(sortedCopy(value));
}

function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort()) if (source[key] !== undefined) copy[key] = sortedCopy(source[key]);
  return copy;
}

export function sha256(text: string): string {
  return hash("sha256", text);
}

/** Hash of a set of items, whatever their order: a configuration's, or the stored state's. */
export function setHash(entries: { kind: string; identifier: string; hash: string }[]): string {
  const lines = entries.map((e) => `${e.kind}\u0000${e.identifier}\u0000${e.hash}`).sort();
  return sha256(lines.join("\n"));
}
