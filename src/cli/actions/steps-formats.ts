/** The formats of `idm steps`, apart from its action: the command table imports them at start-up. */
export const STEPS_FORMATS = ["text", "json", "mermaid", "dot"] as const;
export type StepsFormat = (typeof STEPS_FORMATS)[number];

export interface StepsFlags {
  format: StepsFormat;
  json?: boolean;
}
