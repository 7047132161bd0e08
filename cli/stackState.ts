import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { isSecret } from "../provider/secrets";
import { CommandError } from "./command";

/** The type token of SipPhoneGroup resources in a state (DESIGN.md's public contract). */
export const GROUP_TYPE = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";

/**
 * Largest state file read, in bytes. A SipPhoneGroup takes ~6 KB in a stack export
 * (its serialized provider twice, 50 accounts, ciphertexts), so this holds ~20,000
 * groups: more than one application can hold; JSON.parse needs a few times the
 * file's size in memory, and a file this big is more likely a mistake than a state.
 */
export const MAX_STATE_BYTES = 128 * 1024 * 1024;

/** Deployment versions this reader understands (the fields it reads are the same in all). */
const VERSIONS = [1, 2, 3];

/** A SipPhoneGroup in a state, from its non-secret fields only. */
export interface ManagedGroup {
  urn: string;
  appId: string;
  groupName: string;
  /** The phone count the state last recorded (outputs, else inputs); undefined when unreadable. */
  quantity: number | undefined;
  /** The accounts the state last recorded, sorted; undefined when unreadable. */
  accounts: string[] | undefined;
  /** Where it was found (for messages). */
  file: string;
}

interface ResourceV3 {
  urn?: unknown;
  type?: unknown;
  id?: unknown;
  custom?: unknown;
  external?: unknown;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/**
 * The SipPhoneGroups of every application in a `pulumi stack export` file (`{ version,
 * deployment: { resources } }`), or in a file backend's checkpoint (`{ version,
 * checkpoint: { latest: { resources } } }`, `.pulumi/stacks/<project>/<stack>.json`).
 * Reads only fields that are never secret unless the program made them so — type
 * token, id, `appId`, `groupName`, `accounts`, `quantity` — and treats any secret
 * (ciphertext, or plaintext from `--show-secrets`) as unreadable: secrets may be
 * encrypted with a key this tool never has. The id (`<appId>/<groupName>`, never
 * secret) names the group when its fields are secret.
 */
export function managedGroups(text: string, file: string): ManagedGroup[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (e) {
    // Where, never what: JSON.parse's own message may quote the file's first bytes
    // (`Unexpected token 'a', "a secret…" is not valid JSON`), and a state file may
    // hold secrets in plaintext (`--show-secrets`).
    throw new CommandError(
      `${file} is not JSON${whereParseFailed(text, e)}: pass the output of \`pulumi stack export\``,
    );
  }
  const root = object(document);
  const version = root?.["version"];
  const deployment = object(root?.["deployment"]) ?? object(object(root?.["checkpoint"])?.["latest"]);
  const isCheckpoint = root !== undefined && "checkpoint" in root;
  if (root === undefined || typeof version !== "number" || (deployment === undefined && !isCheckpoint)) {
    throw new CommandError(
      `${file} is not a Pulumi stack export: expected {"version": 3, "deployment": {...}}, ` +
        "the output of `pulumi stack export`",
    );
  }
  if (!VERSIONS.includes(version)) {
    throw new CommandError(
      `${file} has deployment version ${version}; this tool reads versions ${VERSIONS.join(", ")}`,
    );
  }
  const resources = deployment?.["resources"] ?? [];
  if (!Array.isArray(resources)) throw new CommandError(`${file}: deployment.resources is not a list`);
  return (resources as ResourceV3[]).flatMap((resource) => {
    const found = groupOf(resource, file);
    return found ? [found] : [];
  });
}

function groupOf(resource: ResourceV3, file: string): ManagedGroup | undefined {
  if (typeof resource !== "object" || resource === null) return undefined;
  if (resource.type !== GROUP_TYPE || resource.custom === false || resource.external === true)
    return undefined;
  // No id: a create that never finished; nothing on the platform is tied to it.
  if (typeof resource.id !== "string" || resource.id === "" || typeof resource.urn !== "string")
    return undefined;
  const outputs = object(resource.outputs) ?? {};
  const inputs = object(resource.inputs) ?? {};
  const slash = resource.id.indexOf("/");
  const appId = text(outputs["appId"]) ?? text(inputs["appId"]) ?? resource.id.slice(0, Math.max(slash, 0));
  const groupName = text(outputs["groupName"]) ?? text(inputs["groupName"]) ?? resource.id.slice(slash + 1);
  const quantity = whole(outputs["quantity"]) ?? whole(inputs["quantity"]);
  const accounts = outputs["accounts"];
  return {
    urn: resource.urn,
    appId,
    groupName,
    quantity,
    accounts:
      Array.isArray(accounts) && accounts.every((a) => typeof a === "string")
        ? [...(accounts as string[])].sort()
        : undefined,
    file,
  };
}

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isSecret(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function whole(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) ? value : undefined;
}

/**
 * Reads a state file (`-`: standard input) of at most {@link MAX_STATE_BYTES}.
 * Failures are CommandErrors naming the file.
 */
export async function readStateFile(
  file: string,
  cwd: string,
  stdin: NodeJS.ReadableStream,
  maxBytes = MAX_STATE_BYTES,
): Promise<{ text: string; name: string }> {
  const limit = maxBytes >= 1024 * 1024 ? `${maxBytes / 1024 / 1024} MiB` : `${maxBytes} bytes`;
  const tooBig = (name: string) =>
    new CommandError(`${name} is larger than ${limit}: is it really a stack export?`);
  if (file === "-") {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stdin) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += buffer.length;
      if (size > maxBytes) throw tooBig("standard input");
      chunks.push(buffer);
    }
    return { text: Buffer.concat(chunks).toString("utf8"), name: "standard input" };
  }
  const resolved = path.resolve(cwd, file);
  try {
    const stat = statSync(resolved);
    if (!stat.isFile()) throw new CommandError(`--state ${file} is not a file`);
    if (stat.size > maxBytes) throw tooBig(file);
    return { text: readFileSync(resolved, "utf8"), name: file };
  } catch (e) {
    if (e instanceof CommandError) throw e;
    throw new CommandError(`cannot read --state ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** " (at line L, column C)" from JSON.parse's "at position N", or "" when it gives none. */
function whereParseFailed(text: string, error: unknown): string {
  const position = /at position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
  if (position === undefined) return "";
  const before = text.slice(0, Number(position));
  const line = before.split("\n").length;
  return ` (at line ${line}, column ${Number(position) - before.lastIndexOf("\n")})`;
}
