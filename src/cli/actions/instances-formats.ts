/** The formats of `idm instances`, apart from its action: the command table imports them at start-up. */
export const INSTANCES_FORMATS = ["text", "json", "mermaid"] as const;
export type InstancesFormat = (typeof INSTANCES_FORMATS)[number];

export interface InstancesFlags {
  job?: string;
  limit: string;
  format: InstancesFormat;
  json?: boolean;
}
