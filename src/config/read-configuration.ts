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
import { applyOverlays, fillDefaults } from "./overlays.js";
import { CONSOLIDATION_MODE, readConsolidationMode, TEMPLATE_TRANSFORMATION, type ConsolidationMode } from "./vendor-attributes.js";
import { isTopLevel, type Vocabulary } from "./vocabulary.js";
import { attributeValue, type XmlElement } from "./xml-tree.js";

export interface ParsedRoot {
  file: string;
  root: XmlElement;
}

/** A module's files, read as the base layer that the configuration overlays (overlays.ts). */
export interface LoadedModule {
  /** The module element's name: BootstrapModule. */
  name: string;
  /** Its folder relative to the configuration folder; undefined when missing. */
  folder?: string;
  roots: ParsedRoot[];
}

/** Elements that turn a module on (jobs-and-deploy.md §3.7): the XML of Modules/<name without "Module">/. */
export const MODULE_ELEMENTS: ReadonlySet<string> = new Set(["BootstrapModule", "WorkforceModule"]);

/** Deepest child level read below a top-level element (a form's controls rarely nest more than four). */
export const MAX_CHILD_DEPTH = 32;

export function readConfiguration(
  files: string[], roots: ParsedRoot[], catalog: SchemaCatalog, vocabulary: Vocabulary, problems: Problem[], modules: LoadedModule[] = [],
): Configuration {
  const reader = new ConfigurationReader(catalog, vocabulary, problems, modules);
  for (const module of modules) for (const { file, root } of module.roots) reader.readFile(file, root, "module");
  for (const { file, root } of roots) reader.readFile(file, root, "configuration");
  return reader.finish(files);
}

class ConfigurationReader {
  readonly configuration: Configuration = { files: [], jobs: [], tasks: [], models: [], unsupported: [] };
  readonly #unsupportedSeen = new Map<string, Problem>();
  readonly #rootSpec: ElementSpec;
  readonly #base: ConfigElement[] = [];
  readonly #overlays: ConfigElement[] = [];
  readonly #modules: Map<string, LoadedModule>;

  constructor(
    readonly catalog: SchemaCatalog,
    readonly vocabulary: Vocabulary,
    readonly problems: Problem[],
    modules: LoadedModule[],
  ) {
    this.#rootSpec = catalog.get("ConfigurationFile")!;
    this.#modules = new Map(modules.map((m) => [m.name, m]));
  }

  readFile(file: string, root: XmlElement, layer: "module" | "configuration"): void {
    if (root.name !== "ConfigurationFile") {
      this.#error("wrong-root", root, `the root element is ${root.name}; a configuration file's root is ConfigurationFile`,
        `wrap the content in <ConfigurationFile xmlns="${this.catalog.namespace}">`);
      return;
    }
    this.#checkNamespace(root);
    for (const child of root.children) {
      if (MODULE_ELEMENTS.has(child.name)) {
        if (layer === "configuration") this.#module(child);
        continue;
      }
      const element = this.#element(child, this.#rootSpec, false);
      if (!element) continue;
      // A module's own elements are its items as written: ConsolidationMode means something only over them.
      if (layer === "module") delete element.consolidationMode;
      (layer === "module" ? this.#base : this.#overlays).push(element);
    }
  }

  finish(files: string[]): Configuration {
    this.configuration.files = files;
    const { elements, contributions, unmatched } = applyOverlays(this.#base, this.#overlays);
    // A fragment may change what a scaffolding generates: it waits for the expansion (scaffoldings/expand.ts).
    if (unmatched.length > 0) this.configuration.pendingOverlays = unmatched;
    const ordinals = new Map<string, Map<string, number>>();
    for (const [element, made] of contributions) {
      if (made.length < 2) continue;
      fillDefaults(element);
      (this.configuration.contributions ??= new Map()).set(element, made);
    }
    for (const element of elements) {
      if (element.spec.kind === "job") this.#job(element);
      else if (element.spec.kind === "task") {
        const owner = element.xml.span.file.replace(/\.xml$/i, "").replace(/[^A-Za-z0-9]+/g, "_");
        if (!ordinals.has(owner)) ordinals.set(owner, new Map());
        this.#task(element, owner, ordinals.get(owner)!);
      } else this.configuration.models.push(element);
    }
    // The warning stands at a kind's first element and counts them all, known only now.
    for (const [name, problem] of this.#unsupportedSeen) {
      const count = this.configuration.unsupported.filter((u) => u.name === name).length;
      problem.message = `${name} is not modelled by idm-toolkit yet: ${count} element${count === 1 ? "" : "s"} of this kind ignored (not deployed)`;
    }
    return this.configuration;
  }

  /** A module element: its XML was read before (validate-folder.ts); a missing folder is a warning. */
  #module(xml: XmlElement): void {
    const loaded = this.#modules.get(xml.name);
    (this.configuration.modules ??= []).push({ name: xml.name, xml, ...(loaded?.folder !== undefined ? { folder: loaded.folder } : {}) });
    if (loaded?.folder !== undefined) return;
    this.problems.push({
      code: "missing-module", severity: "warning", ...position(xml),
      message: `${xml.name}: no module folder ${moduleFolderName(xml.name)}/ in the modules folder; its items are not validated nor deployed ` +
        "(the product takes them from its runtime folder)",
      hint: "copy the module's XML into Modules/" + moduleFolderName(xml.name) + "/ beside the configuration folder, or set Paths.Modules",
    });
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
  /** `depth`: how far below the top-level element (0) this one stands. */
  #element(xml: XmlElement, parent: ElementSpec, inFragment: boolean, depth = 0): ConfigElement | undefined {
    const spec = this.catalog.child(parent, xml.name);
    if (spec) {
      const mode = this.#consolidationMode(xml, spec);
      const element = this.#checked(xml, spec, inFragment || mode === "Merge" || mode === "Delete", depth);
      if (mode !== undefined) element.consolidationMode = mode;
      return element;
    }
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

  /** The element's ConsolidationMode, unless its own schema has an attribute of that name. */
  #consolidationMode(xml: XmlElement, spec: ElementSpec): ConsolidationMode | undefined {
    if (spec.attributes.has(CONSOLIDATION_MODE)) return undefined;
    const attr = xml.attributes.find((a) => a.name === CONSOLIDATION_MODE);
    if (attr === undefined) return undefined;
    const read = readConsolidationMode(attr.value);
    if ("mode" in read) return read.mode;
    this.problems.push({
      code: "invalid-value", severity: "error", ...position(attr),
      message: `${xml.name} ${CONSOLIDATION_MODE}="${attr.value}" is not valid: expected Replace, Merge, Update or Delete (absent means Replace)`,
      ...(read.closest ? { hint: `did you mean ${read.closest}?` } : {}),
    });
    return undefined;
  }

  /** `fragment`: inside a Merge or Delete overlay, which carries only what it changes (no defaults, no required attributes). */
  #checked(xml: XmlElement, spec: ElementSpec, fragment: boolean, depth: number): ConfigElement {
    const template = spec.attributes.has(TEMPLATE_TRANSFORMATION) ? undefined : xml.attributes.find((a) => a.name === TEMPLATE_TRANSFORMATION);
    if (template !== undefined) {
      this.problems.push({
        code: "unsupported-attribute", severity: "warning", ...position(template),
        message: `${xml.name} ${TEMPLATE_TRANSFORMATION}="${template.value}" is not applied by idm-toolkit: the element is deployed as written`,
      });
    }
    const attributes: Record<string, AttributeValue> = checkAttributes(xml, spec, this.problems, fragment);
    if (spec.kind !== "override" && !fragment) applyDefaults(spec, attributes);
    const children = spec.open || this.#tooDeep(xml, depth) ? [] : xml.children.flatMap((c) => this.#element(c, spec, fragment, depth + 1) ?? []);
    const element: ConfigElement = { spec, attributes, children: fragment ? children : children.filter((c) => this.#plainChild(c)), xml };
    element.children = dropRepeatedChildren(element, this.problems);
    return element;
  }

  /**
   * Children that contain their own kind (a Form's Control in a Control) could nest as deep as the
   * XML does (Validation.MaxDepth may be raised far): items, checks and export walk them
   * recursively, so they are read down to MAX_CHILD_DEPTH levels below their top-level element.
   */
  #tooDeep(xml: XmlElement, depth: number): boolean {
    if (depth < MAX_CHILD_DEPTH || xml.children.length === 0) return false;
    this.#error("file-too-large", xml.children[0]!, `${xml.children[0]!.name} is nested more than ${MAX_CHILD_DEPTH} levels below its top-level element: ` +
      `it and its siblings are not read`, `nest fewer levels (embed a form with OutputType="TransformImport" EmbeddedForm="…" instead of nesting further)`);
    return true;
  }

  /**
   * A child overlay inside an element that is no overlay has nothing of a base to change: Delete
   * removes nothing (said so, the child left out), Merge is the child as written, with its defaults.
   */
  #plainChild(child: ConfigElement): boolean {
    if (child.consolidationMode === "Delete") {
      this.problems.push({
        code: "overlay-without-base", severity: "warning", ...position(child.xml),
        message: `${child.xml.name} ConsolidationMode="Delete" inside an element that is not a Merge overlay: nothing to delete, the child is left out`,
      });
      return false;
    }
    if (child.consolidationMode === "Merge") fillDefaults(child);
    return true;
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

/** The folder of a module element's XML: BootstrapModule → Bootstrap. */
export function moduleFolderName(element: string): string {
  return element.replace(/Module$/, "");
}
