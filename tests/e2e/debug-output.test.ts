/**
 * Issue 15: how a user sees the request budget at work. The provider host is the
 * process the engine starts; the engine passes its environment on and shows what
 * the host writes on stderr (pulumi/pulumi pkg/resource/plugin/plugin.go: each
 * stderr line becomes a diagnostic). So `NODE_DEBUG=itniotech pulumi up` shows every
 * change of the in-flight limit. Here the real host, run with that variable, reads
 * a group from a server that answers 429 once.
 */
import path from "node:path";
import { resourceUrn, startHost, type Host } from "../helpers/host";
import { captureRegistrations } from "../helpers/mocks";
import { program } from "../fixtures/engine/program";
import { reply, startScriptedServer } from "../helpers/scriptedServer";

const FIXTURE = path.join(__dirname, "..", "fixtures", "engine");
const SECRET = "DebugCanarySecret-3f1";

it("NODE_DEBUG=itniotech: the host prints each change of the request limit on stderr, no secret in it", async () => {
  let first = true;
  const server = await startScriptedServer((req, res) => {
    if (first) {
      first = false;
      res.writeHead(429, { "Retry-After": "0" });
      return res.end();
    }
    const { current, size } = JSON.parse(req.body) as { current: number; size: number };
    reply(res, "0", { total: 0, size, current, pages: 0, records: [] });
  });
  const sdk = jest.requireActual<typeof import("pulumi-itniotech")>("pulumi-itniotech");
  const office = (await captureRegistrations(() => program(sdk))).find((r) => r.name === "office");
  let host: Host | undefined;
  try {
    host = await startHost({ cwd: FIXTURE, env: { NODE_DEBUG: "itniotech" } });
    await host.configure(
      {
        "itniotech:apiKey": "debug-key",
        "itniotech:apiSecret": SECRET,
        "itniotech:baseUrl": `${server.url}/voice`,
        "itniotech:concurrency": "8",
      },
      ["itniotech:apiSecret"],
    );
    const inputs = { ...office?.inputs, groupName: "g-debug", phoneName: "pdebug" };
    const read = await host.read(
      resourceUrn(office?.type ?? "", "office"),
      "engine-app/g-debug",
      inputs,
      inputs,
    );
    // The group is gone (an empty listing), after one retry of the 429.
    expect(read.id).toBe("");
    expect(server.requests).toHaveLength(2);
    const output = await host.waitForOutput(/request limit 8 -> 4/);
    expect(output).toMatch(/ITNIOTECH \d+: http:\/\/127\.0\.0\.1:\d+\/voice: request limit 8 -> 4 of 8/);
    expect(output).not.toContain(SECRET);
  } finally {
    await host?.close();
    await server.close();
  }
});
