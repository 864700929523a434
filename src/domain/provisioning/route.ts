/**
 * Where a resource type's orders go (model.md §A.7, §A.3): its ResourceTypeMapping, of whichever
 * typed kind (LdapResourceTypeMapping…, all sharing the resource type's identifier), names a
 * Connection; the Connection's Package names the fulfilment package (connectors/fulfil/packages.ts)
 * and its Connector the connector the resource type belongs to, for a FulfillTask that names a
 * Connector.
 */
import type { ElementAttributesByKind } from "../../config/generated/schema-types.js";
import { attributeText } from "../../config/coerce-attribute.js";
import type { FulfilPackage, FulfilRoute } from "../../connectors/fulfil/fulfiller.js";
import { fulfilPackageFor } from "../../connectors/fulfil/packages.js";
import type { Store } from "../../store/store.js";
import { readStoredItems } from "../stored-items.js";

/** Every kind of ResourceTypeMapping of the vocabulary; a kind added to the schemas fails to compile until it is listed. */
export const MAPPING_KINDS = [
  "ResourceTypeMapping", "AzureADResourceTypeMapping", "EasyVistaResourceTypeMapping", "LdapResourceTypeMapping", "LDAPResourceTypeMapping",
  "ManualProvisioningResourceTypeMapping", "MicrosoftEntraIDResourceTypeMapping", "OktaResourceTypeMapping", "SapResourceTypeMapping",
  "ScimResourceTypeMapping", "ServiceNowResourceTypeMapping", "SharePointResourceTypeMapping",
] as const satisfies readonly (keyof ElementAttributesByKind)[];

type MappingKind = Extract<keyof ElementAttributesByKind, `${string}ResourceTypeMapping`>;
// Compile-time check that MAPPING_KINDS lists every mapping kind: `true` only when none is left out.
const EVERY_KIND_LISTED: Exclude<MappingKind, (typeof MAPPING_KINDS)[number]> extends never ? true : false = true;
void EVERY_KIND_LISTED;

/** A route and the package that fulfils it. */
export interface ResolvedRoute extends FulfilRoute {
  connector: string | undefined;
  package: FulfilPackage;
}

/** A mapping whose route is broken: why, and its connection's connector when it has one. */
export interface BrokenRoute {
  error: string;
  connector?: string | undefined;
}

/** Every mapped resource type's route, or why it has none. */
export type Routes = Map<string, ResolvedRoute | BrokenRoute>;

export async function readRoutes(store: Store, packages?: readonly FulfilPackage[]): Promise<Routes> {
  const connections = new Map((await readStoredItems(store, "Connection")).map((c) => [c.identifier, c]));
  const routes: Routes = new Map();
  for (const mapping of await readStoredItems(store, MAPPING_KINDS)) {
    const where = `${mapping.kind} ${mapping.identifier}`;
    if (routes.has(mapping.identifier)) {
      routes.set(mapping.identifier, { error: `ResourceType ${mapping.identifier} has two mappings (${where} and another): which connection fulfils it is ambiguous` });
      continue;
    }
    const connectionId = attributeText(mapping.attributes.Connection);
    const connection = connectionId === undefined ? undefined : connections.get(connectionId);
    if (connectionId === undefined || connection === undefined) {
      routes.set(mapping.identifier, { error: `${where} names Connection ${connectionId ?? "(none)"}, which is not in the deployed configuration` });
      continue;
    }
    const packageName = attributeText(connection.attributes.Package) ?? "";
    const found = fulfilPackageFor(packageName, packages);
    if (found === undefined) {
      routes.set(mapping.identifier, {
        error: `Connection ${connectionId} (of ${where}) has Package ${packageName || "(none)"}, which no fulfilment package of idm-toolkit handles`,
        connector: attributeText(connection.attributes.Connector),
      });
      continue;
    }
    routes.set(mapping.identifier, {
      resourceType: mapping.identifier, connection: connectionId, packageName, mappingKind: mapping.kind, mapping: mapping.attributes,
      connector: attributeText(connection.attributes.Connector), package: found,
    });
  }
  return routes;
}

/** The route of a resource type, or the error that says why it has none. */
export function routeOf(routes: Routes, resourceType: string): ResolvedRoute | BrokenRoute {
  return routes.get(resourceType) ?? { error: `ResourceType ${resourceType} has no ResourceTypeMapping: no connection fulfils its orders` };
}

export function isRoute(route: ResolvedRoute | BrokenRoute): route is ResolvedRoute {
  return !("error" in route);
}
