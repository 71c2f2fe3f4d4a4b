import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { dropNulBytes } from "./entry.server";

async function through(chunks: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  const stream = Readable.from(chunks).pipe(dropNulBytes());
  for await (const chunk of stream) out.push(Buffer.from(chunk));
  return Buffer.concat(out);
}

describe("dropNulBytes (React 18 streaming + multi-byte UTF-8, facebook/react#24985)", () => {
  it("removes NUL bytes a full flush left between characters and keeps the text intact", async () => {
    // What was seen on a survey page: 质\0\0量 — the buffer was flushed with padding.
    const zhi = Buffer.from("质", "utf8");
    const liang = Buffer.from("量", "utf8");
    const result = await through([Buffer.concat([Buffer.from("<p>优"), zhi, Buffer.from([0, 0])]), Buffer.concat([liang, Buffer.from("</p>")])]);
    expect(result.includes(0)).toBe(false);
    expect(result.toString("utf8")).toBe("<p>优质量</p>");
  });

  it("passes clean chunks through untouched", async () => {
    const text = "义务教育优质均衡发展".repeat(500);
    const result = await through([Buffer.from(text, "utf8")]);
    expect(result.toString("utf8")).toBe(text);
  });
});
