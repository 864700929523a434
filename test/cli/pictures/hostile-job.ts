/**
 * A job whose identifiers hold what diagram sources give a meaning to: quotes, entity codes, HTML,
 * markdown, gantt separators and comments, backslashes, Mermaid keywords, its entity placeholders,
 * a newline, and letters outside ASCII. C depends on A (drawn) and on P of another job (not drawn).
 */
export const HOSTILE_JOB = 'J "x" # % ; : <b>';
export const HOSTILE_A = 'A "q" #35; &lt; <b>bold</b> `md` : ; %% \\n \\ end';
export const HOSTILE_B = "gantt Éé 漢字 🙂 ﬂ°°35¶ß\nx";

const attribute = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\n/g, "&#10;");

export const HOSTILE_FILES = {
  "jobs.xml": `<?xml version="1.0" encoding="utf-8"?>
<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">
  <Agent Identifier="Local" DisplayName_L1="Local" />
  <Job Identifier="${attribute(HOSTILE_JOB)}" DisplayName_L1="J">
    <MaintainIndexesTask Identifier="${attribute(HOSTILE_A)}" DisplayName_L1="A" Level="0" />
    <MaintainIndexesTask Identifier="${attribute(HOSTILE_B)}" DisplayName_L1="B" Level="0" />
    <MaintainIndexesTask Identifier="click C" DisplayName_L1="C" Level="1">
      <TaskDependsOnTask ParentTask="${attribute(HOSTILE_A)}" />
      <TaskDependsOnTask ParentTask="P" />
    </MaintainIndexesTask>
  </Job>
  <Job Identifier="K" DisplayName_L1="K">
    <MaintainIndexesTask Identifier="P" DisplayName_L1="P" />
  </Job>
</ConfigurationFile>
`,
};
