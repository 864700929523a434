/**
 * What a handler test needs: a temporary folder with conf/ (the configuration folder, holding
 * `files`) and the job folders (work/, temp/, export/) beside it, and a TaskContext over them whose
 * log and progress are recorded. Call removeTaskWorkspaces() in afterEach.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DEFAULT_SETTINGS, type Settings } from "../../src/config/settings.js";
import type { Store } from "../../src/store/store.js";
import type { TaskContext, TaskPaths } from "../../src/tasks/task-handler.js";
import type { LogLevel } from "../../src/domain/vocabulary.js";

const roots: string[] = [];

export interface TaskWorkspace {
  root: string;
  conf: string;
  folders: Omit<TaskPaths, "configuration">;
  context: TaskContext;
  controller: AbortController;
  logs: [LogLevel, string][];
  progress: Record<string, number>[];
  /** The messages logged at one level. */
  lines(level: LogLevel): string[];
}

export function taskWorkspace(files: Record<string, string>, options: { store?: Store; settings?: (folders: TaskWorkspace["folders"]) => Settings } = {}): TaskWorkspace {
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
  const controller = new AbortController();
  const context: TaskContext = {
    store: options.store ?? (undefined as never),
    settings: options.settings?.(folders) ?? { ...DEFAULT_SETTINGS, paths: folders },
    job: { identifier: "J", instanceId: 7 },
    taskInstanceId: 70,
    paths: { configuration: conf, ...folders },
    force: false,
    signal: controller.signal,
    log: (level, message) => logs.push([level, message]),
    progress: (counters) => progress.push(counters),
  };
  const lines = (level: LogLevel) => logs.filter(([l]) => l === level).map(([, m]) => m);
  return { root, conf, folders, context, controller, logs, progress, lines };
}

export function removeTaskWorkspaces(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}
