/**
 * Turns the parsed files of a folder into a Configuration: checks the root, which element may
 * stand where, and each element's attributes; collects jobs, their steps and tasks. Cross-element
 * rules (references, duplicates, cycles) are check-references.ts's job.
 */
import { applyDefaults, checkAttributes, position } from "./check-attributes.js";
import type { AttributeValue } from "./coerce-attribute.js";
import { deriveTaskIdentifier, type ConfigElement, type Configuration, type JobDefinition, type JobStep } from "./configuration.js";
import { closestName } from "./did-you-mean.js";
import type { TaskType } from "./generated/schema-types.js";
import type { Problem } from "./problems.js";
import { dropRepeatedChildren } from "./repeated-children.js";
import type { ElementSpec, SchemaCatalog } from "./schema/catalog.js";
import { CONSOLIDATION_MODE, readConsolidationMode, TEMPLATE_TRANSFORMATION } from "./vendor-attributes.js";
import { isTopLevel, type Vocabulary } from "./vocabulary.js";
import { attributeValue, type XmlElement } from "./xml-tree.js";

export interface ParsedRoot {
  file: string;
  root: XmlElement;
}

export function readConfiguration(files: string[], roots: ParsedRoot[], catalog: SchemaCatalog, vocabulary: Vocabulary, problems: Problem[]): Configuration {
  const reader = new ConfigurationReader(catalog, vocabulary, problems);
  for (const { file, root } of roots) reader.readFile(file, root);
  return reader.finish(files);
}

class ConfigurationReader {
  readonly configuration: Configuration = { files: [], jobs: [], tasks: [], models: [], unsupported: [] };
  readonly #unsupportedSeen = new Map<string, Problem>();
  readonly #rootSpec: ElementSpec;

  constructor(
    readonly catalog: SchemaCatalog,
    readonly vocabulary: Vocabulary,
    readonly problems: Problem[],
  ) {
    this.#rootSpec = catalog.get("ConfigurationFile")!;
  }

  readFile(file: string, root: XmlElement): void {
    if (root.name !== "ConfigurationFile") {
      this.#error("wrong-root", root, `the root element is ${root.name}; a configuration file's root is ConfigurationFile`,
        `wrap the content in <ConfigurationFile xmlns="${this.catalog.namespace}">`);
      return;
    }
    this.#checkNamespace(root);
    const fileOwner = file.replace(/\.xml$/i, "").replace(/[^A-Za-z0-9]+/g, "_");
    const ordinals = new Map<string, number>();
    for (const child of root.children) {
      const element = this.#element(child, this.#rootSpec);
      if (!element) continue;
      if (element.spec.kind === "job") this.#job(element);
      else if (element.spec.kind === "task") this.#task(element, fileOwner, ordinals);
      else this.configuration.models.push(element);
    }
  }

  finish(files: string[]): Configuration {
    this.configuration.files = files;
    // The warning stands at a kind's first element and counts them all, known only now.
    for (const [name, problem] of this.#unsupportedSeen) {
      const count = this.configuration.unsupported.filter((u) => u.name === name).length;
      problem.message = `${name} is not modelled by idm-toolkit yet: ${count} element${count === 1 ? "" : "s"} of this kind ignored (not deployed)`;
    }
    return this.configuration;
  }

  #checkNamespace(root: XmlElement): void {
    const ns = attributeValue(root, "xmlns");
    if (ns === this.catalog.namespace) return;
    this.problems.push({
      code: "wrong-namespace",
      severity: ns === undefined ? "warning" : "error",
      message: ns === undefined
        ? "ConfigurationFile has no namespace"
        : `ConfigurationFile is in namespace "${ns}", not "${this.catalog.namespace}"`,
      hint: `write <ConfigurationFile xmlns="${this.catalog.namespace}">`,
      ...position(root),
    });
  }

  #job(element: ConfigElement): void {
    const identifier = String(element.attributes.Identifier ?? "");
    const job: JobDefinition = { identifier, element, steps: [] };
    const ordinals = new Map<string, number>();
    for (const child of element.children) {
      const kind = child.spec.kind;
      if (kind === "task") {
        const task = this.#task(child, identifier, ordinals);
        job.steps.push({ kind: "inline", task, element: child });
      } else if (kind === "step" || kind === "override") {
        const step: JobStep = { kind: kind === "step" ? "step" : "override", task: String(child.attributes.Identifier ?? ""), element: child };
        job.steps.push(step);
      }
    }
    this.configuration.jobs.push(job);
  }

  #task(element: ConfigElement, owner: string, ordinals: Map<string, number>): string {
    const type = element.spec.name as TaskType;
    let identifier = element.attributes.Identifier as string | undefined;
    const derived = identifier === undefined;
    if (identifier === undefined) {
      const ordinal = (ordinals.get(type) ?? 0) + 1;
      ordinals.set(type, ordinal);
      identifier = deriveTaskIdentifier(owner, type, ordinal);
    }
    this.configuration.tasks.push({ type, identifier, derivedIdentifier: derived, element });
    return identifier;
  }

  /** Checks an element where it stands; undefined when it is not one idm-toolkit models there. */
  #element(xml: XmlElement, parent: ElementSpec): ConfigElement | undefined {
    const spec = this.catalog.child(parent, xml.name);
    if (spec) return this.#isOverlay(xml, spec) ? undefined : this.#checked(xml, spec);
    const modelled = this.catalog.named(xml.name).length > 0;
    const entry = this.vocabulary.get(xml.name);
    const unsupportedHere = entry && !modelled && isTopLevel(entry) &&
      (parent.kind === "root" || (parent.kind === "job" && entry.kinds.has("task")));
    if (unsupportedHere) {
      this.#unsupported(xml, entry.kinds.has("task"));
      return undefined;
    }
    if (!modelled && entry === undefined) {
      this.#error("unknown-element", xml, `unknown element ${xml.name}`, this.#unknownHint(xml.name, parent));
    } else {
      const hint = parent.kind === "task" || parent.kind === "model" || parent.kind === "model-child"
        ? parent.children.length > 0 ? `${parent.name} accepts only ${parent.children.join(", ")}` : `${parent.name} has no child elements`
        : `${xml.name} belongs in ${this.#allowedParents(xml.name)}`;
      this.#error("unknown-element", xml, `${xml.name} is not allowed in ${parent.name}`, hint);
    }
    return undefined;
  }

  /**
   * A Merge, Update or Delete fragment changes an item that a module or a scaffolding defines,
   * which idm-toolkit does not read yet: deploying the fragment as a whole item would replace that
   * item with a part of it, so it is left out, and said so. Absent or Replace: an ordinary element.
   */
  #isOverlay(xml: XmlElement, spec: ElementSpec): boolean {
    if (spec.attributes.has(CONSOLIDATION_MODE)) return false;
    const attr = xml.attributes.find((a) => a.name === CONSOLIDATION_MODE);
    if (attr === undefined) return false;
    const read = readConsolidationMode(attr.value);
    if (!("mode" in read)) {
      this.problems.push({
        code: "invalid-value", severity: "error", ...position(attr),
        message: `${xml.name} ${CONSOLIDATION_MODE}="${attr.value}" is not valid: expected Replace, Merge, Update or Delete (absent means Replace)`,
        ...(read.closest ? { hint: `did you mean ${read.closest}?` } : {}),
      });
      return false;
    }
    if (read.mode === "Replace") return false;
    const identifier = spec.identifierAttribute === undefined ? undefined : attributeValue(xml, spec.identifierAttribute);
    this.problems.push({
      code: "unsupported-attribute", severity: "warning", ...position(attr),
      message: `${xml.name}${identifier === undefined ? "" : ` "${identifier}"`} ${CONSOLIDATION_MODE}="${attr.value}": idm-toolkit does not apply overlays yet; this fragment is ignored (not deployed)`,
    });
    return true;
  }

  #checked(xml: XmlElement, spec: ElementSpec): ConfigElement {
    const template = spec.attributes.has(TEMPLATE_TRANSFORMATION) ? undefined : xml.attributes.find((a) => a.name === TEMPLATE_TRANSFORMATION);
    if (template !== undefined) {
      this.problems.push({
        code: "unsupported-attribute", severity: "warning", ...position(template),
        message: `${xml.name} ${TEMPLATE_TRANSFORMATION}="${template.value}" is not applied by idm-toolkit: the element is deployed as written`,
      });
    }
    const attributes: Record<string, AttributeValue> = checkAttributes(xml, spec, this.problems);
    if (spec.kind !== "override") applyDefaults(spec, attributes);
    const children = spec.open ? [] : xml.children.flatMap((c) => this.#element(c, spec) ?? []);
    const element: ConfigElement = { spec, attributes, children, xml };
    element.children = dropRepeatedChildren(element, this.problems);
    return element;
  }

  #unsupported(xml: XmlElement, isTask: boolean): void {
    const identifier = attributeValue(xml, "Identifier");
    this.configuration.unsupported.push({ name: xml.name, isTask, xml, ...(identifier ? { identifier } : {}) });
    if (this.#unsupportedSeen.has(xml.name)) return;
    const problem: Problem = { code: "unsupported-element", severity: "warning", message: "", ...position(xml) };
    this.#unsupportedSeen.set(xml.name, problem);
    this.problems.push(problem);
  }

  /** Where a known element may stand, in words: "Job", "a task element", or the documented parents. */
  #allowedParents(name: string): string {
    const modelled = [...this.catalog.elements.values()].filter((s) => s.children.includes(name));
    const places = new Set(modelled.map((s) => (s.kind === "task" ? "a task element" : s.name)));
    for (const parent of this.vocabulary.get(name)?.parents ?? []) if (parent !== "*Task") places.add(parent);
    return [...places].join(" or ");
  }

  #unknownHint(name: string, parent: ElementSpec): string | undefined {
    const candidates = parent.kind === "root" ? [...parent.children, ...this.vocabulary.topLevelNames()] : parent.children;
    const closest = closestName(name, candidates.filter((c) => c !== name));
    return closest === undefined ? undefined : `did you mean ${closest}?`;
  }

  #error(code: Problem["code"], xml: XmlElement, message: string, hint?: string): void {
    this.problems.push({ code, severity: "error", message, ...position(xml), ...(hint ? { hint } : {}) });
  }
}
