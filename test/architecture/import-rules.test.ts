/**
 * The layering rule of README's Layout, checked on every import of src/: data flows one way, from
 * the CLI down to the store, and the domain never reaches up into the task layer or the runner.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** domain's root files (vocabulary, work context, stored items) are the kernel every layer may use. */
type Layer = "cli" | "jobs" | "tasks" | "deploy" | "domain" | "kernel" | "connectors" | "config" | "store";

const ALLOWED: Record<Layer, readonly Layer[]> = {
  cli: ["jobs", "tasks", "deploy", "domain", "kernel", "connectors", "config", "store"],
  jobs: ["tasks", "deploy", "domain", "kernel", "connectors", "config", "store"],
  tasks: ["deploy", "domain", "kernel", "connectors", "config", "store"],
  deploy: ["kernel", "config", "store"],
  domain: ["kernel", "connectors", "config", "store"],
  kernel: ["config", "store"],
  connectors: ["kernel", "config", "store"],
  // Validation checks expressions with the language the domain evaluates them in.
  config: ["domain"],
  store: ["kernel"],
};

function layerOf(file: string): Layer {
  const parts = relative(SRC, file).split("/");
  if (parts[0] === "domain") return parts.length === 2 ? "kernel" : "domain";
  return parts[0] as Layer;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(folder, entry.name)) : entry.name.endsWith(".ts") ? [join(folder, entry.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => normalize(join(dirname(file), m[1]!)));
}

describe("import rules", () => {
  it("every import of src/ goes to its own layer or to one the layer may use", () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to !== from && !ALLOWED[from].includes(to)) violations.push(`${relative(SRC, file)} (${from}) imports ${relative(SRC, target)} (${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the domain imports neither the task layer nor the runner, and the task layer not the runner", () => {
    for (const layer of ["domain", "kernel", "connectors", "deploy", "config", "store"] as const) {
      expect(ALLOWED[layer]).not.toContain("tasks");
      expect(ALLOWED[layer]).not.toContain("jobs");
    }
    expect(ALLOWED.tasks).not.toContain("jobs");
  });

  it("sees a violation when there is one", () => {
    const runner = join(SRC, "jobs/runner.ts");
    expect(layerOf(runner)).toBe("jobs");
    expect(ALLOWED[layerOf(join(SRC, "domain/sync/synchronize.ts"))]).not.toContain(layerOf(runner));
    expect(importsOf(runner).some((target) => layerOf(target) === "tasks")).toBe(true);
  });
});
