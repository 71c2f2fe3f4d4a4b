import { Readable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { createElement } from "react";
import * as entry from "./entry.server";
import { dropNulBytes, handleError } from "./entry.server";

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

describe("handleError: server errors go to the structured log", () => {
  function contextWith(lines: Array<[string, Record<string, unknown> | undefined]>): AppLoadContext {
    const log = { debug() {}, info() {}, warn() {}, error: (m: string, f?: Record<string, unknown>) => lines.push([m, f]) };
    return { services: { log } } as unknown as AppLoadContext;
  }

  it("logs the method, the path without its query, the message and the stack", () => {
    const lines: Array<[string, Record<string, unknown> | undefined]> = [];
    const request = new Request("http://localhost/admin/campaigns/1?token=secret", { method: "POST" });
    handleError(new Error("boom"), { request, params: {}, context: contextWith(lines) });
    expect(lines).toHaveLength(1);
    const [message, fields] = lines[0] ?? [];
    expect(message).toBe("request error");
    expect(fields).toMatchObject({ method: "POST", path: "/admin/campaigns/1", error: "boom" });
    expect(String(fields?.stack)).toContain("boom");
    expect(JSON.stringify(fields)).not.toContain("secret");
  });

  it("without the load context's logger, writes the same JSON line through the module's logger", () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    try {
      handleError(new Error("early"), { request: new Request("http://localhost/healthz?x=1"), params: {}, context: {} as AppLoadContext });
    } finally {
      spy.mockRestore();
    }
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0] ?? "")).toMatchObject({ level: "error", msg: "request error", method: "GET", path: "/healthz", error: "early" });
  });

  it("says nothing about a request the client aborted", () => {
    const lines: Array<[string, Record<string, unknown> | undefined]> = [];
    const controller = new AbortController();
    controller.abort();
    const request = new Request("http://localhost/healthz", { signal: controller.signal });
    handleError(new Error("aborted"), { request, params: {}, context: contextWith(lines) });
    expect(lines).toHaveLength(0);
  });
});

describe("handleError through Remix's request handler: a loader's unexpected error", () => {
  // The smallest build Remix serves: the real server entry, a root with an error boundary, and a
  // page whose loader throws.
  const page = "routes/admin.campaigns.$id";
  const build: ServerBuild = {
    mode: "production",
    entry: { module: entry },
    routes: {
      root: {
        id: "root",
        path: "",
        module: { default: () => createElement(Outlet), ErrorBoundary: () => createElement("p", null, "出错了") },
      },
      [page]: {
        id: page,
        parentId: "root",
        path: "admin/campaigns/:id",
        module: {
          default: () => createElement("p", null, "never"),
          loader: () => {
            throw new Error("database went away");
          },
        },
      },
    },
    assets: {
      entry: { imports: [], module: "/entry.client.js" },
      routes: {
        root: {
          id: "root",
          path: "",
          module: "/root.js",
          hasAction: false,
          hasLoader: false,
          hasClientAction: false,
          hasClientLoader: false,
          hasErrorBoundary: true,
        },
        [page]: {
          id: page,
          parentId: "root",
          path: "admin/campaigns/:id",
          module: "/page.js",
          hasAction: false,
          hasLoader: true,
          hasClientAction: false,
          hasClientLoader: false,
          hasErrorBoundary: false,
        },
      },
      url: "/manifest.js",
      version: "test",
    },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true, v3_singleFetch: false },
    isSpaMode: false,
  };

  function contextWith(lines: Array<[string, Record<string, unknown> | undefined]>): AppLoadContext {
    const log = { debug() {}, info() {}, warn() {}, error: (m: string, f?: Record<string, unknown>) => lines.push([m, f]) };
    return { services: { log }, cspNonce: "test", clientAddress: "198.51.100.20" } as unknown as AppLoadContext;
  }

  it("a page request: logged once, with the path and the message, and the error boundary rendered", async () => {
    const lines: Array<[string, Record<string, unknown> | undefined]> = [];
    const response = await createRequestHandler(build)(new Request("http://localhost/admin/campaigns/7?token=secret"), contextWith(lines));
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("出错了");
    expect(lines).toHaveLength(1);
    expect(lines[0]?.[0]).toBe("request error");
    expect(lines[0]?.[1]).toMatchObject({ method: "GET", path: "/admin/campaigns/7", error: "database went away" });
    expect(JSON.stringify(lines)).not.toContain("secret");
  });

  it("a data request (client navigation): logged once, with the path", async () => {
    const lines: Array<[string, Record<string, unknown> | undefined]> = [];
    const response = await createRequestHandler(build)(new Request(`http://localhost/admin/campaigns/7?_data=${encodeURIComponent(page)}`), contextWith(lines));
    expect(response.status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.[1]).toMatchObject({ path: "/admin/campaigns/7", error: "database went away" });
  });
});
