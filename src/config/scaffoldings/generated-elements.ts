/**
 * Configuration elements that a scaffolding generates: typed like parsed ones (defaults applied),
 * with a synthetic xml whose spans point at the scaffolding, and marked `generatedBy` with the
 * scaffolding's element name.
 */
import { applyDefaults } from "../check-attributes.js";
import type { AttributeValue } from "../coerce-attribute.js";
import type { ConfigElement } from "../configuration.js";
import type { ElementSpec, SchemaCatalog } from "../schema/catalog.js";
import type { Span, XmlElement } from "../xml-tree.js";

/** What to generate: an element name, its attributes, and its children the same way. */
export interface ElementPlan {
  name: string;
  attributes: Record<string, AttributeValue>;
  children?: ElementPlan[];
}

export class GeneratedElements {
  readonly generatedBy: string;
  readonly span: Span;

  /** `by`: the scaffolding element, or the element name and position of the scaffolding that generates. */
  constructor(
    readonly catalog: SchemaCatalog,
    by: ConfigElement | { generatedBy: string; span: Span },
  ) {
    this.generatedBy = "spec" in by ? by.spec.name : by.generatedBy;
    this.span = "spec" in by ? by.xml.span : by.span;
  }

  /** A top-level element (a Job, a task, a model element) or, with `parent`, a child of that element. */
  element(plan: ElementPlan, parent?: ElementSpec): ConfigElement {
    // A task's children (TaskEntityType...) are known everywhere; a model element's only inside it.
    const spec = (parent === undefined ? undefined : this.catalog.child(parent, plan.name)) ?? this.catalog.get(plan.name);
    if (spec === undefined) throw new Error(`scaffolding output ${plan.name} is not in the schema catalog${parent ? ` under ${parent.name}` : ""}`);
    const children = (plan.children ?? []).map((c) => this.element(c, spec));
    const values = { ...plan.attributes };
    applyDefaults(spec, values);
    const span = this.span;
    const xml: XmlElement = {
      name: plan.name,
      attributes: Object.entries(plan.attributes).map(([key, value]) => ({ name: key, value: String(value), span })),
      children: children.map((c) => c.xml),
      span,
    };
    return { spec, attributes: values, children, xml, generatedBy: this.generatedBy };
  }
}
