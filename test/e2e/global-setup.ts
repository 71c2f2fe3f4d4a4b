/**
 * One production build and one server for the whole end-to-end suite: the server runs from
 * `build/` (built once by `npm test` before this project; built here if missing) on a free
 * port with its own temporary DATA_DIR, exactly as `npm start` would run it.
 */
import type { TestProject } from "vitest/node";
import { startServerProcess, type ServerProcess } from "../../scripts/lib/server-process";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    dataDir: string;
  }
}

let server: ServerProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await startServerProcess();
  project.provide("baseUrl", server.baseUrl);
  project.provide("dataDir", server.dataDir);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
