/**
 * What a handler test needs: a temporary folder with conf/ (the configuration folder, holding
 * `files`) and the job folders (work/, temp/, export/) beside it, and a TaskContext over them whose
 * log and progress are recorded; and the TaskSnapshot a handler is run with. Call
 * removeTaskWorkspaces() in afterEach.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DEFAULT_SETTINGS, type Settings } from "../../src/config/settings.js";
import type { Store } from "../../src/store/store.js";
import type { TaskContext, TaskPaths, TaskSnapshot } from "../../src/tasks/task-handler.js";
import type { LogLevel } from "../../src/domain/vocabulary.js";
import type { RecordedGroup } from "../../src/domain/processes/recorded-group.js";

const roots: string[] = [];

export interface TaskWorkspace {
  root: string;
  conf: string;
  folders: Omit<TaskPaths, "configuration">;
  context: TaskContext;
  controller: AbortController;
  logs: [LogLevel, string][];
  progress: Record<string, number>[];
  /** What the handler recorded through recordProcessGroup, in order (null: its child ended). */
  groups: (RecordedGroup | null)[];
  /** The messages logged at one level, or all of them. */
  lines(level?: LogLevel): string[];
}

export interface TaskWorkspaceOptions {
  store?: Store;
  settings?: (folders: TaskWorkspace["folders"]) => Settings;
  /** The running configuration's folder when it is not conf/ (undefined: none was deployed from a folder). */
  configuration?: string | undefined;
  job?: TaskContext["job"];
  /** A signal the test aborts itself (the workspace's controller then aborts nothing). */
  signal?: AbortSignal;
}

/** A task as the runner hands it to a handler: `attributes` as deploy stores them, no dependencies. */
export function taskSnapshot(task: Pick<TaskSnapshot, "identifier" | "type"> & Partial<TaskSnapshot>): TaskSnapshot {
  return { attributes: {}, dependsOn: [], entityTypes: [], resourceTypes: [], source: undefined, ...task };
}

export function taskWorkspace(files: Record<string, string>, options: TaskWorkspaceOptions = {}): TaskWorkspace {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "idm-task-")));
  roots.push(root);
  const conf = join(root, "conf");
  mkdirSync(conf);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(conf, name)), { recursive: true });
    writeFileSync(join(conf, name), content);
  }
  const folders = { work: join(root, "work"), temp: join(root, "temp"), export: join(root, "export") };
  const logs: [LogLevel, string][] = [];
  const progress: Record<string, number>[] = [];
  const groups: (RecordedGroup | null)[] = [];
  const controller = new AbortController();
  const context: TaskContext = {
    store: options.store ?? (undefined as never),
    settings: options.settings?.(folders) ?? { ...DEFAULT_SETTINGS, paths: folders },
    job: options.job ?? { identifier: "J", instanceId: 7 },
    taskInstanceId: 70,
    paths: { configuration: "configuration" in options ? options.configuration : conf, ...folders },
    force: false,
    signal: options.signal ?? controller.signal,
    log: (level, message) => logs.push([level, message]),
    progress: (counters) => progress.push(counters),
    recordProcessGroup: async (group) => void groups.push(group),
  };
  const lines = (level?: LogLevel) => logs.filter(([l]) => level === undefined || l === level).map(([, m]) => m);
  return { root, conf, folders, context, controller, logs, progress, groups, lines };
}

export function removeTaskWorkspaces(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}
