import type { StackValidationPolicy } from "@pulumi/policy";
import { GROUP_TYPE, isUnknown, readProps, type Props } from "./resource";

export const PHONES_PER_APP = "itniotech-phones-per-app";

export interface PhonesPerAppConfig {
  /** The most phones the stack may declare per `appId`; unset: no limit. */
  maxPhonesPerApp?: number;
}

/** A group as the stack check sees it: its logical name and outputs. */
export interface DeclaredGroup {
  name: string;
  props: Props;
}

/**
 * One problem per application whose declared phones (the sum of its groups'
 * `quantity`) exceed `maxPhonesPerApp`. Groups whose `appId` or `quantity` is not
 * known yet (a preview) are left out, so the sum is a lower bound: a problem is
 * certain, never a guess.
 */
export function phonesPerAppProblems(groups: DeclaredGroup[], config: PhonesPerAppConfig): string[] {
  const max = config.maxPhonesPerApp;
  if (max === undefined) return [];
  const apps = new Map<string, { phones: number; names: string[] }>();
  for (const { name, props } of groups) {
    const appId = props["appId"];
    const quantity = props["quantity"];
    if (typeof appId !== "string" || isUnknown(appId) || typeof quantity !== "number") continue;
    const app = apps.get(appId) ?? { phones: 0, names: [] };
    app.phones += quantity;
    app.names.push(name);
    apps.set(appId, app);
  }
  return [...apps.values()]
    .filter((app) => app.phones > max)
    .map(
      (app) =>
        `${app.phones} phones are declared in one application, more than maxPhonesPerApp (${max}): ` +
        `${app.names.length} group${app.names.length > 1 ? "s" : ""} share its appId (${app.names.join(", ")}). ` +
        `Lower their quantity, or move groups to another application.`,
    );
}

/** Stack check: the phones declared per application stay within `maxPhonesPerApp`. */
export const phonesPerApp: StackValidationPolicy = {
  name: PHONES_PER_APP,
  description:
    "The SipPhoneGroups of a stack declare at most maxPhonesPerApp phones per application (appId), " +
    "so an up never runs into the platform's phone cap (-23) half-way.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps:
    "Lower the quantity of the groups named in the message, or move some of them to another appId; " +
    "or raise maxPhonesPerApp when the application's cap was raised.",
  configSchema: {
    properties: {
      maxPhonesPerApp: {
        type: "integer",
        minimum: 1,
        description: "The most phones the stack may declare per appId. Unset: the rule checks nothing.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const groups = args.resources
      .filter((r) => r.type === GROUP_TYPE)
      .map((r) => ({ name: r.name, props: readProps(r.props) }));
    for (const problem of phonesPerAppProblems(groups, args.getConfig<PhonesPerAppConfig>())) {
      reportViolation(problem);
    }
  },
};
