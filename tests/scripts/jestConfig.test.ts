/**
 * The test runner's own bound: jest runs the files in a worker process it replaces
 * when a file leaves it above `workerIdleMemoryLimit`, instead of in its own process,
 * whose heap grew to 2 GB over the suite (docs/RELIABILITY.md, "The test suite").
 */
import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const config = require(path.join(ROOT, "jest.config.js")) as { workerIdleMemoryLimit?: string };

it("this file runs in a worker process jest can replace, not in jest's own process", () => {
  // In band (no limit on 2 cores) a test runs in the jest process, which has no IPC
  // channel; a worker is a child process that talks to jest over one.
  expect(typeof process.send).toBe("function");
  expect(process.connected).toBe(true);
});

it("the worker's memory limit is the one docs/RELIABILITY.md gives", () => {
  const reliability = readFileSync(path.join(ROOT, "docs/RELIABILITY.md"), "utf8");
  const row = reliability.split("\n").find((line) => line.includes("`workerIdleMemoryLimit`"));
  expect(row).toBeDefined();
  expect(config.workerIdleMemoryLimit).toMatch(/^\d+MB$/);
  expect(row).toContain(`**${config.workerIdleMemoryLimit?.replace("MB", " MB")}**`);
});
