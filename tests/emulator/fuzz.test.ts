import fc from "fast-check";
import { startEmulator, type Emulator } from "../../emulator";
import { post } from "./raw";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());

const headerText = fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s));

describe("arbitrary requests never crash the emulator", () => {
  it("always answer JSON with a string status (200 runs)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("sipAdd", "sipQuery", "sipReset"),
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.json({ maxDepth: 3 }),
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        ),
        fc.record({ "Api-Key": headerText, Timestamp: headerText, Sign: headerText }, { requiredKeys: [] }),
        fc.boolean(),
        async (endpoint, body, headers, signed) => {
          const reply = await post(
            emulator.baseUrl,
            endpoint,
            body,
            signed ? {} : { headers: { "Api-Key": "", Sign: "", Timestamp: "", ...headers } },
          );
          expect(reply.httpStatus).toBe(200);
          expect(typeof reply.status).toBe("string");
        },
      ),
      { numRuns: 200 },
    );
    const health = await fetch(`${emulator.url}/_emulator/health`);
    expect(health.status).toBe(200);
  });
});
