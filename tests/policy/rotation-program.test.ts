/**
 * A program that uses `rotateAfter` passes `itniotech-rotation-required`: the
 * examples/rotation program previewed under mocks (its real serialized providers'
 * `check` runs, as in `pulumi preview`), each itniotech resource's checked inputs —
 * what the engine hands the analyzer — judged by the rule.
 */
import type * as pulumi from "@pulumi/pulumi";
import { GROUP_TYPE, PASSWORD_TYPE, rotationRequired } from "../../policy";
import { runProgram } from "../helpers/mocks";
import { stackConfig } from "../helpers/config";
import { validate } from "./args";

it('examples/rotation (rotateAfter: "90d" on its group and its password) passes; without rotateAfter it would not', async () => {
  const { registrations } = await runProgram(
    () => require("../../examples/rotation") as Record<string, pulumi.Output<unknown>>,
    stackConfig("http://127.0.0.1:9/voice"),
    { preview: true },
  );
  const ours = registrations.filter((r) => r.type === GROUP_TYPE || r.type === PASSWORD_TYPE);
  expect(ours.map((r) => r.type).sort()).toEqual([GROUP_TYPE, PASSWORD_TYPE]);
  for (const r of ours) {
    const props = r.outputs as Record<string, unknown>;
    expect(props["rotateAfter"]).toBe("90d");
    expect(await validate(rotationRequired, { type: r.type, props })).toEqual([]);
    const { rotateAfter: _, ...unscheduled } = props;
    expect(await validate(rotationRequired, { type: r.type, props: unscheduled })).toEqual([
      expect.stringMatching(/^rotateAfter is not set/),
    ]);
    expect(await validate(rotationRequired, { type: r.type, props, config: { maxDays: 30 } })).toEqual([
      expect.stringMatching(/longer than 30 days/),
    ]);
  }
});
