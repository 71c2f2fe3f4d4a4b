/**
 * Reading a request body under a size cap, before any parsing: a declared Content-Length over
 * the cap is refused without reading, and a streamed body is cut off as soon as it passes it.
 */
export type BodyRead = { ok: true; text: string } | { ok: false; reason: "too_large" | "bad_encoding" | "aborted" };

export type BytesRead = { ok: true; bytes: Uint8Array } | { ok: false; reason: "too_large" | "aborted" };

/** The body's bytes, read under `maxBytes` (declared or streamed). */
export async function readBytesCapped(request: Request, maxBytes: number): Promise<BytesRead> {
  const declared = request.headers.get("content-length");
  if (declared !== null && (!/^[0-9]+$/.test(declared) || Number(declared) > maxBytes)) {
    return { ok: false, reason: "too_large" };
  }
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return { ok: false, reason: "too_large" };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: "aborted" };
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

export async function readBodyCapped(request: Request, maxBytes: number): Promise<BodyRead> {
  const read = await readBytesCapped(request, maxBytes);
  if (!read.ok) return read;
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(read.bytes) };
  } catch {
    return { ok: false, reason: "bad_encoding" };
  }
}
