import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source", "import", "module", "default"] },
  ssr: { resolve: { conditions: ["source", "import", "module", "default"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "simulator/test/**/*.test.ts", "specs/runner/test/**/*.test.ts", "mutants/test/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 120_000,
  },
});
