/**
 * `npm run bench:redactor`: the worst a vendor can make one error quote cost, under
 * the redactor's bounds (docs/RELIABILITY.md, "Secrets"): passwords of every length a
 * reply may carry (1 to MAX_PASSWORD_LENGTH, so every distinct length), as many as the
 * character bound holds, then a reason of 1 MB quoted to the 300 characters an error
 * message keeps. Prints the time per quote and what is remembered.
 */
import { performance } from "node:perf_hooks";
import { MAX_PASSWORD_LENGTH, MAX_REMEMBERED_CHARACTERS, Redactor } from "../provider/client/redact";

const redactor = new Redactor(["an-api-secret-of-40-characters-0123456789"]);
let n = 0;
while (redactor.size.characters < MAX_REMEMBERED_CHARACTERS - MAX_PASSWORD_LENGTH) {
  const length = 1 + (n % MAX_PASSWORD_LENGTH);
  redactor.remember(`${n.toString(36)}${"q".repeat(length)}`.slice(0, length));
  n++;
}
// A reason that almost matches everywhere: the slowest text for a lookup per position and length.
const reason = "q".repeat(1_000_000);
const runs = 20;
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  redactor.quote(reason, 300, ["a-sign-value-of-64-hex-characters-0000000000000000000000000000000"]);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const { secrets, characters, lengths } = redactor.size;
console.log(
  `remembered: ${secrets} secrets, ${characters} characters, ${lengths} distinct lengths; ` +
    `quote of a 1 MB reason to 300 characters, ${runs} runs: min ${times[0]?.toFixed(1)} ms, ` +
    `median ${times[runs / 2]?.toFixed(1)} ms, max ${times[runs - 1]?.toFixed(1)} ms`,
);
