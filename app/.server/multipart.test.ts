import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundaryOf, MAX_PARTS, parseMultipart, readUpload } from "./multipart";

/** The bytes and Content-Type the Fetch API writes for a FormData: an independent encoder. */
async function encode(form: FormData): Promise<{ bytes: Uint8Array; type: string }> {
  const request = new Request("http://x/", { method: "POST", body: form });
  return { bytes: new Uint8Array(await request.arrayBuffer()), type: request.headers.get("content-type") ?? "" };
}

function raw(boundary: string, text: string): { bytes: Uint8Array; type: string } {
  return { bytes: new TextEncoder().encode(text), type: `multipart/form-data; boundary=${boundary}` };
}

describe("parseMultipart", () => {
  it("reads what the Fetch API writes: text fields, a file with a Chinese name, bytes that look like a boundary", async () => {
    const content = new Uint8Array(4096);
    for (let i = 0; i < content.length; i++) content[i] = i % 256;
    content.set(new TextEncoder().encode("\r\n--not-the-boundary\r\n\r\n"), 100);
    const form = new FormData();
    form.set("intent", "导入");
    form.set("file", new File([content], "中宁县 评估数据(2026).xlsx"));
    const { bytes, type } = await encode(form);
    const parsed = parseMultipart(bytes, type);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.form.fields.get("intent")).toBe("导入");
    const file = parsed.form.files.get("file");
    expect(file?.fileName).toBe("中宁县 评估数据(2026).xlsx");
    expect(Buffer.from(file?.bytes ?? []).equals(Buffer.from(content))).toBe(true);
  });

  it("agrees with request.formData() on any field values and file contents", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.uint8Array({ maxLength: 600 }), fc.string({ minLength: 1, maxLength: 30 }), async (value, content, name) => {
        const form = new FormData();
        form.set("note", value);
        form.set("file", new File([content], name));
        const { bytes, type } = await encode(form);
        const theirs = await new Request("http://x/", { method: "POST", body: bytes, headers: { "content-type": type } }).formData();
        const ours = parseMultipart(bytes, type);
        expect(ours.ok).toBe(true);
        if (!ours.ok) return;
        expect(ours.form.fields.get("note")).toBe(theirs.get("note"));
        const file = theirs.get("file") as File;
        expect(ours.form.files.get("file")?.fileName).toBe(file.name);
        expect(Buffer.from(ours.form.files.get("file")?.bytes ?? []).equals(Buffer.from(await file.arrayBuffer()))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("reads a quoted boundary, a preamble, RFC 5987 file names; the first part of a name wins", () => {
    const b = "yz+b=1";
    const body = raw(
      b,
      `preamble\r\n--${b}\r\nContent-Disposition: form-data; name="a"\r\n\r\none\r\n--${b}\r\nContent-Disposition: form-data; name="a"\r\n\r\ntwo\r\n--${b}\r\n` +
        `Content-Disposition: form-data; name="file"; filename*=UTF-8''%E5%AD%A6%E6%A0%A1.csv\r\nContent-Type: text/csv\r\n\r\nx,y\r\n--${b}--\r\n`,
    );
    const parsed = parseMultipart(body.bytes, `multipart/form-data; boundary="${b}"`);
    expect(parsed).toMatchObject({ ok: true });
    if (!parsed.ok) return;
    expect(parsed.form.fields.get("a")).toBe("one");
    expect(parsed.form.files.get("file")?.fileName).toBe("学校.csv");
    expect(new TextDecoder().decode(parsed.form.files.get("file")?.bytes)).toBe("x,y");
  });

  it("refuses what is not a complete multipart body", () => {
    const b = "B";
    const part = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nx`;
    expect(parseMultipart(raw(b, part).bytes, "application/x-www-form-urlencoded")).toEqual({ ok: false, reason: "not_multipart" });
    expect(parseMultipart(raw(b, part).bytes, "multipart/form-data")).toEqual({ ok: false, reason: "not_multipart" });
    // Cut short: no closing boundary, headers without their end, nothing but noise.
    expect(parseMultipart(raw(b, part).bytes, raw(b, "").type)).toEqual({ ok: false, reason: "malformed" });
    expect(parseMultipart(raw(b, `--${b}\r\nContent-Disposition: form-data; name="file"`).bytes, raw(b, "").type)).toEqual({ ok: false, reason: "malformed" });
    expect(parseMultipart(raw(b, "nothing here").bytes, raw(b, "").type)).toEqual({ ok: false, reason: "malformed" });
    // A part that is not form-data, or has no name.
    expect(parseMultipart(raw(b, `--${b}\r\nContent-Disposition: attachment; name="f"\r\n\r\nx\r\n--${b}--`).bytes, raw(b, "").type)).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(parseMultipart(raw(b, `--${b}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${b}--`).bytes, raw(b, "").type)).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it(`stops at ${String(MAX_PARTS)} parts`, () => {
    const b = "B";
    const parts = (n: number) =>
      Array.from({ length: n }, (_, i) => `--${b}\r\nContent-Disposition: form-data; name="f${String(i)}"\r\n\r\nx\r\n`).join("") + `--${b}--\r\n`;
    expect(parseMultipart(raw(b, parts(MAX_PARTS)).bytes, raw(b, "").type).ok).toBe(true);
    expect(parseMultipart(raw(b, parts(MAX_PARTS + 1)).bytes, raw(b, "").type)).toEqual({ ok: false, reason: "too_many_parts" });
  });

  it("finds the boundary only in a multipart/form-data type", () => {
    expect(boundaryOf("multipart/form-data; boundary=----WebKitFormBoundaryX1")).toBe("----WebKitFormBoundaryX1");
    expect(boundaryOf('Multipart/Form-Data;boundary="a b"')).toBe("a b");
    expect(boundaryOf("multipart/mixed; boundary=x")).toBeNull();
    expect(boundaryOf(null)).toBeNull();
  });
});

describe("readUpload", () => {
  const request = (body: BodyInit, type?: string) => new Request("http://x/", { method: "POST", body, headers: type ? { "content-type": type } : {} });

  it("gives the file's name and bytes, and the form's fields", async () => {
    const form = new FormData();
    form.set("file", new File(["a,b\n1,2"], "学校名单.csv"));
    const { bytes, type } = await encode(form);
    const read = await readUpload(request(bytes, type), { field: "file", maxBytes: 1024, tooLarge: "文件超过 1 KB" });
    expect(read).toMatchObject({ ok: true, fileName: "学校名单.csv" });
    if (read.ok) expect(new TextDecoder().decode(read.bytes)).toBe("a,b\n1,2");
  });

  it("refuses in Chinese: too large, no file chosen, a body that is not an upload", async () => {
    const big = new FormData();
    big.set("file", new File([new Uint8Array(2048)], "a.xlsx"));
    const encoded = await encode(big);
    expect(await readUpload(request(encoded.bytes, encoded.type), { field: "file", maxBytes: 1024, tooLarge: "文件超过 1 KB" })).toEqual({
      ok: false,
      status: 413,
      message: "文件超过 1 KB",
    });
    const opts = { field: "file", maxBytes: 1024, tooLarge: "x" };
    const empty = new FormData();
    empty.set("file", new File([], ""));
    const none = await encode(empty);
    expect(await readUpload(request(none.bytes, none.type), opts)).toEqual({ ok: false, status: 400, message: "请选择要导入的文件" });
    expect(await readUpload(request(none.bytes, none.type), { ...opts, missing: "请选择问卷定义文件（.json）" })).toMatchObject({
      message: "请选择问卷定义文件（.json）",
    });
    expect(await readUpload(request("a=b", "application/x-www-form-urlencoded"), opts)).toEqual({ ok: false, status: 400, message: "请选择要导入的文件" });
    expect(await readUpload(request(none.bytes.subarray(0, 40), none.type), opts)).toMatchObject({ ok: false, status: 400 });
  });
});
