import type { Command } from "commander";
import type { WhyResult } from "../../domain/rolemodel/why.js";
import { withStore } from "../context.js";
import { parseIsoTime } from "../iso-time.js";
import { reportSubjectError } from "./report-errors.js";

export async function why(program: Command, entityType: string, key: string, subject: string, flags: { json?: boolean; at?: string }): Promise<void> {
  const at = flags.at === undefined ? new Date() : parseIsoTime("--at", flags.at);
  const [{ why: explainWhy }, { renderExplanation }] = await Promise.all([import("../../domain/rolemodel/why.js"), import("../../domain/rolemodel/evaluate/render-explanation.js")]);
  const result = await withStore(program, (store) => reportSubjectError(() => explainWhy(store, entityType, key, subject, at)));
  if (flags.json) return void process.stdout.write(`${JSON.stringify(whyJson(result), null, 2)}\n`);
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(`${renderExplanation(result.explanation).join("\n")}\n`);
}

/** The explanation as JSON: its dimension map as an object (column → Dimension identifier), the instant and the warnings beside it. */
function whyJson({ explanation, at, warnings }: WhyResult) {
  const { owner, identifier, subjects, dimensions } = explanation;
  return { owner: { entityType: owner.entityType, key: owner.key, id: Number(owner.id) }, identifier, at, dimensions: Object.fromEntries(dimensions), subjects, warnings };
}
