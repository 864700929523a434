/**
 * `idm steps --format mermaid|dot`: a job's launch groups, one box (subgraph, cluster) per effective
 * level with its tasks in launch order, dashed arrows from each group to the next, and solid arrows
 * from a parent task to the task that depends on it (TaskDependsOnTask). Numbers are the ones
 * `idm steps` prints (from 0). Nodes and groups get generated names (t<order>, g<level>):
 * identifiers appear only in labels, escaped there.
 */
import type { GraphGroup, JobGraph } from "../../jobs/job-graph.js";
import { dotText, mermaidText } from "./escape.js";

/** The declared level is named only where it differs: a split level, a renumbered one, or none. */
function groupTitle(group: GraphGroup): string {
  if (group.declaredLevel === -1) return `Level ${group.level} · no level declared`;
  return group.declaredLevel === group.level ? `Level ${group.level}` : `Level ${group.level} · declared ${group.declaredLevel}`;
}

export function jobGraphMermaid(graph: JobGraph): string {
  const lines = ["flowchart TD"];
  for (const group of graph.groups) {
    lines.push(`  subgraph g${group.level} ["${mermaidText(groupTitle(group))}"]`, "    direction LR");
    for (const step of group.steps) {
      lines.push(`    t${step.order}["${step.order}. ${mermaidText(step.identifier)}<br/>${mermaidText(step.type)}"]`);
    }
    lines.push("  end");
  }
  for (let i = 1; i < graph.groups.length; i++) lines.push(`  g${i - 1} -.-> g${i}`);
  for (const edge of graph.edges) lines.push(`  t${edge.parent} --> t${edge.child}`);
  return `${lines.join("\n")}\n`;
}

export function jobGraphDot(graph: JobGraph): string {
  const lines = [
    `digraph "${dotText(graph.job)}" {`,
    "  compound=true;",
    "  node [shape=box];",
  ];
  for (const group of graph.groups) {
    lines.push(`  subgraph cluster_${group.level} {`, `    label="${dotText(groupTitle(group))}";`);
    for (const step of group.steps) {
      lines.push(`    t${step.order} [label="${step.order}. ${dotText(step.identifier)}\\n${dotText(step.type)}"];`);
    }
    lines.push(`    { rank=same; ${group.steps.map((s) => `t${s.order};`).join(" ")} }`, "  }");
  }
  // Graphviz joins clusters by their nodes: the last task of a group to the first of the next, clipped to the boxes.
  for (let i = 1; i < graph.groups.length; i++) {
    const from = graph.groups[i - 1]!.steps.at(-1)!.order;
    const to = graph.groups[i]!.steps[0]!.order;
    lines.push(`  t${from} -> t${to} [style=dashed, ltail=cluster_${i - 1}, lhead=cluster_${i}];`);
  }
  for (const edge of graph.edges) lines.push(`  t${edge.parent} -> t${edge.child};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
