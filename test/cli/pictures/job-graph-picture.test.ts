/** `idm steps --format mermaid|dot`: the text drawn for a deployed job, as golden text. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jobGraphDot, jobGraphMermaid } from "../../../src/cli/pictures/job-graph-picture.js";
import { jobGraph } from "../../../src/jobs/job-graph.js";
import { readJobSnapshot } from "../../../src/jobs/job-snapshot.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { deployXml } from "../../helpers/deploy-xml.js";
import { HOSTILE_FILES, HOSTILE_JOB } from "./hostile-job.js";

const MERMAID = `flowchart TD
  subgraph g0 ["Level 0"]
    direction LR
    t0["0. A #34;q#34; #35;35#59; #38;lt#59; #60;b#62;bold#60;/b#62; #96;md#96; #58; #59; #37;#37; \\n \\ end<br/>MaintainIndexesTask"]
  end
  subgraph g1 ["Level 1 · declared 0"]
    direction LR
    t1["1. gantt Éé 漢字 🙂 #64258;°°35#182;ß#10;x<br/>MaintainIndexesTask"]
  end
  subgraph g2 ["Level 2 · declared 1"]
    direction LR
    t2["2. click C<br/>MaintainIndexesTask"]
  end
  g0 -.-> g1
  g1 -.-> g2
  t0 --> t2
`;

const DOT = `digraph "J \\"x\\" # % ; : <b>" {
  compound=true;
  node [shape=box];
  subgraph cluster_0 {
    label="Level 0";
    t0 [label="0. A \\"q\\" #35; &amp;lt; <b>bold</b> \`md\` : ; %% \\\\n \\\\ end\\nMaintainIndexesTask"];
    { rank=same; t0; }
  }
  subgraph cluster_1 {
    label="Level 1 · declared 0";
    t1 [label="1. gantt Éé 漢字 🙂 ﬂ°°35¶ß&#10;x\\nMaintainIndexesTask"];
    { rank=same; t1; }
  }
  subgraph cluster_2 {
    label="Level 2 · declared 1";
    t2 [label="2. click C\\nMaintainIndexesTask"];
    { rank=same; t2; }
  }
  t0 -> t1 [style=dashed, ltail=cluster_0, lhead=cluster_1];
  t1 -> t2 [style=dashed, ltail=cluster_1, lhead=cluster_2];
  t0 -> t2;
}
`;

describe.each(BACKENDS)("pictures of a job on %s", (_, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });

  /** A batch size of 1 splits level 0 in two groups: the picture draws groups as a run launches them. */
  async function graph() {
    const store = await db.open();
    await deployXml(store, HOSTILE_FILES);
    const snapshot = await readJobSnapshot(store, HOSTILE_JOB);
    expect(snapshot).toBeDefined();
    return jobGraph(HOSTILE_JOB, snapshot!.steps, 1);
  }

  it("draws groups, launch order and dependencies inside the job as a Mermaid flowchart", async () => {
    expect(jobGraphMermaid(await graph())).toBe(MERMAID);
  });

  it("draws the same as a Graphviz digraph with one cluster per group", async () => {
    expect(jobGraphDot(await graph())).toBe(DOT);
  });

  it("puts each level in one group when the batch size allows", async () => {
    const store = await db.open();
    await deployXml(store, HOSTILE_FILES);
    const snapshot = await readJobSnapshot(store, HOSTILE_JOB);
    const groups = jobGraph(HOSTILE_JOB, snapshot!.steps, 5).groups;
    expect(groups.map((g) => [g.level, g.declaredLevel, g.steps.map((s) => s.order)])).toEqual([[0, 0, [0, 1]], [1, 1, [2]]]);
  });
});
