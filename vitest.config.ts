import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // CLI tests spawn node processes; a shared 2-core machine needs headroom.
    testTimeout: 30_000,
    // CI counts results from the JSON report (.ci/run prints "N passed, N failed" from it).
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".vitest-report.json" }]] : ["default"],
  },
});
