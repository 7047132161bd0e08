import { readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { resourceUrn, startHost } from "../tests/helpers/host";
import { timed, WARM_UP_APP, type ProviderProcess, type Props } from "./providerProcess";

/**
 * The provider in Pulumi's real dynamic-provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider`), the process the engine starts for every
 * command, driven over gRPC by the tests' harness (tests/helpers/host.ts) as the
 * engine drives it: its memory is what a user's machine spends, Pulumi's SDK and
 * gRPC included. Its timings include a gRPC round trip per resource between this
 * process and the host, which the engine pays too but the issue's bounds do not
 * count (bench/providerWorker.ts times the provider alone).
 */
const GROUP_TYPE = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";

/** The repository: the host resolves `pulumi-itniotech/…` from here (node_modules links it). */
const ROOT = path.resolve(__dirname, "..", "..");

/**
 * Longest one call may take. A rotation of 25,000 phones at 16 in flight and 50 ms
 * takes about 80 s, and every resource's update ends near the end of it (the budget
 * serves requests first come, first served): the harness's 20 s would cut it off.
 */
const CALL_TIMEOUT_MS = 30 * 60_000;

/** One resource as the engine keeps it between commands. */
interface HostState {
  urn: string;
  id: string;
  inputs: Props;
  outputs: Props;
}

/**
 * Starts a host in the repository, configured as a stack would configure it.
 * `parallel`: the engine's `--parallel`, the most resource operations (create, read,
 * update, delete) it sends at once; unbounded by default, as `pulumi up` runs.
 */
export async function startProviderHost(
  config: Record<string, string>,
  provider: string,
  env: Record<string, string> = {},
  parallel = Infinity,
): Promise<ProviderProcess<HostState>> {
  const host = await startHost({ cwd: ROOT, callTimeoutMs: CALL_TIMEOUT_MS, env });
  try {
    await host.configure(config, ["itniotech:apiSecret"]);
  } catch (e) {
    await host.close();
    throw e;
  }
  let checked: Props[] = [];
  return {
    async warm() {
      // A refresh of a group that does not exist: one page of an empty application.
      const started = performance.now();
      await host.read(
        resourceUrn(GROUP_TYPE, "warm-up"),
        `${WARM_UP_APP}/none`,
        {
          appId: WARM_UP_APP,
          groupName: "none",
          __provider: provider,
        },
        {},
      );
      return performance.now() - started;
    },
    async preview(groups) {
      const result = await timed(groups, async (group) => {
        const urn = resourceUrn(GROUP_TYPE, String(group["groupName"]));
        const { inputs, failures } = await host.check(urn, undefined, { ...group, __provider: provider });
        if (failures.length > 0) throw new Error(`check failed for ${urn}: ${JSON.stringify(failures)}`);
        await host.diff(urn, "", {}, inputs, {});
        return inputs;
      });
      checked = result.value;
      return { ...result, value: undefined };
    },
    create: () =>
      timed(
        checked,
        async (inputs) => {
          const urn = resourceUrn(GROUP_TYPE, String(inputs["groupName"]));
          const { id, properties } = await host.create(urn, inputs);
          return { urn, id, inputs, outputs: properties };
        },
        parallel,
      ),
    refresh: (states) =>
      timed(
        states,
        async (state) => {
          const read = await host.read(state.urn, state.id, state.outputs, state.inputs);
          if (!read.id) throw new Error(`${state.urn} vanished`);
          return { ...state, outputs: read.properties, inputs: read.inputs ?? state.inputs };
        },
        parallel,
      ),
    async rotate(states, trigger) {
      const planned = await Promise.all(
        states.map(async (state) => {
          const news = { ...state.inputs, resetTriggers: [trigger] };
          const { inputs } = await host.check(state.urn, state.inputs, news);
          const diff = await host.diff(state.urn, state.id, state.outputs, inputs, state.inputs);
          if (diff.changes !== "some" || diff.replaces.length > 0)
            throw new Error(`${state.urn}: a trigger change should be an in-place update`);
          return { state, inputs };
        }),
      );
      return timed(
        planned,
        async ({ state, inputs }) => {
          const { properties } = await host.update(state.urn, state.id, state.outputs, inputs, state.inputs);
          return { ...state, inputs, outputs: properties };
        },
        parallel,
      );
    },
    async delete(states) {
      const result = await timed(
        states,
        (state) => host.delete(state.urn, state.id, state.outputs, state.inputs),
        parallel,
      );
      return { ...result, value: undefined };
    },
    memory: async () => ({ rssMiB: peakRssMiB(host.pid) }),
    output: () => host.output(),
    close: () => host.close(),
  };
}

/** The process's peak resident memory in MiB (Linux `VmHWM`; undefined elsewhere). */
function peakRssMiB(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
