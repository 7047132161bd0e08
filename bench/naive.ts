import type { VoiceClient } from "../provider/client";

/**
 * The reference a team would write by following Pulumi's dynamic-provider docs:
 * every method does its own work, top to bottom, with no sharing between
 * resources. Same client (so signing and retries cost the same), so the benchmark
 * measures only what the provider does with the API:
 *
 * - read: a full scan of the application per resource;
 * - update: one reset after another;
 * - create: sipAdd, then a full scan to find the new accounts.
 *
 * Kept only for the benchmark; never shipped.
 */
export function naiveGroupProvider(client: VoiceClient) {
  const scanGroup = async (appId: string, groupName: string) => {
    const records = [];
    for await (const r of client.phones(appId)) if (r.groupName === groupName) records.push(r);
    return records;
  };
  return {
    async create(inputs: {
      appId: string;
      groupName: string;
      phoneName: string;
      quantity: number;
      displayNum: string;
    }) {
      await client.sipAdd(inputs);
      const records = await scanGroup(inputs.appId, inputs.groupName);
      return {
        id: `${inputs.appId}/${inputs.groupName}`,
        outs: { ...inputs, accounts: records.map((r) => r.account) },
      };
    },
    async read(id: string, props: { appId: string; groupName: string }) {
      const records = await scanGroup(props.appId, props.groupName);
      return {
        id,
        props: { ...props, passwords: Object.fromEntries(records.map((r) => [r.account, r.password])) },
      };
    },
    async update(_id: string, olds: { appId: string; accounts: string[] }) {
      const passwords: Record<string, string> = {};
      for (const account of olds.accounts) {
        passwords[account] = (await client.sipReset({ appId: olds.appId, account })).password;
      }
      return { outs: { ...olds, passwords } };
    },
  };
}
