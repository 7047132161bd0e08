/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Program and engine tests spawn processes and talk HTTP/gRPC.
  testTimeout: 60000,
  // The package resolves itself through node_modules/pulumi-itniotech -> ..;
  // without this jest would see every test file twice.
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/node_modules/pulumi-itniotech/"],
};
