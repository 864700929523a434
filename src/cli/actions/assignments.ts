import type { Command } from "commander";
import type { OwnerReport, ReportedValue, ResourceTypeReport } from "../../domain/rolemodel/assignment-report.js";
import type { ResourceRef } from "../../domain/rolemodel/report-lookups.js";
import { withStore } from "../context.js";
import { reportSubjectError } from "./report-errors.js";

export async function assignments(program: Command, entityType: string, key: string | undefined, flags: { json?: boolean }): Promise<void> {
  const { assignmentReport } = await import("../../domain/rolemodel/assignment-report.js");
  const owners = await withStore(program, (store) => reportSubjectError(() => assignmentReport(store, entityType, key)));
  if (flags.json) return void process.stdout.write(`${JSON.stringify(owners, null, 2)}\n`);
  if (owners.length === 0) return void process.stdout.write(`No ${entityType} holds an assignment.\n`);
  process.stdout.write(owners.map(ownerText).join("\n"));
}

/** A resource as the text names it: its entity type and key, or its id when it is no longer stored. */
export function resourceText(ref: Pick<ResourceRef, "entityType" | "key">): string {
  return ref.entityType === "" ? `${ref.key} (no longer stored)` : `${ref.entityType} ${ref.key}`;
}

const day = (iso: string | null) => (iso === null ? undefined : iso.replace(/T00:00:00\.000Z$/, "").replace(/\.000Z$/, "Z"));

interface RowColumns {
  origin: string;
  rule: string | null;
  workflowState?: string;
  validFrom?: string | null;
  validTo?: string | null;
}

/** The columns after a row's name: origin, workflow state, validity, then its rule's file:line. */
function tail(row: RowColumns): string {
  const from = day(row.validFrom ?? null);
  const to = day(row.validTo ?? null);
  const validity = [from && `from ${from}`, to && `to ${to}`].filter((p): p is string => p !== undefined).join(" ");
  const parts = [row.origin, row.workflowState, validity].filter((p): p is string => p !== undefined && p !== "");
  return `  ${parts.join(", ")}${row.rule === null ? "" : `  ${row.rule}`}`;
}

function valueText(value: ReportedValue): string {
  if (value === null) return "—";
  return typeof value === "string" ? JSON.stringify(value) : resourceText(value);
}

function resourceTypeLines(type: ResourceTypeReport): string[] {
  const target = type.target === null ? "no target yet" : `→ ${resourceText(type.target)}`;
  const lines = [`    ${type.resourceType} ${target}  ${type.provisioningState}${tail({ origin: type.origin, rule: type.rule })}`];
  if (type.correlation !== null) lines.push(`      correlated by ${type.correlation.rule}${type.correlation.confidence === null ? "" : `, confidence ${type.correlation.confidence}`}`);
  const width = Math.max(0, ...type.values.map((v) => v.property.length));
  for (const value of type.values) {
    lines.push(`      ${value.property.padEnd(width)}  policy ${valueText(value.policyValue)}  current ${valueText(value.currentValue)}  ${value.state}`);
  }
  return lines;
}

function ownerText(owner: OwnerReport): string {
  const lines = [`${resourceText(owner.resource)}`];
  const section = (title: string, rows: string[]) => {
    if (rows.length > 0) lines.push(`  ${title}`, ...rows);
  };
  section("contexts", owner.contexts.map((c) => `    ${Object.entries(c.dimensions).map(([d, v]) => `${d}=${String(v)}`).join(" ") || "(no dimension)"}${tail(c)}`));
  section("roles", owner.roles.map((r) => `    ${r.role} (${r.kind})${tail(r)}`));
  section("resource types", owner.resourceTypes.flatMap(resourceTypeLines));
  section("risks", owner.risks.map((r) => `    ${r.risk}${tail(r)}`));
  if (lines.length === 1) lines.push("  holds no assignment");
  return `${lines.join("\n")}\n`;
}
