/**
 * What the file-writing fulfilment packages (CSV, FulfillToFile, Script) share: reading their text
 * settings with messages that name them, the output folder confined to the work folder, and files
 * replaced whole (temporary file, fsync, rename), so that a reader of the folder, or a run killed
 * midway, never sees half a file.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { confineTo, OutsideFolderError } from "../../domain/confined-path.js";

/** `settings Connections.<id>`, the prefix of every message about a setting. */
export function settingsAt(connection: string): string {
  return `settings Connections.${connection}`;
}

/** A text setting; undefined when absent, an error naming it when not a non-empty string. */
export function textSetting(raw: Readonly<Record<string, unknown>>, at: string, name: string): string | undefined {
  const value = raw[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") throw new Error(`${at}.${name} must be a non-empty string, not ${JSON.stringify(value)}`);
  return value.trim();
}

/**
 * The folder a package writes its files in: `Folder` of the settings, resolved against the work
 * folder and refused outside it (a symbolic link that leads out included). Created when missing.
 */
export function outputFolder(raw: Readonly<Record<string, unknown>>, at: string, workFolder: string, what: string): string {
  const folder = textSetting(raw, at, "Folder");
  if (folder === undefined) throw new Error(`${at}.Folder is missing: add the folder ${what} (under the work folder ${workFolder})`);
  const path = resolve(workFolder, folder);
  try {
    confineTo(path, workFolder);
  } catch (error) {
    if (!(error instanceof OutsideFolderError)) throw error;
    throw new Error(`${at}.Folder ${folder} is outside the work folder ${workFolder}: packages write only under it`, { cause: error });
  }
  mkdirSync(path, { recursive: true });
  // Checked again once it exists: a symbolic link on the way may only now resolve.
  confineTo(path, workFolder);
  return path;
}

/** A file name made of an identifier: refused when it could name another folder. */
export function fileNameOf(identifier: string, what: string): string {
  if (identifier === "" || identifier === "." || identifier === ".." || basename(identifier) !== identifier || identifier.includes("\\")) {
    throw new Error(`${what} ${JSON.stringify(identifier)} cannot be a file name`);
  }
  return identifier;
}

/** Replaces (or creates) `path` with `bytes` at once: written to a temporary file beside it, synced, renamed. */
export function writeFileAtomically(path: string, bytes: Buffer, root: string): void {
  confineTo(path, root);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temp, "wx");
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncFolder(dirname(path));
}

/** The rename itself reaches the disk only once the folder is synced. */
export function syncFolder(folder: string): void {
  const fd = openSync(folder, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The Identifier of an order reference, or the value itself when it is not one. */
export function identifierOf(value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value) && typeof (value as { Identifier?: unknown }).Identifier === "string") {
    return (value as { Identifier: string }).Identifier;
  }
  return value;
}
