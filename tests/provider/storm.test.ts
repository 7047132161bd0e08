/**
 * A 429 storm: the vendor answers HTTP 429 with `Retry-After: 1` (under the 60 s cap,
 * so each attempt waits it out) to every request. A destroy or a rotation of a
 * 50-phone group ends after the operation's circuit breaker stops it (3 retries in
 * a row refused after their wait), not after a Retry-After per phone (16 phones took
 * 21 s and 48 requests; 50 at `Retry-After: 60`, about 2.5 h): the resource stays,
 * and the error says what the vendor answered and what to do. Prints the figures.
 */
import { sipPhoneGroupProvider as provider } from "../../provider";
import { CIRCUIT_RETRIES } from "../../provider/client";
import { resetConfiguration } from "../../provider/config";
import { PartialFailure } from "../../provider/partial";
import { configureProvider } from "../helpers/config";
import { scriptedServerPerSuite } from "../helpers/scriptedServer";

const server = scriptedServerPerSuite((_req, res) => {
  res.writeHead(429, { "Retry-After": "1" });
  res.end();
});
let keys = 0;
beforeEach(async () => {
  // A key of its own per test: the request budget (and its AIMD limit) is per account.
  await configureProvider(`${server.url}/voice`, { apiKey: `storm-${++keys}`, apiSecret: "StormSecret-5e1" });
});
afterEach(() => resetConfiguration());

const PHONES = 50;
const group = {
  appId: "storm-app",
  groupName: "storm-group",
  phoneName: "stormphone",
  quantity: PHONES,
  displayNum: "8610000000",
  accounts: Array.from({ length: PHONES }, (_, i) => `stormphone_${String(i + 1).padStart(3, "0")}`),
  passwords: {},
  resetTriggers: [1],
  passwordsSetAt: "2026-01-01T00:00:00.000Z",
};

const figures: string[] = [];
afterAll(() => console.log(["429 storm, Retry-After: 1, 50 phones:", ...figures].join("\n")));

it(`destroy: the breaker stops it after ${CIRCUIT_RETRIES} refused retries; the resource stays; the error says why and what to do`, async () => {
  const started = Date.now();
  const error = await provider.delete("storm-app/storm-group", group).catch((e: Error) => e);
  figures.push(
    `  destroy: ${server.requests.length} requests, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  expect(String(error)).toMatch(
    /could not revoke 50 of 50 passwords \(Itniotech sipReset failed with HTTP 429/,
  );
  expect(String(error)).toMatch(
    /; \d+ more were not sent: the API refused 3 attempts in a row after their wait\. Run the command again once the vendor accepts requests \(what succeeded is kept\), or set itniotech:requestsPerSecond to the account's quota, or lower itniotech:concurrency/,
  );
  expect(String(error)).toMatch(/the resource stays in the stack so that `pulumi destroy` can try again/);
  // The calls in flight when the breaker opened finish their 3 attempts; no other is sent.
  // Without the breaker every phone is 3 attempts: 150 requests.
  expect(server.requests.length).toBeLessThan(3 * PHONES);
  expect(server.requests.length).toBeLessThanOrEqual(3 * 16);
}, 20_000);

it("rotation: the same, as a partial failure that keeps the old triggers so that the next up finishes it", async () => {
  const started = Date.now();
  const error = await provider
    .update("storm-app/storm-group", group, { ...group, resetTriggers: [2] })
    .catch((e: unknown) => e);
  figures.push(
    `  rotation: ${server.requests.length} requests, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  expect(error).toBeInstanceOf(PartialFailure);
  const failure = error as PartialFailure;
  expect(failure.reasons.join("\n")).toMatch(
    /50 of 50 password resets failed \(Itniotech sipReset failed with HTTP 429/,
  );
  expect(failure.reasons.join("\n")).toMatch(
    /more were not sent: the API refused 3 attempts in a row after their wait/,
  );
  expect(server.requests.length).toBeLessThanOrEqual(3 * 16 + 1);
}, 20_000);
