import { defineConfig } from "vitest/config";

/**
 * The test files whose time goes mostly into child processes and waits on them: the built `idm`
 * run as a user runs it (and `idm scheduler`), runners killed mid-sync, processes racing for a lease,
 * `tsc` compiling generated declarations. Measured per file, they were more than half of the suite's
 * time on 2 cores, so they form their own project (`process`, run by `npm run test:process` and by
 * CI) and `npm test` runs the rest (`unit`). A file that starts one process among many database
 * tests (store.test.ts) stays in `unit`.
 */
const PROCESS = [
  "test/cli/assignments.test.ts",
  "test/cli/demo-ldap-loop.test.ts",
  "test/cli/demo-loop.test.ts",
  "test/cli/deploy.test.ts",
  "test/cli/first-hour.test.ts",
  "test/cli/fulfil-killed.test.ts",
  "test/cli/orders-review.test.ts",
  "test/cli/pictures.test.ts",
  "test/cli/run.test.ts",
  "test/cli/run-killed-runner.test.ts",
  "test/cli/scaffolded.test.ts",
  "test/cli/steps.test.ts",
  "test/cli/sync.test.ts",
  "test/cli/validate.test.ts",
  "test/cli/why.test.ts",
  "test/domain/processes/left-groups.test.ts",
  "test/domain/sync/prepare-killed.test.ts",
  "test/domain/sync/synchronize-killed.test.ts",
  "test/jobs/scheduler.test.ts",
  "test/store/lease.test.ts",
  "test/tasks/deploy-configuration.test.ts",
];

export default defineConfig({
  test: {
    // Child processes on a shared 2-core machine need headroom.
    testTimeout: 30_000,
    // CI counts results from the JSON report (.ci/run prints "N passed, N failed" from it).
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".vitest-report.json" }]] : ["default"],
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: PROCESS } },
      { extends: true, test: { name: "process", include: PROCESS } },
    ],
  },
});
