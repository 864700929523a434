/**
 * The job scaffoldings (CreateConnectorSynchroComplete, ...): what each plans from the configuration
 * (the canonical pipelines of pipelines.ts, then its arguments), as elements to generate: a Job
 * holding its tasks (inline) and Steps (AddTask), or top-level tasks (DoNotCreateJob, the
 * connector pages of CreateConnectorsJobs).
 */
import { position } from "../check-attributes.js";
import type { ConfigElement } from "../configuration.js";
import type { Problem } from "../problems.js";
import { applyArguments } from "./arguments.js";
import type { ElementPlan } from "./generated-elements.js";
import type { Attributes, PlannedEntry, PlannedJob, PlannedTask } from "./planned-job.js";
import { accessCertification, cleanDatabase, completeSynchronization, connectorPageTasks, incrementalSynchronization, initialization, type PipelineOptions } from "./pipelines.js";
import type { ScaffoldedConnector, ScaffoldingModel } from "./scaffolding-model.js";

export const JOB_SCAFFOLDINGS: ReadonlySet<string> = new Set([
  "CreateConnectorSynchroComplete", "CreateConnectorSynchroIncremental", "CreateAgentSynchroComplete", "CreateAgentSynchroIncremental",
  "CreateConnectorsJobs", "CreateInitializationJob", "CleanDatabaseJob", "CreateAccessCertificationJob",
]);

/** The top-level elements a job scaffolding generates; none when it cannot (its problem is reported). */
export function planJobScaffolding(scaffolding: ConfigElement, model: ScaffoldingModel, problems: Problem[]): ElementPlan[] {
  const plan = planJobs(scaffolding, model, problems);
  if (plan === undefined) return [];
  if (scaffolding.spec.name !== "CreateConnectorsJobs") for (const job of plan.jobs) applyArguments(scaffolding, job, problems);
  return [...plan.pageTasks.map((t) => taskPlan(t, {})), ...plan.jobs.flatMap(jobPlans)];
}

/** A job with its tasks inline and its AddTask steps; with DoNotCreateJob, its tasks alone. */
function jobPlans(job: PlannedJob): ElementPlan[] {
  const entries = job.groups.flatMap((group, level) => group.map((entry) => ({ entry, level: (job.levels ? { Level: level } : {}) as Attributes })));
  if (job.withoutJob) return entries.flatMap(({ entry, level }) => ("task" in entry ? [taskPlan(entry.task, level)] : []));
  const children = entries.map(({ entry, level }) => entryPlan(entry, level));
  return [{ name: "Job", attributes: { Identifier: job.identifier, ...job.attributes }, children }];
}

function entryPlan(entry: PlannedEntry, level: Attributes): ElementPlan {
  return "task" in entry ? taskPlan(entry.task, level) : { name: "Step", attributes: { Identifier: entry.step, ...level } };
}

function taskPlan(task: PlannedTask, level: Attributes): ElementPlan {
  return {
    name: task.type,
    attributes: { Identifier: task.identifier, ...task.attributes, ...level },
    children: [
      ...task.dependsOn.map((parent) => ({ name: "TaskDependsOnTask", attributes: { ParentTask: parent } })),
      ...task.entityTypes.map((type) => ({ name: "TaskEntityType", attributes: { EntityType: type } })),
      ...task.resourceTypes.map((type) => ({ name: "TaskResourceType", attributes: { ResourceType: type } })),
    ],
  };
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
