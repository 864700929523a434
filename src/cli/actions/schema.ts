import { writeFileSync } from "node:fs";
import { loadCatalog } from "../../config/schema/catalog.js";
import { generateTypes } from "../../config/schema/typescript.js";
import { generateXsd } from "../../config/schema/xsd.js";
import { loadVocabulary } from "../../config/vocabulary.js";
import { CliError } from "../cli-error.js";

export function schema(options: { xsd?: string | true; types?: string | true }): void {
  if ((options.xsd === undefined) === (options.types === undefined)) throw new CliError("give exactly one of --xsd or --types");
  const catalog = loadCatalog();
  const [text, target] = options.xsd !== undefined
    ? [generateXsd(catalog, loadVocabulary()), options.xsd]
    : [generateTypes(catalog), options.types!];
  if (target === true) process.stdout.write(text);
  else writeFileSync(target, text);
}
