/**
 * A bad phone-groups.yaml stops the program before it declares anything: no resource
 * is registered and the API is never called, so a pull request that breaks the file
 * fails its preview with the file, line, entry and field of every problem.
 * (Its own file: a program module runs once per jest module registry.)
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runProgram } from "../helpers/mocks";
import { emulatorWithConfig } from "../helpers/config";

const BAD = `appId: demo-app
groups:
  - name: sales
    quantity: 80
    displayNum: "8610000001"
  - name: support
    quantiy: 5
    displayNum: 8610000002
  - name: lobby
    quantity: 2
    displayNum: "8610000003"
    phoneName: abc
`;

it("a malformed phone-groups.yaml fails with every problem named, and no API call", async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "phone-groups-")), "phone-groups.yaml");
  writeFileSync(file, BAD);
  const { emulator, config } = await emulatorWithConfig();
  try {
    const run = runProgram(() => require("../../examples/groups-from-yaml") as unknown, {
      ...config,
      "itniotech-test:phoneGroupsFile": file,
    });
    await expect(run).rejects.toMatchObject({ name: "PhoneGroupsError" });
    const error = (await run.catch((e: unknown) => e)) as { problems: string[]; message: string };
    expect(error.problems).toEqual([
      `${file}:4: groups[0] (sales): quantity must be between 1 and 50 (got 80)`,
      `${file}:6: groups[1] (support): quantity is required`,
      `${file}:8: groups[1] (support): displayNum must be a string of digits: quote it, displayNum: "8610000002"`,
      `${file}:7: groups[1] (support): unknown field 'quantiy' (expected one of name, quantity, displayNum, groupName, phoneName, rotation, adopt, retainOnDelete)`,
      `${file}:12: groups[2] (lobby): phoneName must be 4-32 characters long (got 3)`,
    ]);
    expect(error.message).toMatch(/^5 problems in the phone groups file:\n {2}\//);
    expect(emulator.requests()).toEqual([]);
    expect(Object.values(emulator.counters()).reduce((a, b) => a + b, 0)).toBe(0);
  } finally {
    await emulator.close();
  }
});
