// The e2e project's timeout (jest 29 takes `testTimeout` only globally): these tests
// start processes (Pulumi's provider host, the emulator CLI, ts-node programs) and
// wait on real timeouts, on 2 shared cores. The unit project keeps jest's 5 s.
jest.setTimeout(60_000);
