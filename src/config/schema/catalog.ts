/**
 * The schema catalog: every element idm-toolkit models, read from the JSON Schema files in
 * `schema/`. The JSON Schemas are the contract; this module flattens them into element and
 * attribute specs (for coercion, references, XSD and TypeScript generation), each with the ajv
 * validator of its element. The validators are compiled ahead of time (`npm run gen` writes
 * src/config/generated/schema-validators.ts with ajv's standalone code, see validators.ts, loaded by load-validators.ts):
 * compiling them at start-up cost more than the rest of `idm validate` on a small folder.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import { loadValidators, type Validators } from "./load-validators.js";

export const SCHEMA_DIR = fileURLToPath(new URL("../../../schema/", import.meta.url));

export type ElementKind = "root" | "job" | "step" | "task" | "task-child" | "model" | "model-child" | "override";
export type TaskSide = "agent" | "server" | "both";
export type AttributeType = "string" | "boolean" | "integer" | "number" | "enum";

export interface AttributeSpec {
  name: string;
  type: AttributeType;
  required: boolean;
  default?: string | number | boolean;
  description?: string;
  enumNames?: string[];
  enumNumbers?: number[];
  /** Kind of element the value names ("#task" = any task). */
  ref?: string;
  /**
   * Names the value may take that name no element: the product's own (x-ref-builtin: AssignedSingleRole
   * for an entity type, places built into the product).
   */
  refBuiltins?: string[];
  /**
   * The product has names idm-toolkit does not list (x-ref-incomplete: its built-in entity model): a
   * value that resolves to nothing is a warning, not an error.
   */
  refIncomplete?: boolean;
  /** Where an absent value comes from at run time ("Job.Agent"). */
  inherit?: string;
  fallback?: string;
  format?: string;
  /** What a valid value looks like, in words, for invalid-value messages (x-expected). */
  expected?: string;
  /**
   * The shared attribute group the attribute comes from (x-group on a common.json $defs entry:
   * DimensionValues…), which the XSD and the TypeScript types declare once for every element.
   */
  group?: string;
}

export interface ElementSpec {
  /** The XML element name. */
  name: string;
  /**
   * The catalog key: the name, or `Parent/Name` for an element declared inside its parent's
   * schema (a model-child: `EntityType/Property` and `EntityTypeMapping/Property` differ), and
   * `Parent/Child/Name` for a child's child (`Risk/Rule/Item`).
   */
  key: string;
  kind: ElementKind;
  description: string;
  side?: TaskSide;
  /** Names of the elements allowed as children (empty for leaves). */
  children: string[];
  /** Open elements accept unknown attributes with a warning and their children unchecked. */
  open: boolean;
  /** Attribute that identifies the element among its kind (among its siblings, for a model-child). */
  identifierAttribute?: string;
  /**
   * A model-child whose document order means something although it has an identifier (x-ordered: a
   * workflow's activities): stored as a list, not keyed and sorted.
   */
  ordered?: boolean;
  /**
   * Attribute names documented elsewhere for one of this element's attributes (x-renamed):
   * written, they are unknown-attribute errors whose hint gives the right name.
   */
  renamed: Record<string, string>;
  attributes: Map<string, AttributeSpec>;
  /** The attributes that name another element (those with `ref`). */
  references: (AttributeSpec & { ref: string })[];
  /** For `<XTaskOverride>`: the task type X. */
  overrideOf?: string;
  /** Identifiers of this kind are unique whatever their case (x-identifier-ignores-case: Connection). */
  identifierIgnoresCase?: boolean;
  /** The JSON Schema of the element: its file's $id, with a pointer for a $defs entry. */
  schemaId: string;
  validate: ValidateFunction;
}

export type Json = Record<string, unknown>;

/** Attribute order: D2 before D10. One collator, not one per comparison (localeCompare with options builds one each call). */
const NUMERIC_ORDER = new Intl.Collator("en", { numeric: true });

/** The JSON Schema keywords that annotate for idm-toolkit (ajv in strict mode must be told them). */
export const ANNOTATIONS = ["x-element", "x-kind", "x-side", "x-children", "x-open", "x-identifier", "x-ref", "x-inherit",
  "x-fallback", "x-format", "x-enum-numbers", "x-engine-default", "x-xml-type", "x-namespace", "x-renamed", "x-expected",
  "x-identifier-ignores-case", "x-group", "x-ref-builtin", "x-ref-incomplete", "x-ordered"];

export class SchemaCatalog {
  readonly elements = new Map<string, ElementSpec>();
  readonly taskTypes: string[];
  readonly namespace: string;
  readonly #docs = new Map<string, Json>();
  readonly #optionalSpecs = new WeakMap<Json, AttributeSpec>();
  readonly #requiredSpecs = new WeakMap<Json, AttributeSpec>();

  /**
   * `validators` gives the validator of an element from its catalog key and schema id: by default
   * the precompiled one (validators.ts compiles them for `npm run gen` with a catalog whose
   * validators are placeholders).
   */
  constructor(dir: string = SCHEMA_DIR, validators: (key: string, schemaId: string) => ValidateFunction = precompiledValidator) {
    for (const file of listJsonFiles(dir)) {
      const doc = JSON.parse(readFileSync(file, "utf8")) as Json;
      this.#docs.set(String(doc.$id), doc);
    }
    // A model-child is declared in its parent's file ($defs) and known only inside that parent. A
    // child's own children sit in the child's $defs, keyed under it: Risk/Rule/Item.
    const declared: { id: string; key: string; schema: Json }[] = [];
    const declareDefs = (id: string, pointer: string, node: Json, parentKey: string | undefined): void => {
      for (const [name, def] of Object.entries((node.$defs ?? {}) as Record<string, Json>)) {
        if (!def["x-element"]) continue;
        const local = def["x-kind"] === "model-child";
        const at = `${pointer}/$defs/${name}`;
        if (local && parentKey === undefined) throw new Error(`schema ${id}#${at}: a model-child belongs in its parent element's file`);
        const key = local ? `${parentKey}/${String(def["x-element"])}` : String(def["x-element"]);
        declared.push({ id: `${id}#${at}`, key, schema: def });
        if (local) declareDefs(id, at, def, key);
      }
    };
    for (const [id, doc] of this.#docs) {
      if (doc["x-element"]) declared.push({ id, key: String(doc["x-element"]), schema: doc });
      declareDefs(id, "", doc, doc["x-element"] ? String(doc["x-element"]) : undefined);
    }
    declared.sort((a, b) => a.key.localeCompare(b.key));
    this.taskTypes = declared.filter((d) => d.schema["x-kind"] === "task").map((d) => String(d.schema["x-element"]));
    const models = declared.filter((d) => d.schema["x-kind"] === "model").map((d) => String(d.schema["x-element"]));
    const groups: Record<string, string[]> = {
      "#task": this.taskTypes,
      "#override": this.taskTypes.map((t) => `${t}Override`),
      "#model": models,
    };
    const resolveChildren = (names: unknown): string[] =>
      ((names ?? []) as string[]).flatMap((n) => groups[n] ?? [n]);

    for (const { id, key, schema } of declared) {
      const name = String(schema["x-element"]);
      const kind = schema["x-kind"] as ElementKind;
      const noIdentifier = kind === "task-child" || schema["x-identifier"] === false;
      this.elements.set(key, this.#withLazyAttributes(id, schema, {
        name,
        key,
        kind,
        description: String(schema.description ?? ""),
        ...(schema["x-side"] ? { side: schema["x-side"] as TaskSide } : {}),
        children: resolveChildren(schema["x-children"]),
        open: schema["x-open"] === true,
        identifierAttribute: noIdentifier ? undefined : String(schema["x-identifier"] ?? "Identifier"),
        ...(schema["x-identifier-ignores-case"] === true ? { identifierIgnoresCase: true } : {}),
        ...(schema["x-ordered"] === true ? { ordered: true } : {}),
        renamed: (schema["x-renamed"] ?? {}) as Record<string, string>,
        schemaId: id,
        validate: validators(key, id),
      }));
      if (kind === "task") {
        const overrideId = `${id}#/$defs/override`;
        const override = this.#resolve(overrideId);
        this.elements.set(`${name}Override`, this.#withLazyAttributes(overrideId, override, {
          name: `${name}Override`,
          key: `${name}Override`,
          kind: "override",
          description: String(override.description ?? ""),
          children: [],
          open: false,
          identifierAttribute: "Identifier",
          renamed: {},
          overrideOf: name,
          schemaId: overrideId,
          validate: validators(`${name}Override`, overrideId),
        }));
      }
    }
    this.namespace = String(this.#docs.get("https://idm-toolkit.dev/schema/configuration-file.json")?.["x-namespace"]);
  }

  /** The JSON Schema documents, by $id. */
  get documents(): ReadonlyMap<string, Json> {
    return this.#docs;
  }

  /** An element known everywhere it is allowed (not a model-child), by its name. */
  get(name: string): ElementSpec | undefined {
    return this.elements.get(name);
  }

  /**
   * The spec of a `name` element inside `parent`, when the parent accepts it: declared in the
   * parent's $defs, else in its nearest ancestor's (so that a child may contain its own kind: a
   * Form's Control lists Control and finds itself, Form/Control), else a global element.
   */
  child(parent: ElementSpec, name: string): ElementSpec | undefined {
    if (!parent.children.includes(name)) return undefined;
    for (let key = parent.key; ; key = key.slice(0, key.lastIndexOf("/"))) {
      const local = this.elements.get(`${key}/${name}`);
      if (local) return local;
      if (!key.includes("/")) break;
    }
    return this.elements.get(name);
  }

  /** Every spec of an element called `name`, wherever it is declared. */
  named(name: string): ElementSpec[] {
    return [...this.elements.values()].filter((s) => s.name === name);
  }

  /**
   * The attributes, flattened on first use: a configuration names a few dozen of the ~500 element
   * kinds, and flattening all of them (dimension groups of 128 attributes included) was a third of a
   * small `idm validate`.
   */
  #withLazyAttributes(baseId: string, schema: Json, spec: Omit<ElementSpec, "attributes" | "references">): ElementSpec {
    let flat: Pick<ElementSpec, "attributes" | "references"> | undefined;
    const get = () => (flat ??= this.#attributes(baseId, schema));
    return Object.defineProperties(spec, {
      attributes: { get: () => get().attributes, enumerable: true },
      references: { get: () => get().references, enumerable: true },
    }) as ElementSpec;
  }

  /** Flattens properties reached through $ref and allOf into attribute specs. */
  #attributes(baseId: string, schema: Json): Pick<ElementSpec, "attributes" | "references"> {
    const required = new Set<string>();
    const props = new Map<string, { base: string; schema: Json; group?: string }>();
    const visit = (base: string, node: Json, inGroup?: string): void => {
      const group = typeof node["x-group"] === "string" ? node["x-group"] : inGroup;
      for (const r of (node.required ?? []) as string[]) required.add(r);
      if (typeof node.$ref === "string") {
        const target = new URL(node.$ref, base).href;
        visit(target, this.#resolve(target), group);
      }
      for (const sub of (node.allOf ?? []) as Json[]) visit(base, sub, group);
      for (const [name, prop] of Object.entries((node.properties ?? {}) as Record<string, Json>)) {
        if (!props.has(name)) props.set(name, { base, schema: prop, ...(group === undefined ? {} : { group }) });
      }
    };
    visit(baseId, schema);
    const specs = new Map<string, AttributeSpec>();
    for (const [name, { base, schema: prop, group }] of [...props].sort(([a], [b]) => NUMERIC_ORDER.compare(a, b))) {
      specs.set(name, this.#sharedAttribute(name, base, prop, required.has(name), group));
    }
    const references = [...specs.values()].filter((a): a is AttributeSpec & { ref: string } => a.ref !== undefined);
    return { attributes: specs, references };
  }

  /**
   * One spec per property declaration: the attribute groups (D0…D3V) and the shared definitions are
   * declared once and reached from many elements. Specs are not changed after they are made.
   */
  #sharedAttribute(name: string, base: string, prop: Json, required: boolean, group: string | undefined): AttributeSpec {
    const cache = required ? this.#requiredSpecs : this.#optionalSpecs;
    const known = cache.get(prop);
    if (known !== undefined && known.name === name && known.group === group) return known;
    const spec = this.#attribute(name, base, prop, required);
    if (group !== undefined) spec.group = group;
    cache.set(prop, spec);
    return spec;
  }

  #attribute(name: string, base: string, prop: Json, required: boolean): AttributeSpec {
    // Merge the property with what its $ref chain says; the nearest definition wins.
    const merged: Json = {};
    let node: Json | undefined = prop;
    let nodeBase = base;
    while (node) {
      for (const [k, v] of Object.entries(node)) if (!(k in merged)) merged[k] = v;
      if (typeof node.$ref !== "string") break;
      nodeBase = new URL(node.$ref, nodeBase).href;
      node = this.#resolve(nodeBase);
    }
    const type: AttributeType = Array.isArray(merged.enum) ? "enum" : (merged.type as AttributeType | undefined) ?? "string";
    const spec: AttributeSpec = { name, type, required };
    if (merged.default !== undefined) spec.default = merged.default as AttributeSpec["default"];
    if (typeof prop.description === "string" || typeof merged.description === "string") {
      spec.description = String(prop.description ?? merged.description);
    }
    if (type === "enum") {
      spec.enumNames = merged.enum as string[];
      spec.enumNumbers = merged["x-enum-numbers"] as number[] | undefined;
    }
    if (merged["x-ref"]) spec.ref = String(merged["x-ref"]);
    if (Array.isArray(merged["x-ref-builtin"])) spec.refBuiltins = (merged["x-ref-builtin"] as unknown[]).map(String);
    if (merged["x-ref-incomplete"] === true) spec.refIncomplete = true;
    if (merged["x-inherit"]) spec.inherit = String(merged["x-inherit"]);
    if (merged["x-fallback"]) spec.fallback = String(merged["x-fallback"]);
    if (merged["x-format"]) spec.format = String(merged["x-format"]);
    if (merged["x-expected"]) spec.expected = String(merged["x-expected"]);
    return spec;
  }

  #resolve(uri: string): Json {
    const [docId, pointer = ""] = uri.split("#");
    const doc = this.#docs.get(docId!);
    if (!doc) throw new Error(`schema ${docId} is not in ${SCHEMA_DIR}`);
    let node: unknown = doc;
    for (const part of pointer.split("/").filter(Boolean)) node = (node as Json)[decodeURIComponent(part)];
    if (!node) throw new Error(`schema reference ${uri} does not resolve`);
    return node as Json;
  }
}

function listJsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".json"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The name the generated module exports an element's validator under (a catalog key is `Name`, `Parent/Name`, `Parent/Child/Name`). */
export function validatorExportName(key: string): string {
  return key.replaceAll("/", "$");
}

let precompiled: Validators | Error | undefined;

function precompiledValidator(key: string): ValidateFunction {
  precompiled ??= loadOrError();
  const validate = precompiled instanceof Error ? undefined : (precompiled[validatorExportName(key)] as ValidateFunction | undefined);
  if (validate) return validate;
  // Thrown when used, not now: `npm run gen` runs with a module that lacks a new element's
  // validator, or one of an earlier format, and needs the catalog, not the validators.
  const reason = precompiled instanceof Error ? precompiled.message : `no precompiled validator for ${key}: run \`npm run gen\``;
  return (() => {
    throw new Error(reason);
  }) as unknown as ValidateFunction;
}

function loadOrError(): Validators | Error {
  try {
    return loadValidators().validators;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

let shared: SchemaCatalog | undefined;

/** The catalog of the schemas shipped with idm-toolkit, loaded once. */
export function loadCatalog(): SchemaCatalog {
  shared ??= new SchemaCatalog();
  return shared;
}
