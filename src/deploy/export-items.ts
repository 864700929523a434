/**
 * Export: items written back as configuration files, the inverse of
 * buildItems(validateFolder(dir).configuration). Each item goes back into the file it came from,
 * in source order. Attributes equal to their schema default are left out: deploy applies the
 * defaults again, so deploying the export changes no item.
 */
import type { AttributeValue } from "../config/coerce-attribute.js";
import type { SourcePosition } from "../config/problems.js";
import type { ElementSpec, SchemaCatalog } from "../config/schema/catalog.js";
import { isJobChildren, isTaskChildren, modelChildParts, type Item, type JobStepItem, type ModelChild, type ModelChildren } from "../config/items.js";

export type ExportableItem = Pick<Item, "kind" | "identifier" | "attributes" | "children"> & { source: SourcePosition | null };

interface XmlNode {
  name: string;
  attributes: [string, string][];
  children: XmlNode[];
}

/** What writing one item needs to know about the others. */
interface Context {
  catalog: SchemaCatalog;
  tasks: Map<string, ExportableItem>;
  /** Task item → the job item it is written inside. */
  inlinedIn: Map<ExportableItem, ExportableItem>;
}

export function exportItems(all: ExportableItem[], catalog: SchemaCatalog, defaultFile = "idm-export.xml"): Map<string, string> {
  // A scaffolding's output is not written: the scaffolding item is, and deploying it generates them again.
  const items = all.filter((i) => i.source?.generatedBy === undefined);
  const tasks = new Map(items.filter((i) => itemSpec(i.kind, catalog).kind === "task").map((i) => [i.identifier, i]));
  const context: Context = { catalog, tasks, inlinedIn: inlinedTasks(items, tasks) };
  const byFile = new Map<string, ExportableItem[]>();
  for (const item of items) {
    if (context.inlinedIn.has(item)) continue;
    const file = item.source?.file ?? defaultFile;
    const inFile = byFile.get(file) ?? [];
    inFile.push(item);
    byFile.set(file, inFile);
  }
  const files = new Map<string, string>();
  for (const file of [...byFile.keys()].sort()) {
    const nodes = byFile.get(file)!.sort(bySource).map((item) => itemNode(item, context));
    files.set(file, fileText(nodes, catalog.namespace));
  }
  return files;
}

function itemSpec(kind: string, catalog: SchemaCatalog): ElementSpec {
  const spec = catalog.get(kind);
  if (!spec) throw new Error(`cannot export item kind ${kind}: the schema catalog does not know it`);
  if (!["job", "task", "model"].includes(spec.kind)) throw new Error(`cannot export item kind ${kind}: it is a ${spec.kind} element, not an item`);
  return spec;
}

/** The task items that inline steps write inside their job; each task is written once, in the first job claiming it. */
function inlinedTasks(items: ExportableItem[], tasks: Map<string, ExportableItem>): Map<ExportableItem, ExportableItem> {
  const inlinedIn = new Map<ExportableItem, ExportableItem>();
  for (const job of items) {
    if (job.kind !== "Job" || !isJobChildren(job.children)) continue;
    for (const step of job.children.steps) {
      const task = tasks.get(step.task);
      if (step.kind === "inline" && task && !inlinedIn.has(task)) inlinedIn.set(task, job);
    }
  }
  return inlinedIn;
}

// Items without a source come last, in their given order (sort is stable).
function bySource(a: ExportableItem, b: ExportableItem): number {
  if (!a.source || !b.source) return (a.source ? 0 : 1) - (b.source ? 0 : 1);
  return a.source.line - b.source.line || a.source.column - b.source.column;
}

function itemNode(item: ExportableItem, context: Context): XmlNode {
  const spec = itemSpec(item.kind, context.catalog);
  const attributes = itemAttributes(spec, item);
  if (spec.kind === "job") return { name: item.kind, attributes, children: jobChildren(item, context) };
  if (spec.kind === "task") return { name: item.kind, attributes, children: taskChildren(item) };
  return { name: item.kind, attributes, children: modelChildren(spec, item, context.catalog) };
}

/** The identifier first, then the spec's attributes that differ from their default. */
function itemAttributes(spec: ElementSpec, item: Pick<ExportableItem, "identifier" | "attributes">): [string, string][] {
  // An identifier-less element's identifier is made of its attributes (modelIdentifier): nothing to add.
  if (spec.kind === "model" && spec.identifierAttribute === undefined) return withoutDefaults(spec, item.attributes);
  const identifierAttribute = spec.identifierAttribute ?? "Identifier";
  return [[identifierAttribute, item.identifier], ...withoutDefaults(spec, item.attributes, identifierAttribute)];
}

function withoutDefaults(spec: ElementSpec | undefined, attributes: Record<string, AttributeValue>, identifierAttribute?: string): [string, string][] {
  const values = Object.fromEntries(Object.entries(attributes).filter(([name, value]) =>
    name !== identifierAttribute && value !== spec?.attributes.get(name)?.default));
  return inSpecOrder(spec, values);
}

/**
 * A model element's children, group by group in the order the schema lists them (groups it does
 * not know after, so that validate reports them); keyed children in identifier order; each child's
 * own children inside it, the same way.
 */
function modelChildren(spec: ElementSpec, item: ExportableItem, catalog: SchemaCatalog): XmlNode[] {
  if (isJobChildren(item.children) || isTaskChildren(item.children)) return [];
  return childNodes(spec, item.children, catalog);
}

function childNodes(spec: ElementSpec | undefined, groups: ModelChildren, catalog: SchemaCatalog): XmlNode[] {
  const known = spec?.children ?? [];
  const names = [...known.filter((n) => n in groups), ...Object.keys(groups).filter((n) => !known.includes(n)).sort()];
  return names.flatMap((name) => {
    const childSpec = spec && catalog.child(spec, name);
    const group = groups[name]!;
    const node = (child: ModelChild, identifier?: [string, string]): XmlNode => {
      const { attributes, children } = modelChildParts(child);
      const written = withoutDefaults(childSpec, attributes, identifier?.[0]);
      return { name, attributes: identifier ? [identifier, ...written] : written, children: childNodes(childSpec, children, catalog) };
    };
    if (Array.isArray(group)) return group.map((child) => node(child));
    const key = childSpec?.identifierAttribute ?? "Identifier";
    return Object.entries(group).map(([identifier, child]) => node(child, [key, identifier]));
  });
}

// Attributes the spec does not know (any more) are still written, after the others: validate then
// reports them, rather than the export dropping them silently.
function inSpecOrder(spec: ElementSpec | undefined, values: Record<string, AttributeValue>): [string, string][] {
  const known = [...(spec?.attributes.keys() ?? [])].filter((name) => name in values);
  const unknown = Object.keys(values).filter((name) => !spec?.attributes.has(name)).sort();
  return [...known, ...unknown].map((name) => [name, String(values[name])]);
}

function jobChildren(job: ExportableItem, context: Context): XmlNode[] {
  if (!isJobChildren(job.children)) return [];
  return [...job.children.steps]
    .sort((a, b) => a.launchOrder - b.launchOrder)
    .map((step) => stepNode(job, step, context));
}

function stepNode(job: ExportableItem, step: JobStepItem, context: Context): XmlNode {
  const task = context.tasks.get(step.task);
  if (task && step.kind === "inline" && context.inlinedIn.get(task) === job) return itemNode(task, context);
  const overrideSpec = task && context.catalog.get(`${task.kind}Override`);
  if (overrideSpec && step.kind === "override") {
    const { Identifier: _, ...values } = step.override ?? {};
    return { name: overrideSpec.name, attributes: [["Identifier", step.task], ...inSpecOrder(overrideSpec, values)], children: [] };
  }
  // A Step's Level -1 means "the task's own Level", so Level is written only where they differ.
  const taskLevel = typeof task?.attributes.Level === "number" ? task.attributes.Level : -1;
  const attributes: [string, string][] = [["Identifier", step.task]];
  if (step.level !== taskLevel) attributes.push(["Level", String(step.level)]);
  return { name: "Step", attributes, children: [] };
}

function taskChildren(task: ExportableItem): XmlNode[] {
  if (!isTaskChildren(task.children)) return [];
  const leaves = (name: string, attribute: string, values: string[]): XmlNode[] =>
    values.map((value) => ({ name, attributes: [[attribute, value]], children: [] }));
  return [
    ...leaves("TaskDependsOnTask", "ParentTask", task.children.dependsOn),
    ...leaves("TaskEntityType", "EntityType", task.children.entityTypes),
    ...leaves("TaskResourceType", "ResourceType", task.children.resourceTypes),
  ];
}

function fileText(nodes: XmlNode[], namespace: string): string {
  const body = nodes.map((node) => nodeText(node, 1)).join("");
  return `<?xml version="1.0" encoding="utf-8"?>\n<ConfigurationFile xmlns="${escapeAttribute(namespace)}">\n${body}</ConfigurationFile>\n`;
}

function nodeText(node: XmlNode, depth: number): string {
  const indent = "  ".repeat(depth);
  const attributes = node.attributes.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join("");
  if (node.children.length === 0) return `${indent}<${node.name}${attributes}/>\n`;
  const children = node.children.map((child) => nodeText(child, depth + 1)).join("");
  return `${indent}<${node.name}${attributes}>\n${children}${indent}</${node.name}>\n`;
}

// Tab, newline and carriage return as character references: written raw, XML attribute-value
// normalisation would turn them into spaces.
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;" };

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"\t\n\r]/g, (c) => ESCAPES[c]!);
}
