/**
 * multipart/form-data (RFC 7578) read from bytes already held, by native search for the
 * boundary: about 1 ms for a 10 MB upload, where the Fetch API's `request.formData()` walks the
 * body in JavaScript for 10–15 ms per MB on the event loop the parents' phones share
 * (docs/decisions/0008-uploads-in-a-worker.md). A file's bytes are a view of the body, not a
 * copy. Only what the console's forms send is understood: text fields and files, each part's
 * `Content-Disposition: form-data; name="…"[; filename="…"]`.
 */
import { readBytesCapped } from "./collect/body";

export interface MultipartFile {
  fileName: string;
  bytes: Uint8Array;
}

export interface MultipartForm {
  fields: ReadonlyMap<string, string>;
  files: ReadonlyMap<string, MultipartFile>;
}

export type MultipartRead = { ok: true; form: MultipartForm } | { ok: false; reason: "not_multipart" | "malformed" | "too_many_parts" };

/** Parts read at most: the console's upload forms have one or two. */
export const MAX_PARTS = 32;
/** A part's headers: a few hundred bytes from any browser. */
const MAX_HEADER_BYTES = 8 * 1024;

/** The boundary of a `multipart/form-data` Content-Type, or null. */
export function boundaryOf(contentType: string | null): string | null {
  if (!contentType || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

const CRLF = Buffer.from("\r\n");
const HEADERS_END = Buffer.from("\r\n\r\n");
const utf8 = new TextDecoder("utf-8");

/**
 * A quoted or bare parameter of a Content-Disposition value. Browsers (the HTML standard's
 * multipart/form-data encoding) escape only `"`, CR and LF, as %22, %0D and %0A, never with a
 * backslash.
 */
function parameter(disposition: string, name: string): string | null {
  const star = new RegExp(`;\\s*${name}\\*=(?:UTF-8|utf-8)''([^;\\s]*)`).exec(disposition);
  if (star?.[1] !== undefined) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      return null;
    }
  }
  const quoted = new RegExp(`;\\s*${name}="([^"]*)"`).exec(disposition);
  if (quoted?.[1] !== undefined) return quoted[1].replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
  const bare = new RegExp(`;\\s*${name}=([^;\\s"]+)`).exec(disposition);
  return bare?.[1] ?? null;
}

/** Splits `body` (bytes of a multipart/form-data request) into its fields and files. */
export function parseMultipart(body: Uint8Array, contentType: string | null): MultipartRead {
  const boundary = boundaryOf(contentType);
  if (boundary === null) return { ok: false, reason: "not_multipart" };
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const dash = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fields = new Map<string, string>();
  const files = new Map<string, MultipartFile>();
  // The first boundary may follow a preamble; it starts the body or a line.
  let at = buf.subarray(0, dash.length).equals(dash) ? 0 : buf.indexOf(delimiter);
  if (at < 0) return { ok: false, reason: "malformed" };
  at += at === 0 ? dash.length : delimiter.length;
  for (let parts = 0; ; parts++) {
    // After a boundary: "--" ends the body; otherwise optional whitespace, then CRLF and a part.
    if (buf[at] === 0x2d && buf[at + 1] === 0x2d) return { ok: true, form: { fields, files } };
    while (buf[at] === 0x20 || buf[at] === 0x09) at++;
    if (!buf.subarray(at, at + 2).equals(CRLF)) return { ok: false, reason: "malformed" };
    if (parts >= MAX_PARTS) return { ok: false, reason: "too_many_parts" };
    const headerStart = at + 2;
    const headerEnd = buf.indexOf(HEADERS_END, headerStart);
    if (headerEnd < 0 || headerEnd - headerStart > MAX_HEADER_BYTES) return { ok: false, reason: "malformed" };
    const contentStart = headerEnd + HEADERS_END.length;
    const contentEnd = buf.indexOf(delimiter, contentStart);
    if (contentEnd < 0) return { ok: false, reason: "malformed" };
    const headers = utf8.decode(buf.subarray(headerStart, headerEnd)).split("\r\n");
    const disposition = headers.find((h) => /^content-disposition\s*:/i.test(h))?.replace(/^[^:]*:\s*/, "") ?? "";
    if (!/^form-data\s*(;|$)/i.test(disposition)) return { ok: false, reason: "malformed" };
    const name = parameter(disposition, "name");
    if (name === null) return { ok: false, reason: "malformed" };
    const fileName = parameter(disposition, "filename");
    const content = buf.subarray(contentStart, contentEnd);
    // The first of a name wins, as FormData.get() would give.
    if (fileName !== null) {
      if (!files.has(name)) files.set(name, { fileName, bytes: new Uint8Array(content.buffer, content.byteOffset, content.byteLength) });
    } else if (!fields.has(name)) fields.set(name, utf8.decode(content));
    at = contentEnd + delimiter.length;
  }
}

export type UploadRead =
  { ok: true; fileName: string; bytes: Uint8Array; fields: ReadonlyMap<string, string> } | { ok: false; status: 400 | 413; message: string };

/**
 * The file of an upload form's `field`, its body read under `maxBytes` (the request guard has
 * already capped it at the socket; this holds for a caller without one) and split off the main
 * thread's hot path. Every refusal is one Chinese sentence for the officer.
 */
export async function readUpload(request: Request, options: { field: string; maxBytes: number; tooLarge: string; missing?: string }): Promise<UploadRead> {
  const missing = options.missing ?? "请选择要导入的文件";
  const read = await readBytesCapped(request, options.maxBytes);
  if (!read.ok)
    return read.reason === "too_large"
      ? { ok: false, status: 413, message: options.tooLarge }
      : { ok: false, status: 400, message: "上传中断，请重新选择文件后再试" };
  const parsed = parseMultipart(read.bytes, request.headers.get("content-type"));
  if (!parsed.ok)
    return { ok: false, status: 400, message: parsed.reason === "not_multipart" ? missing : "上传的内容不完整或格式不正确，请重新选择文件后再试" };
  const file = parsed.form.files.get(options.field);
  if (!file || file.bytes.byteLength === 0) return { ok: false, status: 400, message: missing };
  return { ok: true, fileName: file.fileName, bytes: file.bytes, fields: parsed.form.fields };
}
