/**
 * Job scaffoldings expanded into jobs and tasks at validate (and so at plan and deploy): each
 * scaffolding element stays an item of its own (export writes it back, not its output), and the
 * jobs and tasks it generates join the configuration like hand-written ones, marked `generatedBy`
 * and placed at the scaffolding's file:line. References, agents and cycles of the output are then
 * checked with the rest.
 */
import { applyDefaults, position } from "../check-attributes.js";
import type { AttributeValue } from "../coerce-attribute.js";
import type { ConfigElement, Configuration, JobStep } from "../configuration.js";
import type { Problem } from "../problems.js";
import type { SchemaCatalog } from "../schema/catalog.js";
import type { XmlElement } from "../xml-tree.js";
import { applyArguments } from "./arguments.js";
import { type Attributes, type PlannedJob, type PlannedTask } from "./planned-job.js";
import { accessCertification, cleanDatabase, completeSynchronization, connectorPageTasks, incrementalSynchronization, initialization, type PipelineOptions } from "./pipelines.js";
import { readScaffoldingModel, type ScaffoldedConnector, type ScaffoldingModel } from "./scaffolding-model.js";

export const JOB_SCAFFOLDINGS: ReadonlySet<string> = new Set([
  "CreateConnectorSynchroComplete", "CreateConnectorSynchroIncremental", "CreateAgentSynchroComplete", "CreateAgentSynchroIncremental",
  "CreateConnectorsJobs", "CreateInitializationJob", "CleanDatabaseJob", "CreateAccessCertificationJob",
]);

export function expandScaffoldings(configuration: Configuration, catalog: SchemaCatalog, problems: Problem[]): void {
  const scaffoldings = configuration.models.filter((m) => JOB_SCAFFOLDINGS.has(m.spec.name));
  if (scaffoldings.length === 0) return;
  const model = readScaffoldingModel(configuration);
  const planned: { scaffolding: ConfigElement; jobs: PlannedJob[]; pageTasks: PlannedTask[] }[] = [];
  for (const scaffolding of scaffoldings) {
    const jobs = planJobs(scaffolding, model, problems);
    if (jobs === undefined) continue;
    if (scaffolding.spec.name === "CreateConnectorsJobs") {
      planned.push({ scaffolding, jobs: jobs.jobs, pageTasks: jobs.pageTasks });
      continue;
    }
    for (const job of jobs.jobs) applyArguments(scaffolding, job, problems);
    planned.push({ scaffolding, jobs: jobs.jobs, pageTasks: [] });
  }
  const written = handWritten(configuration);
  for (const { scaffolding, jobs, pageTasks } of planned) {
    const materializer = new Materializer(catalog, scaffolding, written, problems);
    for (const task of pageTasks) materializer.topLevelTask(task, configuration);
    for (const job of jobs) materializer.job(job, configuration);
  }
}

interface Plan {
  jobs: PlannedJob[];
  pageTasks: PlannedTask[];
}

function planJobs(scaffolding: ConfigElement, model: ScaffoldingModel, problems: Problem[]): Plan | undefined {
  const a = scaffolding.attributes;
  const name = scaffolding.spec.name;
  const has = (argument: string): boolean => scaffolding.children.some((c) => c.spec.name === argument);
  const connectorsNamed = (argument: string): Set<string> =>
    new Set(scaffolding.children.filter((c) => c.spec.name === argument).map((c) => String(c.attributes.ConnectorIdentifier)));
  const openIdArgument = scaffolding.children.find((c) => c.spec.name === "OpenIdIdentifier")?.attributes.Identifier;
  const openId = typeof openIdArgument === "string" ? { openId: openIdArgument } : {};
  const displayNames = (fallback: string): Attributes => {
    const names: Attributes = { DisplayName_L1: fallback };
    for (const [key, value] of Object.entries(a)) if (key.startsWith("DisplayName_L")) names[key] = value;
    return names;
  };
  const job = (identifier: string, attributes: Attributes, groups: PlannedJob["groups"]): Plan =>
    ({ jobs: [{ identifier, attributes, groups, levels: true, ...(has("DoNotCreateJob") ? { withoutJob: true } : {}) }], pageTasks: [] });

  switch (name) {
    case "CreateConnectorSynchroComplete":
    case "CreateConnectorSynchroIncremental": {
      const connector = model.connectors.find((c) => c.identifier === a.Connector);
      // An unknown Connector is the reference check's error; nothing is generated from it.
      if (connector === undefined) return undefined;
      const complete = name === "CreateConnectorSynchroComplete";
      const id = identifierOf(scaffolding, `${connector.identifier}_Synchronize_${complete ? "Complete" : "Incremental"}_Scaffolding`);
      const options: PipelineOptions = {
        job: id, ...(connector.agent ? { agent: connector.agent } : {}), connectors: [connector], ...openId,
        collect: new Set(has("NoSynchronization") ? [] : [connector.identifier]), provision: !has("NoProvisioning"),
      };
      const attributes = { ...displayNames(`${connector.displayName} - Synchronization ${complete ? "Complete" : "Incremental"}`),
        ...(connector.agent ? { Agent: connector.agent } : {}), ...(complete ? {} : { IsIncremental: true }) };
      return job(id, attributes, complete ? completeSynchronization(options) : incrementalSynchronization(options));
    }
    case "CreateAgentSynchroComplete":
    case "CreateAgentSynchroIncremental":
    case "CreateInitializationJob": {
      const agent = agentOf(scaffolding, model, problems);
      if (agent === undefined) return undefined;
      const rule = name === "CreateAgentSynchroIncremental" ? "incrementalJob" : "completeJob";
      const notUsed = connectorsNamed("NotUsed");
      const connectors = model.connectors.filter((c) => c.agent === agent && c[rule] !== "NotUsed" && !notUsed.has(c.identifier));
      const noCollect = connectorsNamed("NoConnectorSynchronization");
      const collect = new Set(connectors.filter((c) => c[rule] !== "OnlyProvisioning" && !noCollect.has(c.identifier)).map((c) => c.identifier));
      const noProvisioning = connectorsNamed("NoConnectorProvisioning");
      const provisioned: ScaffoldedConnector[] = connectors.filter((c) => c[rule] !== "OnlySynchronization" && !noProvisioning.has(c.identifier));
      if (name === "CreateInitializationJob") {
        const id = identifierOf(scaffolding, "InitializationJob");
        const path = scaffolding.children.find((c) => c.spec.name === "Configuration")?.attributes.Path;
        const groups = initialization({ job: id, agent, connectors, collect, provision: provisioned.length > 0, ...openId,
          ...(typeof path === "string" ? { configurationDirectory: path } : {}) });
        return job(id, { ...displayNames("Initialization"), Agent: agent, IsInitializationJob: true, UserStartDenied: true }, groups);
      }
      const complete = name === "CreateAgentSynchroComplete";
      const id = identifierOf(scaffolding, `${agent}_Synchronize_${complete ? "Complete" : "Incremental"}_Scaffolding`);
      const options: PipelineOptions = { job: id, agent, connectors, collect, provision: provisioned.length > 0, ...openId };
      const attributes = { ...displayNames(`${agent} - Synchronization ${complete ? "Complete" : "Incremental"}`), Agent: agent,
        ...(complete ? {} : { IsIncremental: true }) };
      return job(id, attributes, complete ? completeSynchronization(options) : incrementalSynchronization(options));
    }
    case "CreateAccessCertificationJob": {
      const id = identifierOf(scaffolding, "AccessCertificationJob");
      return job(id, { ...displayNames("Execute Access Reviews"), CronTabExpression: "*/15 * * * *", CronTimeZone: "ServerTime" }, accessCertification(id));
    }
    case "CleanDatabaseJob": {
      const id = identifierOf(scaffolding, "CleanDatabase");
      return job(id, displayNames("Clean Database"), cleanDatabase(id));
    }
    case "CreateConnectorsJobs": {
      const plan: Plan = { jobs: [], pageTasks: [] };
      for (const connector of model.connectors) {
        const tasks = connectorPageTasks(connector);
        plan.pageTasks.push(...tasks);
        plan.jobs.push({
          identifier: `${connector.identifier}_VirtualJob`,
          attributes: { DisplayName_L1: `ZZ Connectors/${connector.displayName}`, ...(connector.agent ? { Agent: connector.agent } : {}),
            IsConnectorJob: true, UserStartDenied: true },
          groups: tasks.map((t) => [{ step: t.identifier }]),
          levels: false,
        });
      }
      return plan;
    }
  }
  return undefined;
}

/** JobIdentifier as written, else computed and stored on the element (it is the scaffolding item's key). */
function identifierOf(scaffolding: ConfigElement, computed: string): string {
  const written = scaffolding.attributes.JobIdentifier;
  if (typeof written === "string") return written;
  scaffolding.attributes.JobIdentifier = computed;
  return computed;
}

function agentOf(scaffolding: ConfigElement, model: ScaffoldingModel, problems: Problem[]): string | undefined {
  const written = scaffolding.attributes.Agent;
  if (typeof written === "string") return model.agents.includes(written) ? written : undefined;
  if (model.agents.length === 1) return model.agents[0];
  problems.push({
    code: "missing-attribute", severity: "error", ...position(scaffolding.xml),
    message: `${scaffolding.spec.name} has no Agent, and the configuration has ${model.agents.length === 0 ? "no agent" : `${model.agents.length} agents`}: ` +
      "the job it generates needs one",
    hint: model.agents.length === 0 ? "declare an <Agent>" : `write Agent="${model.agents[0]}" (or another: ${model.agents.join(", ")})`,
  });
  return undefined;
}

interface HandWritten {
  jobs: Map<string, XmlElement>;
  tasks: Map<string, XmlElement>;
}

function handWritten(configuration: Configuration): HandWritten {
  return {
    jobs: new Map(configuration.jobs.map((j) => [j.identifier, j.element.xml])),
    tasks: new Map(configuration.tasks.map((t) => [t.identifier, t.element.xml])),
  };
}

/** Turns planned jobs and tasks into configuration elements whose synthetic xml points at the scaffolding. */
class Materializer {
  constructor(
    readonly catalog: SchemaCatalog,
    readonly scaffolding: ConfigElement,
    readonly written: HandWritten,
    readonly problems: Problem[],
  ) {}

  job(planned: PlannedJob, configuration: Configuration): void {
    const steps: JobStep[] = [];
    for (const [level, group] of planned.groups.entries()) {
      for (const entry of group) {
        const levelAttribute: Attributes = planned.levels ? { Level: level } : {};
        if ("step" in entry) {
          steps.push({ kind: "step", task: entry.step, element: this.#element("Step", { Identifier: entry.step, ...levelAttribute }, []) });
          continue;
        }
        const task = { ...entry.task, attributes: { ...entry.task.attributes, ...levelAttribute } };
        if (!this.topLevelTask(task, configuration)) {
          // The hand-written task replaces the generated one and runs in its place.
          steps.push({ kind: "step", task: task.identifier, element: this.#element("Step", { Identifier: task.identifier, ...levelAttribute }, []) });
          continue;
        }
        if (!planned.withoutJob) steps.push({ kind: "inline", task: task.identifier, element: configuration.tasks.at(-1)!.element });
      }
    }
    if (planned.withoutJob) return;
    if (this.#replacedByHand(this.written.jobs, "Job", planned.identifier)) return;
    const element = this.#element("Job", { Identifier: planned.identifier, ...planned.attributes }, []);
    element.xml.children = steps.map((s) => s.element.xml);
    configuration.jobs.push({ identifier: planned.identifier, element, steps });
  }

  /** Adds a generated task; false when a hand-written task has its identifier (it wins). */
  topLevelTask(task: PlannedTask, configuration: Configuration): boolean {
    if (this.#replacedByHand(this.written.tasks, task.type, task.identifier)) return false;
    const children = [
      ...task.dependsOn.map((parent) => this.#element("TaskDependsOnTask", { ParentTask: parent }, [])),
      ...task.entityTypes.map((type) => this.#element("TaskEntityType", { EntityType: type }, [])),
      ...task.resourceTypes.map((type) => this.#element("TaskResourceType", { ResourceType: type }, [])),
    ];
    const element = this.#element(task.type, { Identifier: task.identifier, ...task.attributes }, children);
    configuration.tasks.push({ type: task.type, identifier: task.identifier, derivedIdentifier: false, element });
    return true;
  }

  /**
   * SEAM(overlays): a hand-written element with a generated element's identifier. Today it
   * replaces the generated one whole (the reference's rule when ConsolidationMode is absent) and a
   * warning says so; applyOverlays (src/config/overlays.ts) will take Merge, Update and Delete here.
   */
  #replacedByHand(written: Map<string, XmlElement>, kind: string, identifier: string): boolean {
    const xml = written.get(identifier);
    if (xml === undefined) return false;
    this.problems.push({
      code: "scaffolding-conflict", severity: "warning", ...position(xml),
      message: `${kind} "${identifier}" is also generated by the ${this.scaffolding.spec.name} at ${this.#at()}: this hand-written element replaces the generated one`,
      related: [position(this.scaffolding.xml)],
    });
    return true;
  }

  #at(): string {
    const { file, line } = this.scaffolding.xml.span;
    return `${file}:${line}`;
  }

  #element(name: string, attributes: Record<string, AttributeValue>, children: ConfigElement[]): ConfigElement {
    const spec = this.catalog.get(name);
    if (spec === undefined) throw new Error(`scaffolding output ${name} is not in the schema catalog`);
    const values = { ...attributes };
    applyDefaults(spec, values);
    const span = this.scaffolding.xml.span;
    const xml: XmlElement = {
      name,
      attributes: Object.entries(attributes).map(([key, value]) => ({ name: key, value: String(value), span })),
      children: children.map((c) => c.xml),
      span,
    };
    return { spec, attributes: values, children, xml, generatedBy: this.scaffolding.spec.name };
  }
}
