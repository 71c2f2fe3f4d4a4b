import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { FileRefused, limitsWith } from "./limits";
import { ZipReader } from "./unzip";
import { decodeXmlText, XmlTokenizer } from "./xml";

type Event = [string, string, Record<string, string>?];

/** Tokenizes `xml` fed in pieces cut at `cuts` (byte offsets); text between tags is joined and decoded. */
function events(xml: string, cuts: number[] = []): Event[] {
  const out: Event[] = [];
  let text = "";
  const flush = () => {
    if (text.trim() !== "") out.push(["text", decodeXmlText(text)]);
    text = "";
  };
  const t = new XmlTokenizer(
    {
      open: (name, attributes) => {
        flush();
        out.push(["open", name, { ...attributes }]);
      },
      close: (name) => {
        flush();
        out.push(["close", name]);
      },
      text: (raw) => (text += raw),
    },
    () => new FileRefused("broken"),
  );
  const bytes = strToU8(xml);
  let at = 0;
  for (const cut of [...cuts, bytes.byteLength]) {
    t.push(bytes.subarray(at, cut));
    at = cut;
  }
  t.push(new Uint8Array(0), true);
  flush();
  return out;
}

const SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<!-- a comment with <tags> inside -->
<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row r="2" spans="1:2"><x:c r="A2" t="inlineStr" note='a > b'><x:is><x:t>中宁县 &amp; &lt;第一&gt; &#20013;&#x5B81;</x:t></x:is></x:c><x:c r="B2"><x:v><![CDATA[1 < 2 & 3]]></x:v></x:c><x:c r="C2"/><x:c r="D2"><x:v>&b;</x:v></x:c></x:row></x:sheetData></x:worksheet>`;

describe("the streaming XML tokenizer", () => {
  const whole = events(SAMPLE);

  it("reads SpreadsheetML with prefixes, entities, CDATA, '>' in an attribute; never expands a DOCTYPE's entities", () => {
    expect(whole).toContainEqual(["open", "c", { r: "A2", t: "inlineStr", note: "a > b" }]);
    expect(whole).toContainEqual(["text", "中宁县 & <第一> 中宁"]);
    expect(whole).toContainEqual(["text", "1 < 2 & 3"]);
    expect(whole).toContainEqual(["open", "c", { r: "C2" }]);
    // An entity-expansion bomb expands to nothing: &b; stays as written.
    expect(whole).toContainEqual(["text", "&b;"]);
    expect(whole.filter(([kind]) => kind === "open").map(([, name]) => name)).toEqual([
      "worksheet",
      "sheetData",
      "row",
      "c",
      "is",
      "t",
      "c",
      "v",
      "c",
      "c",
      "v",
    ]);
  });

  it("gives the same events however the bytes are cut (inside tags, references, CDATA, a UTF-8 character)", () => {
    const length = strToU8(SAMPLE).byteLength;
    for (let cut = 1; cut < length; cut += 1) expect(events(SAMPLE, [cut])).toEqual(whole);
    for (let step = 2; step < 9; step += 1)
      expect(
        events(
          SAMPLE,
          Array.from({ length: Math.floor(length / step) }, (_, i) => (i + 1) * step),
        ),
      ).toEqual(whole);
  });

  it("refuses what is not XML, or not UTF-8", () => {
    expect(() => events('<row r="1"><c>1</c')).toThrow(FileRefused);
    expect(() => events("<row r=1>")).toThrow(FileRefused);
    const t = new XmlTokenizer({ open: () => undefined, close: () => undefined, text: () => undefined }, () => new FileRefused("broken"));
    expect(() => t.push(Uint8Array.of(0x3c, 0x61, 0x3e, 0xff, 0xfe), true)).toThrow(FileRefused);
  });
});

describe("the capped zip reader", () => {
  const limits = limitsWith({ totalBytes: 1000, entryBytes: 600, entries: 3 });

  it("reads stored and deflated entries", () => {
    const zip = zipSync({ "a.csv": [strToU8("x".repeat(500)), { level: 0 }], "b.csv": [strToU8("y".repeat(400)), { level: 9 }] });
    const r = new ZipReader(zip, limits);
    expect(r.entries.map((e) => [e.name, e.method, e.declaredSize])).toEqual([
      ["a.csv", 0, 500],
      ["b.csv", 8, 400],
    ]);
    expect(new TextDecoder().decode(r.readAll(r.entries[1]!))).toBe("y".repeat(400));
    expect(r.inflatedBytes).toBe(400);
  });

  it("refuses by declared size and entry count before inflating anything", () => {
    expect(() => new ZipReader(zipSync({ "a.csv": strToU8("x".repeat(700)) }), limits)).toThrow("压缩包内的「a.csv」解压后超过 1 KB");
    expect(() => new ZipReader(zipSync({ a: strToU8("x".repeat(550)), b: strToU8("x".repeat(550)) }), limits)).toThrow("文件解压后超过 1 KB");
    expect(() => new ZipReader(zipSync({ a: strToU8("1"), b: strToU8("2"), c: strToU8("3"), d: strToU8("4") }), limits)).toThrow("压缩包内的文件超过 3 个");
  });

  it("refuses an encrypted entry and an unknown compression method in Chinese", () => {
    const zip = zipSync({ "a.csv": strToU8("1,2") });
    const view = new DataView(zip.buffer);
    const central = view.getUint32(zip.byteLength - 22 + 16, true);
    const encrypted = Uint8Array.from(zip);
    new DataView(encrypted.buffer).setUint16(central + 8, 1, true);
    const r = new ZipReader(encrypted, limits);
    expect(() => r.readAll(r.entries[0]!)).toThrow("压缩包内的「a.csv」已加密，请解除密码后重新打包");
    const bzip2 = Uint8Array.from(zip);
    new DataView(bzip2.buffer).setUint16(central + 10, 12, true);
    const b = new ZipReader(bzip2, limits);
    expect(() => b.readAll(b.entries[0]!)).toThrow("压缩包内的「a.csv」使用了不支持的压缩方式，请用常规 zip 格式重新打包");
  });
});
