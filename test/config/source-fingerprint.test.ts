import { describe, expect, it } from "vitest";
import { SourceFingerprint } from "../../src/config/source-fingerprint.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { writeFolder } from "../helpers/temp-folder.js";

const fingerprint = (files: [layer: string, file: string, text: string][]): string => {
  const f = new SourceFingerprint();
  for (const [layer, file, text] of files) f.add(layer, file, Buffer.from(text));
  return f.digest();
};

describe("SourceFingerprint", () => {
  it("changes with a file's bytes, its name, its layer, and where one file ends and the next begins", () => {
    const base = fingerprint([["configuration", "a.xml", "<x/>"], ["configuration", "b.xml", "<y/>"]]);
    expect(fingerprint([["configuration", "a.xml", "<x/>"], ["configuration", "b.xml", "<y/>"]])).toBe(base);
    expect(fingerprint([["configuration", "a.xml", "<x />"], ["configuration", "b.xml", "<y/>"]])).not.toBe(base);
    expect(fingerprint([["configuration", "c.xml", "<x/>"], ["configuration", "b.xml", "<y/>"]])).not.toBe(base);
    expect(fingerprint([["module M", "a.xml", "<x/>"], ["configuration", "b.xml", "<y/>"]])).not.toBe(base);
    expect(fingerprint([["configuration", "a.xml", "<x/><"], ["configuration", "b.xml", "y/>"]])).not.toBe(base);
  });

  it("is given every file validateFolder reads", () => {
    const dir = writeFolder({ "a.xml": "<ConfigurationFile><Agent Identifier=\"Local\" /></ConfigurationFile>", "b/c.xml": "<ConfigurationFile />" });
    const fed = new SourceFingerprint();
    validateFolder(dir, undefined, undefined, fed);
    expect(fed.digest()).toBe(fingerprint([
      ["configuration", "a.xml", "<ConfigurationFile><Agent Identifier=\"Local\" /></ConfigurationFile>"],
      ["configuration", "b/c.xml", "<ConfigurationFile />"],
    ]));
  });
});
