/**
 * A RoleMapping's conditions (reference model.md §C.9): its Rules, each a list of Items
 * `Property Operator Value` that must all hold; the mapping matches a value resource when any Rule
 * does (a mapping without Rules matches every one). Pure: the caller reads the resource.
 *
 * Operators are the QueryComparisonOperator names (schema/ui-workflows.json, or their numbers).
 * Text compares without regard to case, as the product's queries do on SQL Server's default
 * collation; Auto compares as Equal; the Flexible forms compare as their plain forms (idm-toolkit has
 * no FlexibleComparisonExpression). GreaterThan and the like compare numbers when both sides are
 * numbers, else text. A resource without the property holds only the negative operators
 * (NotEqual, NotContain, NotStartWith, NotEndWith).
 */
export const QUERY_COMPARISON_OPERATORS = [
  "Auto", "NotEqual", "Equal", "Contain", "StartWith", "EndWith", "NotContain", "NotStartWith", "NotEndWith",
  "GreaterThan", "LessThan", "GreaterThanOrEqual", "LessThanOrEqual", "FlexibleEqual", "FlexibleContain", "FlexibleStartWith", "FlexibleEndWith",
] as const;
export type QueryComparisonOperator = (typeof QUERY_COMPARISON_OPERATORS)[number];

export interface ConditionItem {
  /** The property of the value resource, bare (an `EntityType:` prefix removed). */
  property: string;
  operator: QueryComparisonOperator;
  value: string;
}

/** Rules OR together; the Items of a Rule AND together. */
export type Conditions = readonly (readonly ConditionItem[])[];

/** An Operator attribute as a QueryComparisonOperator (its name or its number); absent: Auto (0); undefined when unknown. */
export function parseOperator(text: string | undefined): QueryComparisonOperator | undefined {
  if (text === undefined || text.trim() === "") return "Auto";
  const t = text.trim();
  if (/^\d+$/.test(t)) return QUERY_COMPARISON_OPERATORS[Number(t)];
  return QUERY_COMPARISON_OPERATORS.find((name) => name.toLowerCase() === t.toLowerCase());
}

type Scalar = string | number | boolean | undefined;

export function matchesConditions(conditions: Conditions, read: (property: string) => Scalar): boolean {
  if (conditions.length === 0) return true;
  return conditions.some((items) => items.every((item) => holds(item, read(item.property))));
}

const NEGATIVE: ReadonlySet<QueryComparisonOperator> = new Set(["NotEqual", "NotContain", "NotStartWith", "NotEndWith"]);

export function holds(item: ConditionItem, actual: Scalar): boolean {
  if (actual === undefined) return NEGATIVE.has(item.operator);
  const a = String(actual).toLowerCase();
  const v = item.value.toLowerCase();
  switch (item.operator) {
    case "Auto":
    case "Equal":
    case "FlexibleEqual":
      return a === v;
    case "NotEqual":
      return a !== v;
    case "Contain":
    case "FlexibleContain":
      return a.includes(v);
    case "NotContain":
      return !a.includes(v);
    case "StartWith":
    case "FlexibleStartWith":
      return a.startsWith(v);
    case "NotStartWith":
      return !a.startsWith(v);
    case "EndWith":
    case "FlexibleEndWith":
      return a.endsWith(v);
    case "NotEndWith":
      return !a.endsWith(v);
    case "GreaterThan":
      return order(actual, item.value) > 0;
    case "LessThan":
      return order(actual, item.value) < 0;
    case "GreaterThanOrEqual":
      return order(actual, item.value) >= 0;
    case "LessThanOrEqual":
      return order(actual, item.value) <= 0;
  }
}

function order(actual: string | number | boolean, value: string): number {
  const x = typeof actual === "number" ? actual : Number(actual);
  const y = Number(value);
  if (value.trim() !== "" && Number.isFinite(x) && Number.isFinite(y) && String(actual).trim() !== "") return x - y;
  const a = String(actual).toLowerCase();
  const b = value.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}
