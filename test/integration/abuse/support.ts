/**
 * Raw HTTP against the real server process, the way an attacker (or a very slow phone) talks to
 * it: a request line and headers written by hand on a TCP socket, then a body of any size —
 * declared or chunked, fast or trickling — while the answer, how much of the body got out
 * before the server closed the connection, and when it closed are recorded. Also the server's
 * resident memory (VmRSS) from /proc.
 */
import fs from "node:fs";
import net from "node:net";

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** A body sent whole after the headers (with Content-Length unless `declared` says otherwise). */
  body?: string | Buffer;
  /** Content-Length to declare (default: the body's length; `null` → Transfer-Encoding: chunked). */
  declared?: number | null;
  /** Stream this many bytes of filler (`fill`) after the headers, chunked or under `declared`. */
  stream?: number;
  fill?: number;
  /** Bytes per write while streaming (default 64 KiB). */
  chunk?: number;
  /** Pause between writes while streaming, ms (a slow client). */
  pauseMs?: number;
  /** Give up after this long (the socket is destroyed and `closedBy` is "client"). */
  timeoutMs?: number;
  /**
   * Wait up to this long after the headers for an answer before sending any body: a server that
   * refuses on the headers alone has answered by then (and the answer is not lost to the reset
   * a close with unread data causes).
   */
  answerFirstMs?: number;
}

export interface RawAnswer {
  /** 0 when no status line arrived. */
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Body bytes written before the server stopped taking them. */
  sent: number;
  /** Milliseconds from the first byte written to the status line arriving. */
  answeredMs: number;
  /** Milliseconds from the first byte written to the socket closing. */
  closedMs: number;
  closedBy: "server" | "client";
}

function parse(raw: Buffer): { status: number; headers: Record<string, string>; text: string; complete: boolean } {
  let buffer = raw;
  // Skip interim answers (100 Continue).
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end === -1) return { status: 0, headers: {}, text: "", complete: false };
    const head = buffer.subarray(0, end).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? "")?.[1] ?? 0);
    if (status === 100) {
      buffer = buffer.subarray(end + 4);
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let body = buffer.subarray(end + 4);
    let complete = false;
    if (headers["transfer-encoding"] === "chunked") {
      const parts: Buffer[] = [];
      let at = 0;
      for (;;) {
        const lineEnd = body.indexOf("\r\n", at);
        if (lineEnd === -1) break;
        const size = Number.parseInt(body.subarray(at, lineEnd).toString("latin1"), 16);
        if (size === 0) complete = true;
        if (!Number.isFinite(size) || size === 0) break;
        parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      const length = Number(headers["content-length"] ?? NaN);
      complete = Number.isFinite(length) && body.length >= length;
    }
    return { status, headers, text: body.toString("utf8"), complete };
  }
}

/** Sends one request on a fresh connection and waits until that connection closes. */
export function rawRequest(port: number, request: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    let sent = 0;
    let start = 0;
    let answeredMs = -1;
    let closedBy: "server" | "client" = "server";
    let closed = false;
    const giveUp = setTimeout(() => {
      closedBy = "client";
      socket.destroy();
    }, request.timeoutMs ?? 20_000);
    let answered: () => void = () => undefined;
    socket.on("data", (d: Buffer) => {
      if (answeredMs < 0) answeredMs = Date.now() - start;
      received.push(d);
      answered();
      // A whole answer on a connection the server keeps open: done (closed by us).
      const parsed = parse(Buffer.concat(received));
      if (parsed.complete && parsed.headers["connection"] !== "close") {
        closedBy = "client";
        socket.destroy();
      }
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      closed = true;
      clearTimeout(giveUp);
      const { status, headers, text } = parse(Buffer.concat(received));
      resolve({ status, headers, text, sent, answeredMs, closedMs: Date.now() - start, closedBy });
    });
    socket.on("connect", () => {
      start = Date.now();
      void (async () => {
        const body = request.body === undefined ? undefined : Buffer.from(request.body);
        const declared = request.declared === undefined ? (body?.length ?? request.stream ?? null) : request.declared;
        const chunked = declared === null && (body !== undefined || request.stream !== undefined);
        const lines = [`${request.method} ${request.path} HTTP/1.1`];
        const extra = request.headers ?? {};
        if (!Object.keys(extra).some((k) => k.toLowerCase() === "host")) lines.push(`Host: 127.0.0.1:${port}`);
        for (const [k, v] of Object.entries(extra)) lines.push(`${k}: ${v}`);
        if (chunked) lines.push("Transfer-Encoding: chunked");
        else if (declared !== null) lines.push(`Content-Length: ${declared}`);
        const write = (data: Buffer | string) =>
          new Promise<boolean>((ok) => {
            if (closed || socket.destroyed) return ok(false);
            const flushed = socket.write(data);
            if (flushed) ok(true);
            else {
              const done = () => {
                socket.off("drain", done);
                socket.off("close", done);
                ok(!closed);
              };
              socket.once("drain", done);
              socket.once("close", done);
            }
          });
        if (!(await write(`${lines.join("\r\n")}\r\n\r\n`))) return;
        if (request.answerFirstMs !== undefined) {
          await new Promise<void>((ok) => {
            const timer = setTimeout(ok, request.answerFirstMs);
            answered = () => {
              clearTimeout(timer);
              ok();
            };
            if (answeredMs >= 0) answered();
          });
        }
        const frame = (data: Buffer) => (chunked ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from("\r\n")]) : data);
        if (body !== undefined) {
          if (await write(frame(body))) sent += body.length;
        }
        if (request.stream !== undefined) {
          const size = request.chunk ?? 64 * 1024;
          const filler = Buffer.alloc(size, request.fill ?? 0x61);
          let left = request.stream;
          while (left > 0 && !closed) {
            const piece = left >= size ? filler : filler.subarray(0, left);
            if (!(await write(frame(piece)))) break;
            sent += piece.length;
            left -= piece.length;
            if (request.pauseMs) await new Promise((r) => setTimeout(r, request.pauseMs));
          }
        }
        if (chunked && !closed) await write("0\r\n\r\n");
      })();
    });
  });
}

/** The resident memory of process `pid` in bytes (VmRSS). */
export function residentBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

/** Bytes process `pid` has read through system calls so far (rchar: files and sockets). */
export function readSyscallBytes(pid: number): number {
  return Number(/^rchar:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/io`, "utf8"))?.[1] ?? NaN);
}

/** Samples `pid`'s resident memory every 50 ms until stopped; returns the highest seen. */
export function watchMemory(pid: number): { stop(): number } {
  let peak = residentBytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, residentBytes(pid));
    } catch {
      // process gone: the test fails on its answers
    }
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Asks /healthz every 200 ms until stopped; returns the slowest answer (ms) and how many failed. */
export function watchHealth(baseUrl: string): { stop(): Promise<{ slowestMs: number; failures: number; answers: number }> } {
  let slowestMs = 0;
  let failures = 0;
  let answers = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = Date.now();
      try {
        const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
        await res.text();
        if (res.ok) answers++;
        else failures++;
      } catch {
        failures++;
      }
      slowestMs = Math.max(slowestMs, Date.now() - t);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { slowestMs, failures, answers };
    },
  };
}
