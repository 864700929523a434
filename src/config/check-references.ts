/**
 * Rules across elements and files: unique identifiers, references that resolve, agents that
 * agree, dependencies without cycles, schedules that parse, attribute combinations that make sense.
 */
import { jobCron } from "./job-cron.js";
import { position } from "./check-attributes.js";
import { checkAccessControl } from "./check-access-control.js";
import { checkModel } from "./check-model.js";
import { checkNotificationTemplates } from "./check-notification-templates.js";
import { checkResources } from "./check-resources.js";
import { checkRoleModel } from "./check-role-model.js";
import { checkUniverses } from "./check-universes.js";
import { memberIdentifiers, modelIdentifier, type ConfigElement, type Configuration, type JobDefinition, type JobStep, type TaskDefinition } from "./configuration.js";
import { closestName } from "./did-you-mean.js";
import { declaredOutputs } from "./scaffoldings/declared-outputs.js";
import type { JobAttributes } from "./generated/schema-types.js";
import { formatPosition, type Problem } from "./problems.js";
import { checkTaskCombinations } from "./task-combinations.js";
import { generatingScaffolding } from "./unexpanded-scaffoldings.js";
import { findAttribute, type XmlAttribute, type XmlElement } from "./xml-tree.js";

interface Definition {
  identifier: string;
  /** Task type, or the model kind. */
  type: string;
  xml: XmlElement;
  /** The model element, for references to its children (`EntityType:Property`). */
  element?: ConfigElement;
}

export function checkReferences(configuration: Configuration, problems: Problem[]): void {
  new ReferenceChecker(configuration, problems).check();
}

class ReferenceChecker {
  /** Identifier spaces: "#task" for every task type, "Job", and one per model kind. */
  readonly spaces = new Map<string, Map<string, Definition>>();
  /** Per kind whose identifiers ignore case (Connection): lower-cased identifier → first definition. */
  readonly caseless = new Map<string, Map<string, Definition>>();
  readonly rules = new Map<string, Map<string, ConfigElement>>();
  readonly tasks = new Map<string, TaskDefinition>();

  constructor(
    readonly configuration: Configuration,
    readonly problems: Problem[],
  ) {}

  check(): void {
    const { jobs, tasks, models, unsupported } = this.configuration;
    for (const task of tasks) {
      if (this.#define("#task", { identifier: task.identifier, type: task.type, xml: task.element.xml })) this.tasks.set(task.identifier, task);
    }
    for (const u of unsupported) {
      if (u.isTask && u.identifier) this.#define("#task", { identifier: u.identifier, type: u.name, xml: u.xml });
      // A kind not modelled yet still names things: references to it resolve against its elements.
      else if (u.identifier) this.#defineUnchecked(u.name, { identifier: u.identifier, type: u.name, xml: u.xml });
    }
    for (const job of jobs) this.#define("Job", { identifier: job.identifier, type: "Job", xml: job.element.xml });
    for (const model of models) {
      const id = modelIdentifier(model);
      if (id === undefined) continue;
      if (model.spec.identifierAttribute === undefined) {
        this.#defineRule(model, id);
        continue;
      }
      const definition = { identifier: String(id), type: model.spec.name, xml: model.xml, element: model };
      if (this.#define(model.spec.name, definition) && model.spec.identifierIgnoresCase) this.#defineCaseless(definition);
      this.#childIdentifiers(model);
      this.#nestedItems(model, model);
    }
    // What the scaffoldings idm-toolkit only stores generate (the Administrator profile...): after the
    // configuration's own elements, which a hand-written one of the same name stays.
    for (const model of models) {
      for (const made of declaredOutputs(model)) this.#defineUnchecked(made.kind, { identifier: made.identifier, type: model.spec.name, xml: model.xml });
    }
    for (const element of [...jobs.map((j) => j.element), ...tasks.map((t) => t.element), ...models]) this.#references(element);
    for (const task of tasks) checkTaskCombinations(task, task.element, task.element.attributes, this.problems);
    for (const job of jobs) this.#job(job);
    this.#cycles();
    checkModel(this.configuration, this.problems);
    checkRoleModel(this.configuration, this.problems);
    checkAccessControl(models, this.problems);
    checkUniverses(models, this.problems);
    checkNotificationTemplates(models, this.problems);
    checkResources(models, this.problems);
  }

  #space(space: string): Map<string, Definition> {
    let defs = this.spaces.get(space);
    if (!defs) this.spaces.set(space, (defs = new Map()));
    return defs;
  }

  #define(space: string, definition: Definition): boolean {
    const defs = this.#space(space);
    const first = defs.get(definition.identifier);
    if (!first) {
      defs.set(definition.identifier, definition);
      return true;
    }
    const what = space === "#task" ? "task" : space;
    this.problems.push({
      code: "duplicate-identifier",
      severity: "error",
      message: `${what} identifier "${definition.identifier}" is already used by the ${first.type} at ${formatPosition(position(first.xml))}` +
        (space === "#task" ? " (task identifiers are unique across all task types)" : ""),
      ...position(definition.xml),
      related: [position(first.xml)],
    });
    return false;
  }

  /** A definition whose duplicates are not idm-toolkit's to report (an item a scaffolding it does not expand makes). */
  #defineUnchecked(space: string, definition: Definition): void {
    const defs = this.#space(space);
    if (!defs.has(definition.identifier)) defs.set(definition.identifier, definition);
  }

  /** An identifier-less element (a rule) written twice alike is stored once: said, not refused. */
  #defineRule(model: ConfigElement, id: string): void {
    let defs = this.rules.get(model.spec.name);
    if (!defs) this.rules.set(model.spec.name, (defs = new Map()));
    const first = defs.get(id);
    if (!first) {
      defs.set(id, model);
      return;
    }
    this.problems.push({
      code: "duplicate-identifier",
      severity: "warning",
      message: `this ${model.spec.name} says the same as the one at ${formatPosition(position(first.xml))}: it is stored once`,
      ...position(model.xml),
      related: [position(first.xml)],
    });
  }

  /** Connection identifiers are unique whatever their case (the reference's warning). */
  #defineCaseless(definition: Definition): void {
    let defs = this.caseless.get(definition.type);
    if (!defs) this.caseless.set(definition.type, (defs = new Map()));
    const key = definition.identifier.toLowerCase();
    const first = defs.get(key);
    if (!first) {
      defs.set(key, definition);
      return;
    }
    this.problems.push({
      code: "duplicate-identifier",
      severity: "error",
      message: `${definition.type} identifier "${definition.identifier}" is already used, in another case, by "${first.identifier}" at ` +
        `${formatPosition(position(first.xml))} (${definition.type} identifiers ignore case)`,
      ...position(definition.xml),
      related: [position(first.xml)],
    });
  }

  /** Children with an identifier (Property, Column) are unique inside their parent, at every depth. */
  #childIdentifiers(model: ConfigElement): void {
    const seen = new Map<string, ConfigElement>();
    for (const child of model.children) {
      if (child.children.length > 0) this.#childIdentifiers(child);
      const key = child.spec.identifierAttribute;
      const id = key === undefined ? undefined : child.attributes[key];
      if (id === undefined) continue;
      const scoped = `${child.spec.name}\u0000${String(id)}`;
      const first = seen.get(scoped);
      if (!first) {
        seen.set(scoped, child);
        continue;
      }
      this.problems.push({
        code: "duplicate-identifier",
        severity: "error",
        message: `${model.spec.name}${describeParent(model)} already has a ${child.spec.name} "${String(id)}", at ${formatPosition(position(first.xml))}`,
        ...position(child.xml),
        related: [position(first.xml)],
      });
    }
  }

  /**
   * Children named like their top-level kind are items of that kind written inside another for
   * layout (a MenuItem in a MenuItem): their identifiers are in the kind's space.
   */
  #nestedItems(item: ConfigElement, element: ConfigElement): void {
    for (const child of element.children) {
      if (child.spec.name !== item.spec.name) continue;
      const key = child.spec.identifierAttribute;
      const id = key === undefined ? undefined : child.attributes[key];
      if (id !== undefined) this.#define(item.spec.name, { identifier: String(id), type: child.spec.name, xml: child.xml, element: child });
      this.#nestedItems(item, child);
    }
  }

  /** Every attribute whose schema says it names another element must name one that exists. */
  #references(element: ConfigElement): void {
    for (const { name, ref: space, refBuiltins, refIncomplete } of element.spec.references) {
      const value = element.attributes[name];
      if (typeof value !== "string" || refBuiltins?.includes(value)) continue;
      if (space.includes(":")) {
        this.#memberReference(element, name, value, space);
        continue;
      }
      const defs = this.spaces.get(space);
      if (defs?.has(value)) continue;
      const what = space === "#task" ? "task" : space;
      const closest = closestName(value, [...(defs?.keys() ?? []), ...(refBuiltins ?? [])]);
      const attr = findAttribute(element.xml, name) ?? element.xml;
      // A name close to a configured role is a typo; another may be a role BuildRoleModelTask generates.
      if (space === "SingleRole" && closest === undefined && this.#generatedRole(element, name, value, attr)) continue;
      // The product's own names that idm-toolkit knows may not be all of them (x-ref-incomplete): not refused.
      const message = `${element.spec.name} ${name}="${value}": no ${what} has this identifier` +
        (refIncomplete ? `, nor is it a built-in ${what} idm-toolkit knows` : "");
      this.#unresolved(attr, message, closest && `did you mean ${closest}?`, element.xml, value, refIncomplete === true);
    }
    // Inline tasks are checked as tasks, not again as children of their job.
    for (const child of element.children) if (child.spec.kind !== "task") this.#references(child);
  }

  /**
   * A SingleRole not in the folder may be one BuildRoleModelTask generates from a RoleMapping (kept
   * in the database, not in idm_items): a warning when the configuration has RoleMappings.
   */
  #generatedRole(element: ConfigElement, name: string, value: string, attr: XmlElement | XmlAttribute): boolean {
    const mapping = this.spaces.get("RoleMapping")?.values().next().value;
    if (mapping === undefined) return false;
    this.problems.push({
      code: "unresolved-reference", severity: "warning", ...position(attr),
      message: `${element.spec.name} ${name}="${value}": no SingleRole has this identifier in the configuration; a RoleMapping ` +
        `(such as ${mapping.identifier} at ${formatPosition(position(mapping.xml))}) may generate it when BuildRoleModelTask runs`,
    });
    return true;
  }

  /**
   * `Kind:Child` references (`EntityType:Property`): the value `X:Y` names the Kind X and its Child
   * Y. A value not written that way is the schema's invalid-value, not reported again here.
   */
  #memberReference(element: ConfigElement, name: string, value: string, space: string): void {
    const [kind = "", childName = ""] = space.split(":");
    const separator = value.indexOf(":");
    if (separator <= 0 || separator === value.length - 1) return;
    const [owner, member] = [value.slice(0, separator), value.slice(separator + 1)];
    const defs = this.spaces.get(kind);
    const target = defs?.get(owner);
    const attr = findAttribute(element.xml, name)!;
    const what = `${element.spec.name} ${name}="${value}"`;
    if (!target) {
      const closest = closestName(owner, defs?.keys() ?? []);
      const closestHas = closest !== undefined && memberIdentifiers(defs!.get(closest)!.element, childName).includes(member);
      this.#unresolved(attr, `${what}: no ${kind} has the identifier ${owner}`, closest && `did you mean ${closest}${closestHas ? `:${member}` : ""}?`, element.xml, owner);
      return;
    }
    // Known without its element (a kind not modelled yet, a stored scaffolding's output): its members are unknown too.
    if (target.element === undefined) return;
    const members = memberIdentifiers(target.element, childName);
    if (members.includes(member)) return;
    const closest = closestName(member, members);
    // A missing member of a written owner is an error: a written entity type's properties are written too.
    this.#unresolved(attr, `${what}: ${kind} ${owner} has no ${childName} ${member}`, closest && `did you mean ${owner}:${closest}?`, element.xml);
  }

  /**
   * An unresolved reference: an error, or a warning when a scaffolding idm-toolkit does not expand
   * may generate the missing `name` (unexpanded-scaffoldings.ts) or when the product has names
   * idm-toolkit does not list (`incomplete`). `from` is the element that holds the reference.
   */
  #unresolved(at: XmlElement | XmlAttribute, message: string, hint: string | undefined, from: XmlElement, name?: string, incomplete = false): void {
    const scaffolding = name === undefined ? undefined : generatingScaffolding(this.configuration, name, from);
    this.problems.push({
      code: "unresolved-reference",
      ...(scaffolding
        ? { severity: "warning", message: `${message}; the ${scaffolding.name} at ${formatPosition(position(scaffolding.xml))} may generate it, and idm-toolkit does not expand that scaffolding` }
        : { severity: incomplete ? "warning" : "error", message }),
      ...position(at),
      ...(hint ? { hint } : {}),
    });
  }

  #job(job: JobDefinition): void {
    if ((job.element.generatedBy === undefined ? job.element.xml.children.length : job.steps.length) === 0) {
      this.problems.push({ code: "empty-job", severity: "warning", message: `Job "${job.identifier}" has no task`, ...position(job.element.xml) });
    }
    this.#cron(job.element);
    for (const step of job.steps) {
      const task = this.tasks.get(step.task);
      if (step.kind === "override") this.#override(step, task);
      if (!task) continue;
      const effective = step.kind === "override" ? { ...task.element.attributes, ...step.element.attributes } : task.element.attributes;
      this.#agent(job, step, task, effective.Agent as string | undefined);
      if (step.kind === "override") checkTaskCombinations(task, step.element, effective, this.problems);
    }
  }

  #override(step: JobStep, task: TaskDefinition | undefined): void {
    const type = step.element.spec.overrideOf!;
    if (task?.type === type) return;
    const attr = findAttribute(step.element.xml, "Identifier");
    if (!attr) return;
    const sameType = [...this.tasks.values()].filter((t) => t.type === type).map((t) => t.identifier);
    const closest = task ? undefined : closestName(step.task, sameType);
    this.problems.push({
      code: "unresolved-reference",
      severity: "error",
      message: task
        ? `${step.element.spec.name} Identifier="${step.task}" names the ${task.type} "${step.task}"; an override must name a task of its own type`
        : `${step.element.spec.name} Identifier="${step.task}": no ${type} has this identifier`,
      ...position(attr),
      ...(task ? { hint: `write <${task.type}Override Identifier="${step.task}" .../>` } : closest ? { hint: `did you mean ${closest}?` } : {}),
    });
  }

  /** Agent-side tasks run on an agent: their own, or their job's (the reference's rule). */
  #agent(job: JobDefinition, step: JobStep, task: TaskDefinition, taskAgent: string | undefined): void {
    const jobAgent = (job.element.attributes as unknown as JobAttributes).Agent;
    if (taskAgent === undefined && jobAgent === undefined && task.element.spec.side === "agent") {
      this.problems.push({
        code: "missing-attribute",
        severity: "error",
        message: `${task.type} "${task.identifier}" runs on an agent, but neither it nor Job "${job.identifier}" names one`,
        hint: `set Agent on the task or on the Job`,
        ...position(step.element.xml),
      });
    }
    if (taskAgent !== undefined && jobAgent !== undefined && taskAgent !== jobAgent) {
      const attr = step.kind === "override" ? findAttribute(step.element.xml, "Agent") : undefined;
      this.problems.push({
        code: "agent-mismatch",
        severity: "error",
        message: `${task.type} "${task.identifier}" runs on agent "${taskAgent}" but Job "${job.identifier}" runs on agent "${jobAgent}"`,
        hint: "all agent-side tasks of a job must run on the job's agent",
        ...position(attr ?? findAttribute(task.element.xml, "Agent") ?? step.element.xml),
        related: [position(findAttribute(job.element.xml, "Agent") ?? job.element.xml)],
      });
    }
  }

  #cron(job: ConfigElement): void {
    const expression = (job.attributes as unknown as JobAttributes).CronTabExpression;
    if (expression === undefined) return;
    const error = cronError(expression);
    if (error !== undefined) {
      this.problems.push({
        code: "invalid-cron",
        severity: "error",
        message: `Job CronTabExpression="${expression}" is not a valid cron expression: ${error}`,
        hint: "5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first, e.g. */15 * * * *",
        ...position(findAttribute(job.xml, "CronTabExpression") ?? job.xml),
      });
    }
  }

  /** TaskDependsOnTask must form no cycle; each cycle is reported once, where it closes. */
  #cycles(): void {
    const parents = new Map<string, { parent: string; xml: XmlElement }[]>();
    for (const task of this.tasks.values()) {
      const edges = task.element.children
        .filter((c) => c.spec.name === "TaskDependsOnTask" && this.tasks.has(String(c.attributes.ParentTask)))
        .map((c) => ({ parent: String(c.attributes.ParentTask), xml: c.xml }));
      parents.set(task.identifier, edges);
    }
    const state = new Map<string, "active" | "done">();
    for (const start of parents.keys()) {
      if (state.has(start)) continue;
      // Iterative depth-first search: dependency chains can be thousands of tasks long.
      const path: { id: string; next: number }[] = [{ id: start, next: 0 }];
      state.set(start, "active");
      while (path.length > 0) {
        const top = path[path.length - 1]!;
        const edge = parents.get(top.id)![top.next++];
        if (!edge) {
          state.set(top.id, "done");
          path.pop();
        } else if (state.get(edge.parent) === "active") {
          const cycle = [...path.slice(path.findIndex((p) => p.id === edge.parent)).map((p) => p.id), edge.parent];
          this.problems.push({
            code: "dependency-cycle",
            severity: "error",
            message: `TaskDependsOnTask makes a cycle: ${cycle.join(" → ")}`,
            hint: "a task cannot depend, directly or through other tasks, on itself",
            ...position(edge.xml),
          });
        } else if (!state.has(edge.parent)) {
          state.set(edge.parent, "active");
          path.push({ id: edge.parent, next: 0 });
        }
      }
    }
  }
}

const cronErrors = new Map<string, string | undefined>();

/** Why a cron expression is invalid, or undefined; cached because jobs share a few schedules. */
function cronError(expression: string): string | undefined {
  if (!cronErrors.has(expression)) {
    try {
      jobCron(expression);
      cronErrors.set(expression, undefined);
    } catch (error) {
      cronErrors.set(expression, (error as Error).message);
    }
  }
  return cronErrors.get(expression);
}

/** ` "X"` after a parent's name in messages: its identifier, when it has one. */
function describeParent(element: ConfigElement): string {
  const attribute = element.spec.identifierAttribute;
  const id = attribute === undefined ? undefined : element.attributes[attribute];
  return id === undefined ? "" : ` "${String(id)}"`;
}
