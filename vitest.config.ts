import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // CLI tests spawn node processes; a shared 2-core machine needs headroom.
    testTimeout: 30_000,
  },
});
