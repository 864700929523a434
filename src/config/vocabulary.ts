/**
 * The reference vocabulary: every element the reference product documents (schema/vocabulary.tsv).
 * An element listed here but not in the schema catalog is known yet unsupported; a name listed
 * nowhere is a mistake.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SCHEMA_DIR } from "./schema/catalog.js";

export interface VocabularyEntry {
  name: string;
  /** element | task | scaffolding | child (several when the name is documented in several places). */
  kinds: Set<string>;
  /** For `child` entries: the documented parents ("*Task", "Job", "EntityType", ...). */
  parents: Set<string>;
}

export class Vocabulary {
  readonly entries = new Map<string, VocabularyEntry>();

  constructor(tsv: string) {
    for (const line of tsv.split(/\r?\n/).slice(1)) {
      const [name, family, kind] = line.split("\t");
      if (!name || !family || !kind) continue;
      let entry = this.entries.get(name);
      if (!entry) this.entries.set(name, (entry = { name, kinds: new Set(), parents: new Set() }));
      entry.kinds.add(kind);
      if (kind === "child") entry.parents.add(family.replace(/^child of /, ""));
    }
  }

  get(name: string): VocabularyEntry | undefined {
    return this.entries.get(name);
  }

  /** Names that may stand at the top of a configuration file. */
  topLevelNames(): string[] {
    return [...this.entries.values()].filter((e) => isTopLevel(e)).map((e) => e.name);
  }
}

export function isTopLevel(entry: VocabularyEntry): boolean {
  return [...entry.kinds].some((k) => k !== "child");
}

let shared: Vocabulary | undefined;

export function loadVocabulary(): Vocabulary {
  shared ??= new Vocabulary(readFileSync(join(SCHEMA_DIR, "vocabulary.tsv"), "utf8"));
  return shared;
}
