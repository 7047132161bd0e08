/**
 * The unit project's global setup. A few unit tests load the package by name, as a
 * user's program does (`pulumi-itniotech` -> node_modules link -> `dist/`): the
 * example programs and the setMocks program tests, whose serialized provider
 * `require`s `pulumi-itniotech/provider`. So `npm run test:unit` needs no build
 * step of its own, yet never tests a stale `dist/`: it builds only when a shipped
 * source is newer than the build.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const SHIPPED = ["protocol", "provider", "sdk", "emulator"];
const BUILD_INPUTS = ["tsconfig.json", "tsconfig.build.json", "package.json"];

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

export default function buildIfStale(): void {
  const marker = path.join(ROOT, "dist", "sdk", "index.js");
  const builtAt = existsSync(marker) ? statSync(marker).mtimeMs : 0;
  const changedAt = Math.max(
    ...SHIPPED.map((folder) => newestSource(path.join(ROOT, folder))),
    ...BUILD_INPUTS.map((file) => statSync(path.join(ROOT, file)).mtimeMs),
  );
  if (changedAt <= builtAt) return;
  process.stdout.write("\ndist/ is older than the sources: npm run build\n");
  execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
}
