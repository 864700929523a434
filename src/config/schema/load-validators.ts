/**
 * Loads the precompiled validators module (generated/schema-validators.js, several megabytes of
 * ajv code) as a script with V8's code cache, instead of importing it: parsing it was the largest
 * part of `idm validate` on a small folder (50–70 ms of ~250), and Node 20 gives ES modules no code
 * cache (module.enableCompileCache is Node 22). With the cache, V8 skips the parse and compiles only
 * the validators a run calls.
 *
 * The module is generated in one known shape (validators.ts): a createRequire header, the code,
 * and one export clause `export { validate<n> as <Name>, … };` on its last line, which becomes the
 * script's return value here (slicing, not rewriting, the megabytes before it).
 *
 * The cache is `<cache dir>/validators-<key>.bin`, keyed by the module's size and mtime, Node's
 * version and the architecture, because V8 checks only the source's length before it trusts a
 * cache. Cached code runs as this process: the folder must be the user's own and writable by no one
 * else, or no cache is read or written. A cache V8 rejects, or one that cannot be written, only
 * costs the parse.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

// Built, the module is JavaScript; run from the sources (vitest), its TypeScript file is the same JavaScript.
const MODULE = [".js", ".ts"].map((ext) => fileURLToPath(new URL(`../generated/schema-validators${ext}`, import.meta.url))).find((file) => existsSync(file)) ?? "";
/** The lines that give the module a `require`; the script gets its own instead. */
export const REQUIRE_HEADER = `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n`;
const EXPORT_CLAUSE = "\nexport { ";

export type Validators = Record<string, unknown>;

export interface LoadedValidators {
  validators: Validators;
  /** used: V8 took the cache; written: there was none, or V8 rejected it, and this run wrote one; none: no private cache folder. */
  cache: "used" | "written" | "none";
}

export function loadValidators(cacheDir: string | undefined = validatorsCacheDir()): LoadedValidators {
  const stat = statSync(MODULE);
  const source = readFileSync(MODULE, "utf8");
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, `validators-${cacheKey(stat)}.bin`);
  const cached = cacheFile === undefined ? undefined : readCache(cacheFile);
  const script = new Script(`(function (require) {${asScript(source)}\n})`, {
    filename: MODULE,
    ...(cached === undefined ? {} : { cachedData: cached }),
  });
  const exports = (script.runInThisContext() as (require: NodeJS.Require) => Validators)(createRequire(MODULE));
  if (cached !== undefined && script.cachedDataRejected !== true) return { validators: exports, cache: "used" };
  const written = cacheDir !== undefined && cacheFile !== undefined && writeCache(cacheDir, cacheFile, script.createCachedData());
  return { validators: exports, cache: written ? "written" : "none" };
}

/** The module's text as a function body: without its header, its export clause turned into a return. */
function asScript(source: string): string {
  const header = source.indexOf(REQUIRE_HEADER);
  const start = header === -1 ? 0 : header + REQUIRE_HEADER.length;
  const clause = source.lastIndexOf(EXPORT_CLAUSE);
  if (clause === -1) throw new Error(`${MODULE} has no export clause: run \`npm run gen\``);
  const names = source.slice(clause + EXPORT_CLAUSE.length, source.lastIndexOf("}")).split(",").map((entry) => {
    const [local, exported] = entry.trim().split(" as ");
    return `${JSON.stringify(exported)}: ${local}`;
  });
  return `${source.slice(start, clause)}\nreturn { ${names.join(", ")} };`;
}

/** `IDM_CACHE_DIR`, else `$XDG_CACHE_HOME/idm-toolkit`, else `~/.cache/idm-toolkit`; `IDM_CACHE_DIR=off`: none. */
export function validatorsCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.IDM_CACHE_DIR?.trim();
  if (configured === "off") return undefined;
  if (configured) return configured;
  const base = env.XDG_CACHE_HOME?.trim() || join(homedir(), ".cache");
  return join(base, "idm-toolkit");
}

function cacheKey(stat: Stats): string {
  return `${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}`.replace(/[^\w.-]/g, "_");
}

/** Whether the folder is a real folder of this user that no one else can write to. */
function isPrivateFolder(dir: string): boolean {
  try {
    const stat = statSync(dir);
    const uid = process.getuid?.();
    return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function readCache(file: string): Buffer | undefined {
  if (!isPrivateFolder(join(file, ".."))) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(dir: string, file: string, data: Buffer): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!isPrivateFolder(dir)) return false;
    // The caches of earlier builds: one file per key would pile up with every rebuild.
    for (const name of readdirSync(dir)) {
      if (name.startsWith("validators-") && join(dir, name) !== file) rmSync(join(dir, name), { force: true });
    }
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, file);
    return true;
  } catch {
    // A read-only home or a full disk: the next run parses again.
    return false;
  }
}
