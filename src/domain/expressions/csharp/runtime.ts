/**
 * What an evaluation carries: its locals, the step budget, the context variables; and the shapes
 * of arguments a member receives (a value, a lambda for LINQ, an `out` slot).
 */
import { CSharpException, isNull, typeName, type CSharpValue } from "./values.js";

export const STEP_BUDGET = 1_000_000;

export interface Env {
  locals: CSharpValue[];
  steps: number;
  iteration: bigint;
}

export function charge(env: Env, steps: number): void {
  env.steps += steps;
  if (env.steps > STEP_BUDGET) {
    throw new CSharpException("StepBudgetExceeded", `the evaluation took more than ${STEP_BUDGET} steps (a computation too long for one resource)`);
  }
}

/** A lambda given to a LINQ method: its parameters bound to the arguments, then its body. */
export type Lambda = (env: Env, args: CSharpValue[]) => CSharpValue;

export class OutSlot {
  constructor(readonly slot: number) {}
}

export type Argument = CSharpValue | Lambda | OutSlot;

export type Method = (env: Env, receiver: CSharpValue, args: readonly Argument[]) => CSharpValue;
export type Property = (env: Env, receiver: CSharpValue) => CSharpValue;

export function wrongArguments(name: string, args: readonly Argument[]): CSharpException {
  const types = args.map((a) => (typeof a === "function" ? "lambda" : a instanceof OutSlot ? "out" : typeName(a as CSharpValue)));
  return new CSharpException("InvalidOperationException", `no overload of ${name} takes (${types.join(", ")})`);
}

export function str(value: Argument, name: string, args: readonly Argument[]): string {
  if (typeof value === "string") return value;
  throw wrongArguments(name, args);
}

export function strOrNull(value: Argument, name: string, args: readonly Argument[]): string | null {
  if (isNull(value as CSharpValue)) return null;
  return str(value, name, args);
}

export function int(value: Argument, name: string, args: readonly Argument[]): number {
  if (typeof value === "bigint") return Number(value);
  throw wrongArguments(name, args);
}

export function num(value: Argument, name: string, args: readonly Argument[]): number {
  if (typeof value === "bigint" || typeof value === "number") return Number(value);
  throw wrongArguments(name, args);
}

export function lambda(value: Argument | undefined, name: string, args: readonly Argument[]): Lambda {
  if (typeof value === "function") return value as Lambda;
  throw wrongArguments(name, args);
}

/** A result string that would be huge costs steps in proportion: PadLeft(1000000000) ends on the budget. */
export function chargeLength(env: Env, length: number): void {
  if (length > 1024) charge(env, Math.ceil(length / 64));
}
