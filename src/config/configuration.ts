/**
 * Terms used across idm-toolkit:
 * - configuration: the union of every XML file of a folder;
 * - element: one XML element of it, with its typed attributes (ConfigElement);
 * - item: an addressable element (a Job, a task, a model element such as an Agent), identified by
 *   kind and identifier, which deploy stores;
 * - task: an element whose name is one of the task types (ExportTask, ...); all tasks share one
 *   identifier space, as in the reference product;
 * - job: a Job element, an ordered set of steps;
 * - step: one task in a job: inline (declared in the job), a Step (reusing a task declared
 *   elsewhere) or an override (reusing a task with some attributes changed for this job).
 */
import { hash } from "node:crypto";
import type { AttributeValue } from "./coerce-attribute.js";
import type { TaskType } from "./generated/schema-types.js";
import type { ElementSpec } from "./schema/catalog.js";
import type { Contribution } from "./overlays.js";
import type { ConsolidationMode } from "./vendor-attributes.js";
import type { XmlElement } from "./xml-tree.js";

export interface ConfigElement {
  spec: ElementSpec;
  /** Typed values; defaults applied except on overrides, which carry only what they change. */
  attributes: Record<string, AttributeValue>;
  children: ConfigElement[];
  xml: XmlElement;
  /** The element's ConsolidationMode when written (overlays.ts applies it); absent means Replace. */
  consolidationMode?: ConsolidationMode;
  /**
   * The scaffolding element (`CreateConnectorSynchroComplete`) that generated this one; absent for
   * hand-written elements. A generated element's xml is synthetic: its spans point at the scaffolding.
   */
  generatedBy?: string;
}

export interface TaskDefinition {
  type: TaskType;
  identifier: string;
  /** True when the XML carries no Identifier and idm-toolkit derived one (see deriveTaskIdentifier). */
  derivedIdentifier: boolean;
  element: ConfigElement;
}

export type StepKind = "inline" | "step" | "override";

export interface JobStep {
  kind: StepKind;
  /** Identifier of the task the step runs. */
  task: string;
  element: ConfigElement;
}

export interface JobDefinition {
  identifier: string;
  element: ConfigElement;
  steps: JobStep[];
}

/** Elements of the reference vocabulary that idm-toolkit does not model: known, not deployed. */
export interface UnsupportedElement {
  name: string;
  identifier?: string;
  isTask: boolean;
  xml: XmlElement;
}

export interface Configuration {
  files: string[];
  jobs: JobDefinition[];
  tasks: TaskDefinition[];
  /** Agent, Connector, EntityType, ... in file order. */
  models: ConfigElement[];
  unsupported: UnsupportedElement[];
  /** Module elements (<BootstrapModule/>) of the configuration, and where their XML was looked for. */
  modules?: ModuleUse[];
  /** Per merged element, the files that contributed to it (overlays.ts); absent for a plain one. */
  contributions?: Map<ConfigElement, Contribution[]>;
}

export interface ModuleUse {
  name: string;
  /** The module folder relative to the configuration folder; undefined when not found. */
  folder?: string;
  xml: XmlElement;
}

export function itemCount(configuration: Configuration): number {
  return configuration.jobs.length + configuration.tasks.length + configuration.models.length;
}

/**
 * A task without Identifier gets `<Job>_<TaskType>` (then `_2`, `_3` for further ones of the same
 * type in the same job), or `<file>_<TaskType>` at the top level of a file. Adding or removing
 * tasks of other types, or in other jobs, leaves the identifier unchanged.
 */
export function deriveTaskIdentifier(owner: string, type: string, ordinal: number): string {
  return ordinal === 1 ? `${owner}_${type}` : `${owner}_${type}_${ordinal}`;
}

/**
 * The identifier of a top-level model element. Elements the reference gives no identifier
 * (SingleRoleRule, ResourceCorrelationRule, …: `"x-identifier": false` in their schema) are known
 * by what they say: their attributes, sorted, as `Name=value` joined by `;` (past 442 characters,
 * the start and a SHA-256 of the whole). Changing a rule therefore replaces it, which is what the
 * product's deploy does with rules too.
 */
export function modelIdentifier(element: ConfigElement): string | undefined {
  const attribute = element.spec.identifierAttribute;
  if (attribute !== undefined) {
    const id = element.attributes[attribute];
    return id === undefined ? undefined : String(id);
  }
  if (element.spec.kind !== "model") return undefined;
  const key = Object.keys(element.attributes).sort().map((name) => `${name}=${String(element.attributes[name])}`).join(";");
  // The store keeps 442 characters of an identifier (a rule with a long C# expression says more):
  // the start stays readable, a hash of the whole keeps alike keys apart.
  return key.length <= MAX_IDENTIFIER_LENGTH ? key : `${key.slice(0, MAX_IDENTIFIER_LENGTH - 65)}#${hash("sha256", key)}`;
}

/** Characters of idm_items.identifier (migrations/0001). */
export const MAX_IDENTIFIER_LENGTH = 442;

/** Identifiers of an element's children of one name (the Property identifiers of an EntityType). */
export function memberIdentifiers(element: ConfigElement | undefined, childName: string): string[] {
  if (!element) return [];
  return element.children.flatMap((c) => {
    const key = c.spec.identifierAttribute;
    return c.spec.name === childName && key !== undefined && c.attributes[key] !== undefined ? [String(c.attributes[key])] : [];
  });
}
