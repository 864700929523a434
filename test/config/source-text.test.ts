import { describe, expect, it } from "vitest";
import { decodeConfigBytes, LineIndex } from "../../src/config/source-text.js";

const xml = '<?xml version="1.0" encoding="utf-8"?><ConfigurationFile DisplayName_L1="Équipe"/>';

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const le = Buffer.from(text, "utf16le");
  if (bigEndian) le.swap16();
  return Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), le]);
}

describe("decodeConfigBytes", () => {
  it("reads UTF-8 with and without a byte order mark", () => {
    expect(decodeConfigBytes(Buffer.from(xml))).toEqual({ ok: true, text: xml });
    expect(decodeConfigBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]))).toEqual({ ok: true, text: xml });
  });

  it("reads UTF-16 little and big endian with a byte order mark", () => {
    const text = xml.replace("utf-8", "utf-16");
    expect(decodeConfigBytes(utf16(text, false))).toEqual({ ok: true, text });
    expect(decodeConfigBytes(utf16(text, true))).toEqual({ ok: true, text });
  });

  it("refuses bytes that are not UTF-8", () => {
    const latin1 = Buffer.from(xml.replace("utf-8", "iso-8859-1"), "latin1");
    const result = decodeConfigBytes(latin1);
    expect(result.ok).toBe(false);
  });

  it("refuses a declared encoding other than UTF-8 or UTF-16, even when the bytes happen to be ASCII", () => {
    const result = decodeConfigBytes(Buffer.from('<?xml version="1.0" encoding="windows-1252"?><a/>'));
    expect(result).toEqual({ ok: false, message: expect.stringContaining('"windows-1252"') });
  });

  it("refuses UTF-16 without a byte order mark and UTF-32", () => {
    expect(decodeConfigBytes(Buffer.from("<a/>", "utf16le")).ok).toBe(false);
    expect(decodeConfigBytes(Buffer.from([0xff, 0xfe, 0, 0, 0x3c, 0, 0, 0])).ok).toBe(false);
  });
});

describe("LineIndex", () => {
  it("counts LF and CRLF line ends alike", () => {
    for (const eol of ["\n", "\r\n"]) {
      const text = ["<a>", "  <b/>", "</a>"].join(eol);
      const index = new LineIndex(text);
      expect(index.position(text.indexOf("<b"))).toEqual({ line: 2, column: 3 });
      expect(index.position(text.indexOf("</a"))).toEqual({ line: 3, column: 1 });
      expect(index.position(0)).toEqual({ line: 1, column: 1 });
    }
  });
});
