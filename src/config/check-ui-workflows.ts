/**
 * Rules of the user-interface and workflow elements beyond "this identifier exists"
 * (check-references.ts does that for every x-ref): a display property names a property of its
 * entity type, an activity state belongs to its activity's template, and an embedded form sits in
 * a TransformImport control. Each rule is written in the README (User interface and workflows).
 */
import { position } from "./check-attributes.js";
import { memberIdentifiers, type ConfigElement, type Configuration } from "./configuration.js";
import { closestName } from "./did-you-mean.js";
import type { Problem } from "./problems.js";
import { findAttribute } from "./xml-tree.js";

/** Properties every entity type has without declaring them. */
const BUILT_IN_PROPERTIES = ["Id", "InternalDisplayName"];

export function checkUiWorkflows(configuration: Configuration, problems: Problem[]): void {
  const entityTypes = firstByIdentifier(configuration.models, "EntityType");
  const workflows = firstByIdentifier(configuration.models, "Workflow");
  const visit = (element: ConfigElement): void => {
    activityState(element, workflows, problems);
    embeddedForm(element, problems);
    for (const child of element.children) visit(child);
  };
  for (const model of configuration.models) {
    if (model.spec.name === "DisplayEntityType") displayProperties(model, entityTypes, problems);
    visit(model);
  }
}

function firstByIdentifier(models: readonly ConfigElement[], kind: string): Map<string, ConfigElement> {
  const found = new Map<string, ConfigElement>();
  for (const m of models) {
    const id = m.spec.name === kind ? m.attributes.Identifier : undefined;
    if (typeof id === "string" && !found.has(id)) found.set(id, m);
  }
  return found;
}

/** A display property shares the identifier of a property of its entity type (an unknown entity type is check-references'). */
function displayProperties(display: ConfigElement, entityTypes: Map<string, ConfigElement>, problems: Problem[]): void {
  const type = entityTypes.get(String(display.attributes.Identifier));
  if (!type) return;
  const properties = [...memberIdentifiers(type, "Property"), ...BUILT_IN_PROPERTIES];
  for (const child of display.children) {
    const id = child.attributes.Identifier;
    if (child.spec.name !== "Property" || typeof id !== "string" || properties.includes(id)) continue;
    const closest = closestName(id, properties);
    problems.push({
      code: "unresolved-reference", severity: "error", ...position(findAttribute(child.xml, "Identifier") ?? child.xml),
      message: `Property Identifier="${id}": EntityType ${type.attributes.Identifier as string} has no Property ${id}`,
      ...(closest ? { hint: `did you mean ${closest}?` } : {}),
    });
  }
}

/**
 * ActivityState is `<Template>-<State>`: its template must be the one of the activity it goes with
 * (PointCut, Recipient, a form's Activity). A warning: the reference says what the states are, not
 * that the product refuses another template's.
 */
function activityState(element: ConfigElement, workflows: Map<string, ConfigElement>, problems: Problem[]): void {
  const state = element.attributes.ActivityState;
  const activity = element.attributes.Activity;
  if (typeof state !== "string" || typeof activity !== "string") return;
  const [workflow = "", name = ""] = activity.split(":");
  const template = workflows.get(workflow)?.children.find((c) => c.spec.name === "Activity" && c.attributes.Identifier === name)?.attributes.Template;
  const stateTemplate = state.slice(0, state.lastIndexOf("-"));
  if (typeof template !== "string" || stateTemplate === template) return;
  problems.push({
    code: "invalid-value", severity: "warning", ...position(findAttribute(element.xml, "ActivityState") ?? element.xml),
    message: `${element.spec.name} ActivityState="${state}" is a state of the ${stateTemplate} template, but activity ${activity} is a ${template}: it is never in that state`,
    hint: `write a ${template}-… state`,
  });
}

/** The reference: EmbeddedForm works only with OutputType TransformImport. */
function embeddedForm(element: ConfigElement, problems: Problem[]): void {
  const output = element.attributes.OutputType;
  if (element.attributes.EmbeddedForm === undefined || typeof output !== "string" || output.toLowerCase() === "transformimport") return;
  problems.push({
    code: "invalid-value", severity: "warning", ...position(findAttribute(element.xml, "EmbeddedForm") ?? element.xml),
    message: `${element.spec.name} EmbeddedForm="${String(element.attributes.EmbeddedForm)}" with OutputType="${output}": the form is embedded only with OutputType="TransformImport"`,
    hint: `add OutputType="TransformImport"`,
  });
}
