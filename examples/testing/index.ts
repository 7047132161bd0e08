import * as pulumi from "@pulumi/pulumi";
import { SipPhoneGroup } from "pulumi-itniotech";

const config = new pulumi.Config();
const appId = config.get("appId") ?? "demo-app";

/** Phones per team; the caller ID every phone shows. */
export const teams: Record<string, number> = { sales: 10, support: 5 };
const displayNum = config.get("displayNum") ?? "8610000000";

const groups = Object.entries(teams).map(
  ([team, quantity]) => new SipPhoneGroup(team, { appId, quantity, displayNum, resetTriggers: [1] }),
);

/** Every team's accounts. */
export const accounts = pulumi
  .all(groups.map((group) => group.accounts))
  .apply((lists) => Object.fromEntries(Object.keys(teams).map((team, i) => [team, lists[i] ?? []])));
