import type * as pulumi from "@pulumi/pulumi";
import type { GroupInputs, GroupState, PasswordInputs, PasswordState } from "../provider/schema";

/*
 * The provider objects the resource classes hand to Pulumi. Pulumi's closure
 * serializer writes each one into every resource's `__provider` input, and the
 * dynamic-provider host evaluates that text. So each method is a one-line wrapper
 * that `require`s the implementation by package name INSIDE the method:
 * - the text stays ~2 KB and carries no implementation, so upgrading the package
 *   does not churn every resource's state;
 * - no credential is ever captured (they are read in `configure`, in the host);
 * - it sidesteps a serializer bug where a method calling a same-named free
 *   function loses it.
 * The package must resolve by name from the program's directory (the host's
 * working directory) and be compiled JS.
 */

export const sipPhoneGroupProvider = {
  configure: (req) => require("pulumi-itniotech/provider").configure(req),
  check: (olds, news) => require("pulumi-itniotech/provider").sipPhoneGroupProvider.check(olds, news),
  diff: (id, olds, news) => require("pulumi-itniotech/provider").sipPhoneGroupProvider.diff(id, olds, news),
  create: (inputs) => require("pulumi-itniotech/provider").sipPhoneGroupProvider.create(inputs),
  read: (id, props) => require("pulumi-itniotech/provider").sipPhoneGroupProvider.read(id, props),
  update: (id, olds, news) =>
    require("pulumi-itniotech/provider").sipPhoneGroupProvider.update(id, olds, news),
  delete: (id, props) => require("pulumi-itniotech/provider").sipPhoneGroupProvider.delete(id, props),
} satisfies pulumi.dynamic.ResourceProvider<Partial<GroupInputs>, GroupState>;

export const sipPhonePasswordProvider = {
  configure: (req) => require("pulumi-itniotech/provider").configure(req),
  check: (olds, news) => require("pulumi-itniotech/provider").sipPhonePasswordProvider.check(olds, news),
  diff: (id, olds, news) =>
    require("pulumi-itniotech/provider").sipPhonePasswordProvider.diff(id, olds, news),
  create: (inputs) => require("pulumi-itniotech/provider").sipPhonePasswordProvider.create(inputs),
  read: (id, props) => require("pulumi-itniotech/provider").sipPhonePasswordProvider.read(id, props),
  update: (id, olds, news) =>
    require("pulumi-itniotech/provider").sipPhonePasswordProvider.update(id, olds, news),
  delete: (id, props) => require("pulumi-itniotech/provider").sipPhonePasswordProvider.delete(id, props),
} satisfies pulumi.dynamic.ResourceProvider<Partial<PasswordInputs>, PasswordState>;
