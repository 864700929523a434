/**
 * Scaffoldings expanded at validate (and so at plan and deploy). Each scaffolding element stays an
 * item of its own (export writes it back, not its output); what it generates joins the
 * configuration like hand-written elements, marked `generatedBy` and placed at the scaffolding's
 * file:line, then is checked with the rest.
 *
 *   1. model scaffoldings (ConnectorMappings, the access-control ones), and the scaffoldings they
 *      generate in turn, until none is left;
 *   2. job scaffoldings, which read the model as stage 1 left it (a generated Connection is exported);
 *
 * and after each stage, ConsolidationMode over the output (overlay-generated.ts). Fragments that
 * nothing matched are then `overlay-without-base`; scaffoldings idm-toolkit only stores are said once
 * per kind (stored-only.ts).
 */
import { modelIdentifier, type ConfigElement, type Configuration, type JobDefinition } from "../configuration.js";
import { reportUnmatchedOverlays } from "../overlays.js";
import type { TaskType } from "../generated/schema-types.js";
import type { Problem } from "../problems.js";
import type { SchemaCatalog } from "../schema/catalog.js";
import { ACCESS_CONTROL_SCAFFOLDINGS, planAccessControl } from "./access-control.js";
import { ConnectorMappingsPlanner } from "./connector-mappings.js";
import { declaredOutputs } from "./declared-outputs.js";
import { GeneratedElements, type ElementPlan } from "./generated-elements.js";
import { JOB_SCAFFOLDINGS, planJobScaffolding } from "./job-scaffoldings.js";
import { overlayGenerated, type GeneratedOutput } from "./overlay-generated.js";
import { readScaffoldingModel } from "./scaffolding-model.js";
import { reportStoredOnly } from "./stored-only.js";

const MODEL_SCAFFOLDINGS: ReadonlySet<string> = new Set(["ConnectorMappings", ...ACCESS_CONTROL_SCAFFOLDINGS]);

/** Every scaffolding idm-toolkit expands; the others of the vocabulary are stored only. */
export const EXPANDED_SCAFFOLDINGS: ReadonlySet<string> = new Set([...MODEL_SCAFFOLDINGS, ...JOB_SCAFFOLDINGS]);

export function expandScaffoldings(configuration: Configuration, catalog: SchemaCatalog, problems: Problem[]): void {
  // The scaffolding written in the configuration that each one (generated ones included) comes from.
  const rootOf = new Map<ConfigElement, ConfigElement>();
  const scaffoldings = (names: ReadonlySet<string>): ConfigElement[] => configuration.models.filter((m) => names.has(m.spec.name));
  let queue = scaffoldings(MODEL_SCAFFOLDINGS);
  const done = new Set<ConfigElement>();
  const mappings = queue.some((s) => s.spec.name === "ConnectorMappings") ? new ConnectorMappingsPlanner(configuration) : undefined;
  while (queue.length > 0) {
    for (const s of queue) done.add(s);
    const known = knownIdentifiers(configuration);
    const generated = stage(configuration, catalog, problems, queue, rootOf, (s) =>
      s.spec.name === "ConnectorMappings" ? mappings!.plan(s) : planAccessControl(s, (kind, id) => known.has(`${kind}\u0000${id}`)));
    queue = generated.filter((e) => MODEL_SCAFFOLDINGS.has(e.spec.name) && !done.has(e));
  }
  const jobScaffoldings = scaffoldings(JOB_SCAFFOLDINGS);
  if (jobScaffoldings.length > 0) {
    const model = readScaffoldingModel(configuration);
    stage(configuration, catalog, problems, jobScaffoldings, rootOf, (s) => planJobScaffolding(s, model, problems));
  }
  reportUnmatchedOverlays(configuration.pendingOverlays ?? [], problems);
  delete configuration.pendingOverlays;
  reportStoredOnly(configuration, EXPANDED_SCAFFOLDINGS, problems);
}

/** Generates what the scaffoldings plan, overlays it, and adds what is left to the configuration. */
function stage(
  configuration: Configuration, catalog: SchemaCatalog, problems: Problem[], scaffoldings: ConfigElement[],
  rootOf: Map<ConfigElement, ConfigElement>, plan: (scaffolding: ConfigElement) => ElementPlan[],
): ConfigElement[] {
  const output: GeneratedOutput[] = [];
  const keyed = keyedElements(configuration);
  for (const scaffolding of scaffoldings) {
    const root = rootOf.get(scaffolding) ?? scaffolding;
    const elements = new GeneratedElements(catalog, scaffolding);
    for (const planned of plan(scaffolding)) {
      const element = elements.element(planned);
      // A scaffolding generated again (two templates, or one written by hand too) is the same item: kept once.
      const key = element.spec.identifierAttribute === undefined ? `${element.spec.name}\u0000${modelIdentifier(element)}` : undefined;
      if (key !== undefined && keyed.has(key)) continue;
      if (key !== undefined) keyed.add(key);
      rootOf.set(element, root);
      output.push({ element, root });
    }
  }
  const kept = overlayGenerated(configuration, output, catalog, problems);
  for (const element of kept) add(configuration, element);
  return kept;
}

/** `Kind\0identifier` of what references may name: model elements, elements not modelled yet, what stored scaffoldings declare. */
function knownIdentifiers(configuration: Configuration): Set<string> {
  const known = new Set<string>();
  for (const model of configuration.models) {
    const attribute = model.spec.identifierAttribute;
    const id = attribute === undefined ? undefined : model.attributes[attribute];
    if (id !== undefined) known.add(`${model.spec.name}\u0000${String(id)}`);
    for (const made of declaredOutputs(model)) known.add(`${made.kind}\u0000${made.identifier}`);
  }
  for (const u of configuration.unsupported) if (u.identifier !== undefined) known.add(`${u.name}\u0000${u.identifier}`);
  return known;
}

/** The model elements known by their attributes (rules, scaffoldings), by kind and identifier. */
function keyedElements(configuration: Configuration): Set<string> {
  return new Set(configuration.models.filter((m) => m.spec.identifierAttribute === undefined).map((m) => `${m.spec.name}\u0000${modelIdentifier(m)}`));
}

/** A generated element into the configuration's jobs, tasks or model elements, as the reader files parsed ones. */
function add(configuration: Configuration, element: ConfigElement): void {
  const identifier = String(element.attributes.Identifier ?? "");
  if (element.spec.kind === "task") {
    configuration.tasks.push({ type: element.spec.name as TaskType, identifier, derivedIdentifier: false, element });
    return;
  }
  if (element.spec.kind !== "job") {
    configuration.models.push(element);
    return;
  }
  const job: JobDefinition = { identifier, element, steps: [] };
  for (const child of element.children) {
    const task = String(child.attributes.Identifier ?? "");
    if (child.spec.kind === "task") {
      configuration.tasks.push({ type: child.spec.name as TaskType, identifier: task, derivedIdentifier: false, element: child });
      job.steps.push({ kind: "inline", task, element: child });
    } else if (child.spec.kind === "step" || child.spec.kind === "override") {
      job.steps.push({ kind: child.spec.kind === "step" ? "step" : "override", task, element: child });
    }
  }
  configuration.jobs.push(job);
}
