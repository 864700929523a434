/**
 * The well-formedness rules of Namespaces in XML 1.0 (third edition), checked over saxes's plain
 * (namespace-unaware) events: a prefix is declared before it is used, `xml` and `xmlns` keep their
 * meaning, no prefix is undeclared, names hold at most one colon, and no two attributes have the
 * same expanded name.
 *
 * Saxes can check these itself, but it resolves each element's namespace by walking all its
 * ancestors (quadratic in depth) and allocates per tag; here an element without a colon in its
 * names costs one scan of its attribute names, and declarations are undone on the end tag.
 */
const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/";
/** Characters that may follow a name's first but may not start one: after a colon, a local part can't start so. */
const NOT_NAME_START = /^[-.0-9\u00B7\u0300-\u036F\u203F\u2040]/;

export interface NamedValue {
  name: string;
  value: string;
}

/** What is wrong, and with what: the element (-1) or the attribute at that index. */
export type NamespaceError = [index: number, message: string];

export class NamespaceScope {
  readonly #bindings = new Map<string, string>([["xml", XML_NAMESPACE]]);
  /** Per open element: the prefixes it declared and what they were bound to before (undefined: nothing). */
  readonly #undo: ([string, string | undefined][] | undefined)[] = [];

  /** Call on each complete start tag; then close() on its end tag, even for `<a/>`. */
  open(name: string, attributes: readonly NamedValue[]): NamespaceError | undefined {
    let declared: [string, string | undefined][] | undefined;
    let prefixed = false;
    let error: NamespaceError | undefined;
    for (let i = 0; i < attributes.length && !error; i++) {
      const { name: attribute, value } = attributes[i]!;
      if (attribute === "xmlns") {
        if (value === XML_NAMESPACE || value === XMLNS_NAMESPACE) error = [i, `the default namespace may not be ${value}`];
      } else if (attribute.includes(":")) {
        prefixed = true;
        error = qnameError(attribute, i);
        if (error || !attribute.startsWith("xmlns:")) continue;
        const prefix = attribute.slice(6);
        error = declarationError(prefix, value, i);
        (declared ??= []).push([prefix, this.#bindings.get(prefix)]);
        this.#bindings.set(prefix, value);
      }
    }
    this.#undo.push(declared);
    if (error) return error;
    if (name.includes(":")) {
      error = qnameError(name, -1);
      const prefix = name.slice(0, name.indexOf(":"));
      if (!error && prefix === "xmlns") error = [-1, "an element name may not have the prefix xmlns"];
      if (!error && !this.#bindings.has(prefix)) error = [-1, `the prefix ${prefix} is not declared (xmlns:${prefix}="...")`];
      if (error) return error;
    }
    return prefixed ? this.#attributePrefixes(attributes) : undefined;
  }

  close(): void {
    const declared = this.#undo.pop();
    if (!declared) return;
    for (let i = declared.length - 1; i >= 0; i--) {
      const [prefix, previous] = declared[i]!;
      if (previous === undefined) this.#bindings.delete(prefix);
      else this.#bindings.set(prefix, previous);
    }
  }

  #attributePrefixes(attributes: readonly NamedValue[]): NamespaceError | undefined {
    const expanded = new Set<string>();
    for (const [i, { name }] of attributes.entries()) {
      const colon = name.indexOf(":");
      if (colon === -1 || name.startsWith("xmlns:")) continue;
      const prefix = name.slice(0, colon);
      const uri = this.#bindings.get(prefix);
      if (uri === undefined) return [i, `the prefix ${prefix} is not declared (xmlns:${prefix}="...")`];
      const key = `{${uri}}${name.slice(colon + 1)}`;
      if (expanded.has(key)) return [i, `two attributes are named ${key}`];
      expanded.add(key);
    }
    return undefined;
  }
}

function qnameError(name: string, index: number): NamespaceError | undefined {
  const colon = name.indexOf(":");
  const local = name.slice(colon + 1);
  if (colon === 0 || local === "" || local.includes(":") || NOT_NAME_START.test(local)) return [index, `${name} is not a valid qualified name (prefix:local)`];
  return undefined;
}

function declarationError(prefix: string, value: string, index: number): NamespaceError | undefined {
  if (prefix === "xmlns") return [index, "the prefix xmlns may not be declared"];
  if (prefix === "xml") return value === XML_NAMESPACE ? undefined : [index, `the prefix xml may only be bound to ${XML_NAMESPACE}`];
  if (value === "") return [index, `xmlns:${prefix}="" undeclares a prefix, which XML 1.0 does not allow`];
  if (value === XML_NAMESPACE || value === XMLNS_NAMESPACE) return [index, `${value} may not be bound to the prefix ${prefix}`];
  return undefined;
}
