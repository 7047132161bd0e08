import type * as pulumi from "@pulumi/pulumi";

/*
 * The provider objects the resource classes hand to Pulumi. Pulumi's closure
 * serializer writes each one into every resource's `__provider` input, and the
 * dynamic-provider host evaluates that text. So each method is a one-line wrapper
 * that `require`s the implementation by package name INSIDE the method:
 * - the text stays ~1 KB and carries no implementation, so upgrading the package
 *   does not churn every resource's state;
 * - no credential is ever captured (they are read in `configure`, in the host);
 * - it sidesteps a serializer bug where a method calling a same-named free
 *   function loses it.
 * The package must resolve by name from the program's directory (the host's
 * working directory) and be compiled JS.
 */

export const sipPhoneGroupProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => require("pulumi-itniotech/provider").configure(req),
  check: (olds, news) => require("pulumi-itniotech/provider").sipPhoneGroupProvider.check(olds, news),
  diff: (id, olds, news) => require("pulumi-itniotech/provider").sipPhoneGroupProvider.diff(id, olds, news),
  create: (inputs) => require("pulumi-itniotech/provider").sipPhoneGroupProvider.create(inputs),
  read: (id, props) => require("pulumi-itniotech/provider").sipPhoneGroupProvider.read(id, props),
  update: (id, olds, news) =>
    require("pulumi-itniotech/provider").sipPhoneGroupProvider.update(id, olds, news),
  delete: (id, props) => require("pulumi-itniotech/provider").sipPhoneGroupProvider.delete(id, props),
};

export const sipPhonePasswordProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => require("pulumi-itniotech/provider").configure(req),
  check: (olds, news) => require("pulumi-itniotech/provider").sipPhonePasswordProvider.check(olds, news),
  diff: (id, olds, news) =>
    require("pulumi-itniotech/provider").sipPhonePasswordProvider.diff(id, olds, news),
  create: (inputs) => require("pulumi-itniotech/provider").sipPhonePasswordProvider.create(inputs),
  read: (id, props) => require("pulumi-itniotech/provider").sipPhonePasswordProvider.read(id, props),
  update: (id, olds, news) =>
    require("pulumi-itniotech/provider").sipPhonePasswordProvider.update(id, olds, news),
  delete: (id, props) => require("pulumi-itniotech/provider").sipPhonePasswordProvider.delete(id, props),
};

/** The user's options with `additionalSecretOutputs` extended, never replaced. */
export function withSecretOutputs(
  opts: pulumi.CustomResourceOptions | undefined,
  secrets: string[],
): pulumi.CustomResourceOptions {
  const merged = [...new Set([...(opts?.additionalSecretOutputs ?? []), ...secrets])];
  return { ...opts, additionalSecretOutputs: merged };
}
