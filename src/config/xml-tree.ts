/** The parsed shape of a configuration file: elements and attributes that know where they came from. */

export interface Span {
  /** File path relative to the configuration folder, with forward slashes. */
  file: string;
  line: number;
  column: number;
  endLine: number;
}

export interface XmlAttribute {
  name: string;
  value: string;
  span: Span;
}

export interface XmlElement {
  name: string;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** Points at the element's `<`; endLine is the line of its closing `>`. */
  span: Span;
}

export function attributeValue(element: XmlElement, name: string): string | undefined {
  for (const a of element.attributes) if (a.name === name) return a.value;
  return undefined;
}

export function findAttribute(element: XmlElement, name: string): XmlAttribute | undefined {
  for (const a of element.attributes) if (a.name === name) return a;
  return undefined;
}
