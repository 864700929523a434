/**
 * What the job scaffoldings read of the configuration: agents, connectors in document order, and
 * per connector its connections and mapped entity types (sorted, as the reference lists them).
 */
import type { Configuration } from "../configuration.js";

export interface ScaffoldedConnector {
  identifier: string;
  displayName: string;
  agent?: string;
  /** Connector CompleteJob / IncrementalJob: Used, NotUsed, OnlySynchronization, OnlyProvisioning. */
  completeJob: string;
  incrementalJob: string;
  connections: string[];
  entityTypes: string[];
  resourceTypes: string[];
}

export interface ScaffoldingModel {
  agents: string[];
  connectors: ScaffoldedConnector[];
}

export function readScaffoldingModel(configuration: Configuration): ScaffoldingModel {
  const agents: string[] = [];
  const connectors = new Map<string, ScaffoldedConnector>();
  const connections: [string, string][] = [];
  const mappings: [string, string][] = [];
  const targets: [string, string][] = [];
  for (const model of configuration.models) {
    const a = model.attributes;
    const name = model.spec.name;
    if (name === "Agent" && typeof a.Identifier === "string") agents.push(a.Identifier);
    else if (name === "Connector" && typeof a.Identifier === "string" && !connectors.has(a.Identifier)) {
      connectors.set(a.Identifier, {
        identifier: a.Identifier,
        displayName: typeof a.DisplayName_L1 === "string" ? a.DisplayName_L1 : a.Identifier,
        ...(typeof a.Agent === "string" ? { agent: a.Agent } : {}),
        completeJob: String(a.CompleteJob ?? "Used"),
        incrementalJob: String(a.IncrementalJob ?? "Used"),
        connections: [],
        entityTypes: [],
        resourceTypes: [],
      });
    } else if (name === "Connection" && typeof a.Identifier === "string" && typeof a.Connector === "string") connections.push([a.Connector, a.Identifier]);
    else if (name === "EntityTypeMapping" && typeof a.Identifier === "string" && typeof a.Connector === "string") mappings.push([a.Connector, a.Identifier]);
    else if (name === "ResourceType" && typeof a.Identifier === "string" && typeof a.TargetEntityType === "string") targets.push([a.TargetEntityType, a.Identifier]);
  }
  for (const [connector, id] of connections) connectors.get(connector)?.connections.push(id);
  for (const [connector, id] of mappings) connectors.get(connector)?.entityTypes.push(id);
  for (const c of connectors.values()) {
    c.connections.sort(compareOrdinal);
    c.entityTypes = [...new Set(c.entityTypes)].sort(compareOrdinal);
    // A resource type provisions its TargetEntityType, which the connector maps.
    const mapped = new Set(c.entityTypes);
    c.resourceTypes = targets.filter(([target]) => mapped.has(target)).map(([, id]) => id).sort(compareOrdinal);
  }
  return { agents, connectors: [...connectors.values()] };
}

export function compareOrdinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
