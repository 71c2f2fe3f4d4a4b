/**
 * Shared helpers for command-line scripts: parse `--name value` flags, open the services the
 * server would (same DATA_DIR, same secrets), and exit with a readable message on bad input.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig } from "../../app/.server/config";
import { createLogger } from "../../app/.server/log";
import type { Services } from "../../app/.server/context";
import { createServices } from "../../app/.server/services";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export function parseFlags(argv: readonly string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) continue;
    const eq = arg.indexOf("=");
    if (eq > 0) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      flags.set(arg.slice(2), next);
      i++;
    } else {
      flags.set(arg.slice(2), true);
    }
  }
  return flags;
}

/** A `--name N` flag that must be a positive integer (exits with a message otherwise); `fallback` when absent. */
export function positiveIntFlag(flags: ReadonlyMap<string, string | true>, name: string, fallback: number): number {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) fail(`--${name} must be a positive integer`);
  return n;
}

export function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Services for a script: logs go to stderr only, so stdout stays machine-readable. */
export async function openServices(env: Record<string, string | undefined> = process.env): Promise<Services> {
  try {
    const config = loadConfig(env, ROOT);
    const log = createLogger(config.logLevel === "debug" ? "debug" : "warn");
    return await createServices(config, { log, surveysDir: path.join(ROOT, "surveys") });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 1);
    throw error;
  }
}
