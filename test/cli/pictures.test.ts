/** The pictures as a user gets them from the built idm: the DOT accepted by Graphviz, the gantt of a real run, the usage errors. */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { idm } from "../helpers/idm-process.js";
import { writeFolder } from "../helpers/temp-folder.js";
import { HOSTILE_A, HOSTILE_FILES, HOSTILE_JOB } from "./pictures/hostile-job.js";

const cwd = mkdtempSync(join(tmpdir(), "idm-pictures-"));

describe("idm pictures", () => {
  beforeAll(() => {
    expect(idm(cwd, "deploy", writeFolder(HOSTILE_FILES)).status).toBe(0);
  });

  it("idm steps --format dot is accepted by Graphviz (dot -Tsvg), which shows the names as written", () => {
    const drawn = idm(cwd, "steps", HOSTILE_JOB, "--format", "dot");
    expect(drawn.status).toBe(0);
    const svg = spawnSync("dot", ["-Tsvg"], { input: drawn.stdout, encoding: "utf8" });
    expect(svg.stderr).toBe("");
    expect(svg.status).toBe(0);
    const texts = [...svg.stdout.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!
      .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&"));
    expect(texts).toEqual(expect.arrayContaining([`0. ${HOSTILE_A}`, "2. click C", "Level 0", "Level 1"]));
  });

  it("idm steps --format mermaid draws a flowchart", () => {
    const drawn = idm(cwd, "steps", HOSTILE_JOB, "--format", "mermaid");
    expect(drawn.status).toBe(0);
    expect(drawn.stdout.split("\n").slice(0, 2)).toEqual(["flowchart TD", '  subgraph g0 ["Level 0"]']);
  });

  it("idm instances <id> shows a run, and --format mermaid draws its gantt", () => {
    expect(idm(cwd, "run", HOSTILE_JOB).status).toBe(0);
    const id = (JSON.parse(idm(cwd, "instances", "--json").stdout) as { id: number }[])[0]!.id;
    const shown = JSON.parse(idm(cwd, "instances", String(id), "--json").stdout) as { state: string; tasks: { identifier: string; state: string }[] };
    expect(shown.state).toBe("Succeeded");
    expect(shown.tasks.map((t) => t.state)).toEqual(["Succeeded", "Succeeded", "Succeeded"]);
    const gantt = idm(cwd, "instances", String(id), "--format", "mermaid");
    expect(gantt.status).toBe(0);
    expect(gantt.stdout.split("\n").filter((l) => / :done, t\d+, /.test(l))).toHaveLength(3);
  });

  it("refuses what cannot be drawn or asks for two outputs, with exit 64", () => {
    const list = idm(cwd, "instances", "--format", "mermaid");
    expect([list.status, list.stderr]).toEqual([64, "idm: --format mermaid draws one run: give its instance id (idm instances <id> --format mermaid)\n"]);
    expect(idm(cwd, "steps", HOSTILE_JOB, "--json", "--format", "dot").status).toBe(64);
    expect(idm(cwd, "instances", "1", "--job", "K").stderr).toBe("idm: --job selects instances to list; with an instance id, give neither --job nor --limit\n");
    expect(idm(cwd, "instances", "999").status).toBe(64);
    expect(idm(cwd, "steps", HOSTILE_JOB, "--format", "png").status).toBe(64);
  });
});
