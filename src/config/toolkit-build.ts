/**
 * The identity of this build of the toolkit: what, beside a configuration's files, decides the items
 * a deploy makes of them (the code that reads and builds them, the element catalog and its defaults,
 * the locked dependencies). A deploy keeps it in its source fingerprint, so that a folder deployed by
 * another build is compared item by item again.
 *
 * `npm run build` writes it to dist/build-id.txt (scripts/build-id.mjs); code run from its sources
 * (the tests) computes it once per process.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { SCHEMA_DIR } from "./schema/catalog.js";

export const BUILD_ID_FILE = "build-id.txt";

const CODE_ROOT = fileURLToPath(new URL("../", import.meta.url));
const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

let known: string | undefined;

export function toolkitBuildId(): string {
  if (known !== undefined) return known;
  const written = join(CODE_ROOT, BUILD_ID_FILE);
  known = existsSync(written) ? readFileSync(written, "utf8").trim() : computeBuildId(CODE_ROOT);
  return known;
}

/** SHA-256 of every file of the code folder, of the schema folder and of the lock file, with their names. */
export function computeBuildId(codeRoot: string): string {
  const hash = createHash("sha256");
  const add = (name: string, path: string): void => {
    const bytes = readFileSync(path);
    hash.update(`${name}\u0000${bytes.length}\u0000`).update(bytes);
  };
  for (const [label, root] of [["code", codeRoot], ["schema", SCHEMA_DIR]] as const) {
    for (const path of filesUnder(root)) {
      if (path === join(codeRoot, BUILD_ID_FILE)) continue;
      add(`${label}/${relative(root, path).split(sep).join("/")}`, path);
    }
  }
  const lock = join(PACKAGE_ROOT, "package-lock.json");
  if (existsSync(lock)) add("package-lock.json", lock);
  return hash.digest("hex");
}

/** Every file below `root`, sorted; the toolkit's own folders, so no link or depth needs a bound. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
