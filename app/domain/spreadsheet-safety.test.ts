import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attachmentHeader, csvField, csvLine, neutralizeCell, safeCellValue } from "./spreadsheet-safety";

describe("neutralizeCell", () => {
  it("prefixes an apostrophe to text a spreadsheet would run as a formula", () => {
    expect(neutralizeCell('=HYPERLINK("http://example.com","点击查看")')).toBe('\'=HYPERLINK("http://example.com","点击查看")');
    expect(neutralizeCell("+1 同意")).toBe("'+1 同意");
    expect(neutralizeCell("-作业太多")).toBe("'-作业太多");
    expect(neutralizeCell("@校长")).toBe("'@校长");
    expect(neutralizeCell("\t=1+1")).toBe("'\t=1+1");
    expect(neutralizeCell("希望=更好")).toBe("希望=更好");
  });

  it("also behind leading blanks, in full-width and small forms, and after a line feed (issue 12)", () => {
    expect(neutralizeCell(" =1+1")).toBe("' =1+1");
    expect(neutralizeCell('\u3000=HYPERLINK("http://x")')).toBe('\'\u3000=HYPERLINK("http://x")');
    expect(neutralizeCell("\u00a0+1")).toBe("'\u00a0+1");
    expect(neutralizeCell("＝1+1")).toBe("'＝1+1");
    expect(neutralizeCell("＋86")).toBe("'＋86");
    expect(neutralizeCell("－作业")).toBe("'－作业");
    expect(neutralizeCell("＠校长")).toBe("'＠校长");
    expect(neutralizeCell("﹦1")).toBe("'﹦1");
    expect(neutralizeCell("\n=1+1")).toBe("'\n=1+1");
    expect(neutralizeCell("\r\n@SUM(A1)")).toBe("'\r\n@SUM(A1)");
    expect(neutralizeCell("  作业太多")).toBe("  作业太多");
    expect(neutralizeCell("希望＝更好")).toBe("希望＝更好");
    expect(safeCellValue(-3)).toBe(-3);
    expect(safeCellValue(null)).toBe(null);
    expect(safeCellValue("=1")).toBe("'=1");
  });

  it("property: a neutralised text never starts, after blanks, with a formula character", () => {
    const chars = fc.constantFrom(" ", "\u3000", "\u00a0", "\t", "\r", "\n", "=", "+", "-", "@", "＝", "＋", "－", "＠", "a", "中", "1");
    const text = fc.array(chars, { maxLength: 6 }).map((a) => a.join(""));
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), text),
        (s) => !/^[ \u00a0\u3000\t\r\n]*[=+\-@＝＋－＠﹦﹢﹣﹫]/.test(neutralizeCell(s)) && !/^[\t\r\n]/.test(neutralizeCell(s)),
      ),
    );
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

describe("attachmentHeader", () => {
  it("cannot be closed early by a quote or backslash in a name, and keeps the exact name in filename*", () => {
    const h = attachmentHeader('中宁县"; filename="evil.exe\\-表Ⅵ.xlsx');
    const fallback = /filename="([^"]*)"/.exec(h)?.[1];
    expect(fallback).toBe("____; filename=_evil.exe_-__.xlsx");
    expect(h.match(/"/g)?.length).toBe(2);
    const star = /filename\*=UTF-8''(.*)$/.exec(h)?.[1] ?? "";
    expect(/^[A-Za-z0-9%._~-]*$/.test(star)).toBe(true);
    expect(decodeURIComponent(star)).toBe('中宁县"; filename="evil.exe\\-表Ⅵ.xlsx');
    expect(attachmentHeader("a'b(c).csv")).toContain("filename*=UTF-8''a%27b%28c%29.csv");
    expect(attachmentHeader("第一行\r\nSet-Cookie: x")).not.toMatch(/[\r\n]/);
  });
});
