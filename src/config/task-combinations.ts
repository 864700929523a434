/**
 * Attribute combinations a schema cannot see: some need a child element, and overrides change a
 * task's attributes per job, so they are checked on the effective attributes of every use.
 */
import { position } from "./check-attributes.js";
import type { AttributeValue } from "./coerce-attribute.js";
import type { ConfigElement, TaskDefinition } from "./configuration.js";
import type { Problem } from "./problems.js";

interface CombinationRule {
  /** Attribute names, or child element names prefixed with "<". */
  of: string[];
  rule: "exactly-one" | "at-least-one";
  why: string;
}

const RULES: Record<string, CombinationRule[]> = {
  InvokeSqlCommandTask: [{ of: ["SQLCommand", "SQLInputFile"], rule: "exactly-one", why: "the task runs either an inline command or a file" }],
  FulfillTask: [{ of: ["Connector", "<TaskResourceType"], rule: "at-least-one", why: "the task fulfils a connector's or the listed resource types' orders" }],
  GenerateProvisioningOrdersTask: [{ of: ["Connector", "<TaskResourceType"], rule: "at-least-one", why: "orders are generated for a connector or for the listed resource types" }],
  ComputeCorrelationKeysTask: [{ of: ["AllEntityType", "<TaskEntityType"], rule: "exactly-one", why: "the task works on all entity types or on the listed ones" }],
  UpdateEntityPropertyExpressionsTask: [{ of: ["AllEntityType", "<TaskEntityType"], rule: "exactly-one", why: "the task works on all entity types or on the listed ones" }],
};

export function checkTaskCombinations(task: TaskDefinition, at: ConfigElement, attributes: Record<string, AttributeValue>, problems: Problem[]): void {
  for (const { of, rule, why } of RULES[task.type] ?? []) {
    const present = of.filter((name) =>
      name.startsWith("<") ? task.element.children.some((c) => c.spec.name === name.slice(1)) : isSet(attributes[name]));
    const ok = rule === "exactly-one" ? present.length === 1 : present.length >= 1;
    if (ok) continue;
    const names = of.map((n) => (n.startsWith("<") ? `${n}> children` : n)).join(rule === "exactly-one" ? " or " : " and/or ");
    problems.push({
      code: "invalid-task-combination",
      severity: "error",
      message: present.length === 0
        ? `${task.type} "${task.identifier}" needs ${names}: ${why}`
        : `${task.type} "${task.identifier}" has both ${present.join(" and ")}: ${why}`,
      hint: rule === "exactly-one" ? `keep exactly one of ${names}` : `set ${names}`,
      ...position(at.xml),
    });
  }
}

function isSet(value: AttributeValue | undefined): boolean {
  return value !== undefined && value !== false && value !== "";
}
