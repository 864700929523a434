import type { Command } from "commander";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("generate the XSD (editor completion) or the TypeScript types from the JSON Schemas")
    .option("--xsd [file]", "write the XSD to file (default: standard output)")
    .option("--types [file]", "write the TypeScript types to file (default: standard output)")
    .addHelpText("after", `
Examples:
  $ idm schema --xsd identitymanager-configuration.xsd
  $ idm schema --types schema-types.ts`)
    .action(async (options: { xsd?: string | true; types?: string | true }) => (await import("../actions/schema.js")).schema(options));
}
