/**
 * Starting the real server as a separate process, the way `npm start` runs it, on a free port
 * with its own DATA_DIR: shared by the end-to-end suite's global setup and the benchmarks.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { buildServer, SERVER_BUNDLE } from "../build-server";
import { ROOT } from "./cli";

export interface ServerProcess {
  baseUrl: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * Builds the app (`remix vite:build`) unless a build is already there, and compiles the server
 * (build/server.js, about 0.1 s) every time, so it always matches server/ and app/.server.
 */
export async function ensureBuild(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, "build", "server", "index.js"))) {
    const built = spawnSync("npx", ["remix", "vite:build", "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new Error("build failed");
  }
  await buildServer();
}

export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  await ensureBuild();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yz-server-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(process.execPath, [SERVER_BUNDLE], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      DATA_DIR: dataDir,
      STORE: "sqlite",
      RATE_LIMIT_BACKEND: "memory",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    dataDir,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `npm run links` against a server's DATA_DIR and returns its tab-separated lines. */
export function linksOf(server: Pick<ServerProcess, "baseUrl" | "dataDir">): Array<{ county: string; school: string; questionnaire: string; url: string }> {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/links.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: server.dataDir, PUBLIC_URL: server.baseUrl, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`npm run links failed: ${run.stderr}`);
  return run.stdout
    .trimEnd()
    .split("\n")
    .map((line) => {
      const [county = "", school = "", questionnaire = "", url = ""] = line.split("\t");
      return { county, school, questionnaire, url };
    });
}
