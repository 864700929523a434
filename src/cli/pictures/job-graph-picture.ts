/**
 * `idm steps --format mermaid|dot`: a job's launch groups, one box (subgraph, cluster) per group in
 * launch order with its tasks in launch order, dashed arrows from each group to the next, and solid
 * arrows from a parent task to the task that depends on it (TaskDependsOnTask). Nodes and groups get
 * generated names (t<launch order>, g<group>): identifiers appear only in labels, escaped there.
 */
import type { JobGraph } from "../../jobs/job-graph.js";
import type { LaunchGroup } from "../../jobs/launch-groups.js";
import { dotText, mermaidText } from "./escape.js";

function groupTitle(group: LaunchGroup, index: number): string {
  return `Group ${index + 1} · ${group.level === -1 ? "no level" : `Level ${group.level}`}`;
}

export function jobGraphMermaid(graph: JobGraph): string {
  const lines = ["flowchart TD"];
  graph.groups.forEach((group, index) => {
    lines.push(`  subgraph g${index + 1} ["${mermaidText(groupTitle(group, index))}"]`, "    direction LR");
    for (const step of group.steps) {
      lines.push(`    t${step.launchOrder}["${step.launchOrder}. ${mermaidText(step.identifier)}<br/>${mermaidText(step.type)}"]`);
    }
    lines.push("  end");
  });
  for (let i = 1; i < graph.groups.length; i++) lines.push(`  g${i} -.-> g${i + 1}`);
  for (const edge of graph.edges) lines.push(`  t${edge.parent} --> t${edge.child}`);
  return `${lines.join("\n")}\n`;
}

export function jobGraphDot(graph: JobGraph): string {
  const lines = [
    `digraph "${dotText(graph.job)}" {`,
    "  compound=true;",
    "  node [shape=box];",
  ];
  graph.groups.forEach((group, index) => {
    lines.push(`  subgraph cluster_${index + 1} {`, `    label="${dotText(groupTitle(group, index))}";`);
    for (const step of group.steps) {
      lines.push(`    t${step.launchOrder} [label="${step.launchOrder}. ${dotText(step.identifier)}\\n${dotText(step.type)}"];`);
    }
    lines.push(`    { rank=same; ${group.steps.map((s) => `t${s.launchOrder};`).join(" ")} }`, "  }");
  });
  // Graphviz joins clusters by their nodes: the last task of a group to the first of the next, clipped to the boxes.
  for (let i = 1; i < graph.groups.length; i++) {
    const from = graph.groups[i - 1]!.steps.at(-1)!.launchOrder;
    const to = graph.groups[i]!.steps[0]!.launchOrder;
    lines.push(`  t${from} -> t${to} [style=dashed, ltail=cluster_${i}, lhead=cluster_${i + 1}];`);
  }
  for (const edge of graph.edges) lines.push(`  t${edge.parent} -> t${edge.child};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
