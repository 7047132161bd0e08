/**
 * Two projects: `unit` runs in-process tests with jest's default 5 s timeout, so a
 * test that hangs fails fast; `e2e` holds the tests that spawn processes (Pulumi's
 * provider host, the emulator CLI, ts-node programs) or wait on real timeouts, and
 * only they get a long one. See tests/README.md.
 */
const common = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // The package resolves itself through node_modules/pulumi-itniotech -> ..;
  // without this jest would see every test file twice.
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/node_modules/pulumi-itniotech/"],
};

/** @type {import('jest').Config} */
module.exports = {
  // On 2 cores jest runs every file in its own process ("in band"), and that process
  // keeps what each file loaded: its heap grew to 2 GB over the suite (measured with
  // --logHeapUsage), and then one test that moves 10 MiB over HTTP took over 5 s in a
  // full collection of it (CI, stop 20). With a limit jest runs the files in a worker
  // and starts a fresh one when a file leaves it above the limit (docs/RELIABILITY.md).
  workerIdleMemoryLimit: "768MB",
  projects: [
    {
      ...common,
      displayName: "unit",
      roots: ["<rootDir>/tests"],
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/e2e/"],
      // Builds dist/ when a source is newer (some tests load the package by name).
      globalSetup: "<rootDir>/tests/helpers/build-if-stale.ts",
    },
    {
      ...common,
      displayName: "e2e",
      roots: ["<rootDir>/tests/e2e"],
      testMatch: ["**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/tests/helpers/e2e-timeout.ts"],
    },
  ],
};
