import { describe, expect, it } from "vitest";
import { dotText, mermaidText } from "../../../src/cli/pictures/escape.js";
import { HOSTILE_A, HOSTILE_B, HOSTILE_JOB } from "./hostile-job.js";

const SAMPLES = [HOSTILE_JOB, HOSTILE_A, HOSTILE_B, "", "plain_Name-1.2", "\\", 'x\\"', "#lt;", "\u2028\u2029\t\r\u007F", "end", "a%%{init}%%b"];

/** What Mermaid does after parsing: each entity code back to its character. */
const mermaidDecode = (text: string) => text.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));

/** What Graphviz does with a quoted label: backslash escapes, then HTML entities. */
const dotDecode = (text: string) =>
  text.replace(/\\(.)/gu, "$1").replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))).replace(/&amp;/g, "&");

describe("mermaidText", () => {
  it.each(SAMPLES)("leaves no character Mermaid reads, and decodes back: %j", (sample) => {
    const escaped = mermaidText(sample);
    // Outside entity codes: none of the characters a flowchart label or a gantt line gives a meaning to.
    expect(escaped.replace(/#\d+;/g, "")).not.toMatch(/["#&<>`:;%\u00B6\uFB02\u0000-\u001F\u007F\u2028\u2029]/u);
    expect(mermaidDecode(escaped)).toBe(sample);
  });

  it("keeps letters of any script as they are", () => {
    expect(mermaidText("Éé 漢字 🙂")).toBe("Éé 漢字 🙂");
  });
});

describe("dotText", () => {
  it.each(SAMPLES)("cannot end the string or hold a raw control character, and decodes back: %j", (sample) => {
    const escaped = dotText(sample);
    // Every quote is escaped by an unescaped backslash: pairs of backslashes removed, none is left before a quote.
    expect(escaped.replace(/\\\\/g, "").replace(/\\"/g, "")).not.toMatch(/["\\\u0000-\u001F\u007F\u2028\u2029]/u);
    expect(dotDecode(escaped)).toBe(sample);
  });
});
