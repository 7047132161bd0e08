// The ready policy pack of pulumi-itniotech (README.md beside this file).
//
// Pulumi's analyzer runs @pulumi/pulumi/cmd/run-policy-pack in this folder, which
// requires this file. Plain JavaScript: run-policy-pack type-checks TypeScript with
// the project's own compiler, and the rules come compiled from ../dist/policy.
// @pulumi/policy and @pulumi/pulumi resolve from the project's node_modules.
"use strict";
const { PolicyPack } = require("@pulumi/policy");
const { ITNIOTECH_POLICY_PACK, itniotechPolicyPack } = require("../dist/policy");

new PolicyPack(ITNIOTECH_POLICY_PACK, itniotechPolicyPack);
