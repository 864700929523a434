import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, posix, win32 } from "node:path";
import { loadCatalog } from "../../config/schema/catalog.js";
import { readStoredItems } from "../../deploy/read-stored.js";
import { exportItems, overlayFragments } from "../../deploy/export-items.js";
import type { Store } from "../../store/store.js";
import { CliError } from "../cli-error.js";
import { plural } from "../format-problems.js";

export interface ExportFlags {
  defaultFile: string;
  json?: boolean;
}

export async function exportConfiguration(
  withStore: <T>(run: (store: Store) => Promise<T>) => Promise<T>, dir: string, flags: ExportFlags,
): Promise<void> {
  if (!isInsidePath(flags.defaultFile)) {
    throw new CliError(`--default-file ${flags.defaultFile}: expected a relative *.xml path inside ${dir}`);
  }
  const stored = await withStore((store) => readStoredItems(store.dataSource.manager));
  // A stored source path is data: one that would write outside <dir> is not followed.
  const unsafe = new Set(stored.filter((item) => item.source && !isInsidePath(item.source.file)));
  const items = stored.map(({ kind, identifier, attributes, children, source, contributions }, i) =>
    ({ kind, identifier, attributes, children, source: unsafe.has(stored[i]!) ? null : source, ...overlaysOf(contributions, flags.defaultFile) }));
  const files = exportItems(items, loadCatalog(), flags.defaultFile);
  // What a scaffolding generated is not written (its scaffolding is): the count says what the files hold.
  const written = items.filter((i) => i.source?.generatedBy === undefined).length;
  for (const [file, text] of files) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  if (unsafe.size > 0) {
    process.stderr.write(`idm: ${plural(unsafe.size, "item")} with a source path outside ${dir} written into ${flags.defaultFile}\n`);
  }
  process.stdout.write(flags.json
    ? `${JSON.stringify({ items: written, files: [...files.keys()] }, null, 2)}\n`
    : `exported ${plural(written, "item")} into ${plural(files.size, "file")}\n`);
}

/**
 * The overlays of a scaffolding's output recorded on its item, which export writes back (the output
 * itself is not written); one recorded in a file outside the folder goes to the default file.
 */
function overlaysOf(contributions: string | null | undefined, defaultFile: string): { contributions?: string } {
  const fragments = overlayFragments({ contributions });
  if (fragments.length === 0) return {};
  return { contributions: JSON.stringify(fragments.map((c) => (isInsidePath(c.file) ? c : { ...c, file: defaultFile }))) };
}

/** A relative *.xml path that stays inside the export folder (validate reads only *.xml files). */
function isInsidePath(file: string): boolean {
  if (posix.isAbsolute(file) || win32.isAbsolute(file) || /^[A-Za-z]:/.test(file)) return false;
  if (!file.toLowerCase().endsWith(".xml")) return false;
  return !file.split(/[\\/]/).includes("..");
}
