import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, csvLine, neutralizeCell } from "./spreadsheet-safety";

describe("neutralizeCell", () => {
  it("prefixes an apostrophe to text a spreadsheet would run as a formula", () => {
    expect(neutralizeCell('=HYPERLINK("http://example.com","点击查看")')).toBe('\'=HYPERLINK("http://example.com","点击查看")');
    expect(neutralizeCell("+1 同意")).toBe("'+1 同意");
    expect(neutralizeCell("-作业太多")).toBe("'-作业太多");
    expect(neutralizeCell("@校长")).toBe("'@校长");
    expect(neutralizeCell("\t=1+1")).toBe("'\t=1+1");
    expect(neutralizeCell("希望=更好")).toBe("希望=更好");
  });

  it("property: a neutralised text never starts with a formula character", () => {
    fc.assert(fc.property(fc.string(), (s) => !/^[=+\-@\t\r]/.test(neutralizeCell(s))));
  });
});

describe("CSV", () => {
  it("quotes fields with commas, quotes and newlines, and keeps numbers as numbers", () => {
    expect(csvField('说"好",的')).toBe('"说""好"",的"');
    expect(csvField("第一行\n第二行")).toBe('"第一行\n第二行"');
    expect(csvField(-3)).toBe("-3");
    expect(csvField(null)).toBe("");
    expect(csvLine(["a", 1, "=1+1"])).toBe("a,1,'=1+1\r\n");
  });
});
