/**
 * The script fulfilment package (Connection Package `Usercube.Powershell…`, the reference's
 * PowerShellProv): a batch's orders are given to a script (`.ps1` with pwsh, `.sh` with bash, `.js`
 * with Node.js) with the reference's contract, so that existing fulfil scripts keep working:
 *
 * - the script is called with `-resultsFilePath <file> -ordersPath <folder>`; the folder holds one
 *   order file `{"ProvisioningOrdersList":[…]}` (model.md §C.13);
 * - the first line of its standard input is the JSON of the connection's `Options` (`{}` without);
 * - it writes the results CSV (script-results.ts) to resultsFilePath, one row per AssignmentId;
 * - `OrdersCount:n` and `Progress:n` lines on stdout are its progress; every other line goes to the log.
 *
 * Settings:
 *
 *     "Connections": { "<Connection>": {
 *       "PowerShellScriptPath": "scripts/Fulfill-CSV.ps1",   // the reference's name; or "Script"
 *       "Interpreter": "pwsh",                               // optional: pwsh, bash or node, whatever the extension
 *       "Options": { "Login": "admin", "Password": "…" }     // optional: the script's stdin
 *     } }
 *
 * The script must lie under the folders scripts may run from (FulfilContext.scriptRoots). It starts
 * in its own folder, with the runner's environment less its secrets (script-environment.ts) plus
 * IDM_CONNECTION and IDM_RESOURCE_TYPE; Options reach it only through stdin, and the values of the
 * Options whose name says secret (password, secret, token, key, credential) are masked in what the
 * package logs. An order the results do not name is Errored "no result from the script", with the
 * end of its stderr when it exited with an error. A cancelled run kills the script's process group;
 * the orders it reported are given, the others stay for the next run.
 *
 * Idempotence is the script's: the package cannot see the target system. A run killed after the
 * script applied an order gives that order again (FulfillTask gives again the orders it recorded
 * InFlight), with the same AssignedResourceTypeId: the script must treat an order already applied as done.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { isUnder, realOrSame } from "../../domain/confined-path.js";
import { killGroup, spawnGroupWithInput, stopReadingAfterExit } from "../../domain/process-group.js";
import { scriptEnvironment } from "../../domain/script-environment.js";
import { INTERPRETERS, NAMED_INTERPRETERS, type ScriptLaunch } from "../../domain/script-interpreters.js";
import type { FulfilContext, FulfilOrder, Fulfiller, FulfilPackage, FulfilRoute, OrderOutcome } from "./fulfiller.js";
import { settingsAt, textSetting } from "./package-files.js";
import { parseScriptResults, type ScriptResult } from "./script-results.js";

export interface ScriptFulfilSettings {
  script: string;
  launch: ScriptLaunch;
  options: Record<string, unknown>;
  /** Values never to appear in what the package logs or returns. */
  secrets: string[];
}

const SECRET_NAME = /pass|secret|token|key|credential/i;
const STDERR_LINES = 5;

/** The real path of the script, refused outside every root (before it is said missing: no probing). */
export function locateScript(input: string, roots: readonly string[] | undefined, at: string): string {
  if (roots === undefined || roots.length === 0) throw new Error(`${at}: no folder is allowed to run scripts from; Tasks.ScriptRoots in the settings lists them`);
  const path = resolve(input);
  const realRoots = roots.map((root) => realOrSame(resolve(root)));
  const outside = () => new Error(`${at} ${input} is outside the folders scripts may run from (${roots.join(", ")}); Tasks.ScriptRoots in the settings lists them`);
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    if (!isUnder(path, [...roots.map((root) => resolve(root)), ...realRoots])) throw outside();
    throw new Error(`${at} ${input} does not exist (${path})`, { cause: error });
  }
  if (!isUnder(real, realRoots)) throw outside();
  if (!statSync(real).isFile()) throw new Error(`${at} ${input} is not a file (${real})`);
  return real;
}

export function readScriptFulfilSettings(connection: string, raw: Readonly<Record<string, unknown>>, roots: readonly string[] | undefined): ScriptFulfilSettings {
  const at = settingsAt(connection);
  const reference = textSetting(raw, at, "PowerShellScriptPath");
  const own = textSetting(raw, at, "Script");
  if (reference !== undefined && own !== undefined) throw new Error(`${at} has both PowerShellScriptPath and Script: keep one`);
  const input = reference ?? own;
  if (input === undefined) throw new Error(`${at}.PowerShellScriptPath is missing: add the path of the script that fulfils the orders (or Script)`);
  const name = reference !== undefined ? "PowerShellScriptPath" : "Script";
  const script = locateScript(input, roots, `${at}.${name}`);
  const interpreterName = textSetting(raw, at, "Interpreter");
  const interpreter = interpreterName === undefined ? INTERPRETERS.get(extname(script).toLowerCase()) : NAMED_INTERPRETERS.get(interpreterName.toLowerCase());
  if (interpreter === undefined) {
    throw new Error(
      interpreterName === undefined
        ? `${at}.${name} ${input}: no interpreter for ${extname(script) || "a file without extension"} (${[...INTERPRETERS.keys()].join(", ")}); set ${at}.Interpreter`
        : `${at}.Interpreter "${interpreterName}" is not one of ${[...NAMED_INTERPRETERS.keys()].join(", ")}`,
    );
  }
  const options = raw.Options ?? {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new Error(`${at}.Options must be an object { "<name>": value }`);
  const secrets = Object.entries(options)
    .filter(([key, value]) => SECRET_NAME.test(key) && typeof value === "string" && value !== "")
    .map(([, value]) => value as string);
  return { script, launch: interpreter(script), options: options as Record<string, unknown>, secrets };
}

/** `text` with every secret replaced by `***`. */
export function masked(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => result.replaceAll(secret, "***"), text);
}

interface ScriptRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string[];
  cancelled: boolean;
}

class ScriptFulfiller implements Fulfiller {
  constructor(
    private readonly route: FulfilRoute,
    private readonly context: FulfilContext,
    private readonly settings: ScriptFulfilSettings,
  ) {}

  async *apply(orders: readonly FulfilOrder[], signal: AbortSignal): AsyncIterable<OrderOutcome> {
    if (signal.aborted || orders.length === 0) return;
    mkdirSync(this.context.workFolder, { recursive: true });
    const folder = mkdtempSync(join(this.context.workFolder, `fulfil-${this.route.connection}-`));
    try {
      const ordersPath = join(folder, "orders");
      mkdirSync(ordersPath);
      writeFileSync(join(ordersPath, "orders.json"), JSON.stringify({ ProvisioningOrdersList: orders.map((o) => o.order) }, null, 2) + "\n");
      const resultsFilePath = join(folder, "results.csv");
      const run = await this.#run(resultsFilePath, ordersPath, orders.length, signal);
      let results = new Map<string, ScriptResult>();
      let unreadable: string | undefined;
      if (existsSync(resultsFilePath)) {
        try {
          results = parseScriptResults(readFileSync(resultsFilePath), `the results file of ${basename(this.settings.script)}`);
        } catch (error) {
          unreadable = (error as Error).message;
        }
      }
      const failure = this.#failure(run, unreadable);
      for (const { id, order } of orders) {
        const result = results.get(order.AssignedResourceTypeId);
        if (result !== undefined) yield { id, state: result.state, message: masked(result.message, this.settings.secrets) };
        else if (!run.cancelled) yield { id, state: "Errored", message: failure };
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  /** Why an order the results do not name is Errored. */
  #failure(run: ScriptRun, unreadable: string | undefined): string {
    const script = basename(this.settings.script);
    const tail = run.stderr.length === 0 ? "" : `: ${masked(run.stderr.join(" | "), this.settings.secrets)}`;
    if (run.signal !== null) return `no result from the script: ${script} was killed by ${run.signal}${tail}`;
    if (run.code !== 0) return `no result from the script: ${script} exited with code ${run.code}${tail}`;
    if (unreadable !== undefined) return `no result from the script: ${unreadable}`;
    return `no result from the script ${script}`;
  }

  #run(resultsFilePath: string, ordersPath: string, count: number, signal: AbortSignal): Promise<ScriptRun> {
    const { script, launch, options, secrets } = this.settings;
    const name = basename(script);
    const log = this.context.log;
    const env = scriptEnvironment(process.env, { IDM_CONNECTION: this.route.connection, IDM_RESOURCE_TYPE: this.route.resourceType });
    return new Promise((resolvePromise, reject) => {
      const child = spawnGroupWithInput(launch.command, [...launch.args, "-resultsFilePath", resultsFilePath, "-ordersPath", ordersPath], { cwd: dirname(script), env });
      // A script that never reads its input closes the pipe: that is no failure.
      child.stdin.on("error", () => {});
      child.stdin.end(JSON.stringify(options) + "\n");
      const stderr: string[] = [];
      let total = count;
      createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (line) => {
        const ordersCount = /^OrdersCount:\s*(\d+)\s*$/.exec(line);
        const progress = /^Progress:\s*(\d+)\s*$/.exec(line);
        if (ordersCount !== null) total = Number(ordersCount[1]);
        else if (progress !== null) log("Information", `${name}: ${progress[1]} of ${total} orders`);
        else log("Information", `${name}: ${masked(line, secrets)}`);
      });
      createInterface({ input: child.stderr, crlfDelay: Infinity }).on("line", (line) => {
        stderr.push(line);
        if (stderr.length > STDERR_LINES) stderr.shift();
        log("Warning", `${name}: ${masked(line, secrets)}`);
      });
      let cancelled = false;
      const onAbort = () => {
        cancelled = true;
        if (child.pid !== undefined) killGroup(child.pid);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      const stopDraining = stopReadingAfterExit(child);
      child.once("error", (error: NodeJS.ErrnoException) => {
        signal.removeEventListener("abort", onAbort);
        const message = error.code === "ENOENT" ? `the script package needs ${launch.command} to run ${name}, and ${launch.command} is not installed` : `cannot start ${launch.command} to run ${name}: ${error.message}`;
        reject(new Error(message, { cause: error }));
      });
      child.once("close", (code, killedBy) => {
        if (child.pid === undefined) return; // never started: "error" has answered
        signal.removeEventListener("abort", onAbort);
        stopDraining();
        resolvePromise({ code, signal: killedBy, stderr, cancelled });
      });
    });
  }

  async close(): Promise<void> {}
}

export const scriptPackage: FulfilPackage = {
  name: "Script",
  handles: (packageName) => /^Usercube\.Powershell(@|$)/i.test(packageName),
  async open(route: FulfilRoute, context: FulfilContext): Promise<Fulfiller> {
    return new ScriptFulfiller(route, context, readScriptFulfilSettings(route.connection, context.settings, context.scriptRoots));
  },
};
