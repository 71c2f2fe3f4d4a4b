/**
 * The one place the environment is read. Every setting is validated at start-up; a bad value
 * fails the boot with a message naming the variable. Documented in `.env.example`.
 *
 * Backends are chosen explicitly (`STORE`, `RATE_LIMIT_BACKEND`): having `DATABASE_URL` or
 * `REDIS_URL` in the environment never switches the store or the limiter by itself.
 */
import path from "node:path";
import { z } from "zod";
import { IntegrityThresholdsSchema, type IntegrityThresholds } from "../domain/integrity";
import { RateLimitOverridesSchema } from "./rate-limit/policy";
import {
  DEFAULT_RATE_LIMIT_KEY_PREFIX,
  DEFAULT_RATE_LIMIT_RETRY_MS,
  DEFAULT_RATE_LIMIT_TIMEOUT_MS,
  jsonSetting,
  type RateLimitSettings,
} from "./rate-limit/settings";

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    (v) => (emptyToUndefined(v) === undefined ? fallback : v),
    z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")]),
  );

export const EnvSchema = z
  .object({
    NODE_ENV: z.preprocess(emptyToUndefined, z.enum(["development", "production", "test"]).default("development")),
    HOST: z.preprocess(emptyToUndefined, z.string().default("0.0.0.0")),
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    PUBLIC_URL: optionalString.pipe(
      z
        .string()
        .url("PUBLIC_URL must be an absolute http(s) URL such as https://survey.example.gov.cn")
        .refine((u) => /^https?:\/\//.test(u), "PUBLIC_URL must start with http:// or https://")
        .optional(),
    ),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("./data")),
    STORE: z.preprocess(emptyToUndefined, z.enum(["sqlite", "postgres"]).default("sqlite")),
    DATABASE_URL: optionalString,
    // Connections each instance keeps to PostgreSQL: instances × this stays under max_connections.
    DATABASE_POOL_SIZE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(10)),
    SQLITE_SYNCHRONOUS: z.preprocess(emptyToUndefined, z.enum(["FULL", "NORMAL"]).default("FULL")),
    // Responses arriving together share one SQLite transaction (one fsync); off: one each.
    SQLITE_GROUP_COMMIT: booleanFlag(true),
    RATE_LIMIT_BACKEND: z.preprocess(emptyToUndefined, z.enum(["memory", "redis", "upstash"]).default("memory")),
    REDIS_URL: optionalString,
    UPSTASH_REDIS_REST_URL: optionalString,
    UPSTASH_REDIS_REST_TOKEN: optionalString,
    SIGNING_SECRET: optionalString.pipe(z.string().min(32, "SIGNING_SECRET must be at least 32 characters").optional()),
    SIGNING_SECRET_PREVIOUS: optionalString.pipe(z.string().min(32).optional()),
    DEVICE_SALT: optionalString.pipe(z.string().min(32, "DEVICE_SALT must be at least 32 characters").optional()),
    // The evidence pack's Ed25519 private key (decision 0026): a PKCS#8 PEM, or that PEM base64-encoded on one line.
    EVIDENCE_SIGNING_KEY: optionalString,
    TRUST_PROXY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9-]+$/, "TRUST_PROXY is the name of one header set by your reverse proxy, e.g. X-Real-IP")
        .optional(),
    ),
    SEED_DEMO: booleanFlag(true),
    MAX_BODY_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1024).max(1_048_576).default(32_768)),
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(["debug", "info", "warn", "error", "silent"]).default("info")),
    // Rate limiting and integrity flags (docs/rate-limiting.md).
    RATE_LIMITS: jsonSetting(RateLimitOverridesSchema),
    RATE_LIMIT_TIMEOUT_MS: z.preprocess(
      emptyToUndefined,
      z.coerce.number().int().min(1).max(200, "RATE_LIMIT_TIMEOUT_MS is at most 200").default(DEFAULT_RATE_LIMIT_TIMEOUT_MS),
    ),
    RATE_LIMIT_RETRY_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(600_000).default(DEFAULT_RATE_LIMIT_RETRY_MS)),
    RATE_LIMIT_KEY_PREFIX: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9:_-]{1,64}$/, "RATE_LIMIT_KEY_PREFIX: letters, digits, : _ -")
        .default(DEFAULT_RATE_LIMIT_KEY_PREFIX),
    ),
    INTEGRITY_THRESHOLDS: jsonSetting(IntegrityThresholdsSchema),
    // What the parents' pages show at their foot (docs/deployment.md): who to call, and the
    // site's ICP 备案 number. Unset: the line is not shown at all.
    SUPPORT_CONTACT: optionalString.pipe(
      z
        .string()
        .trim()
        .max(80, "SUPPORT_CONTACT is at most 80 characters (one line, e.g. 沙坡头区教育局督导室 0955-7012345)")
        .refine((v) => !/[\r\n<>]/.test(v), "SUPPORT_CONTACT is one line of plain text, without < or >")
        .optional(),
    ),
    ICP_BEIAN: optionalString.pipe(
      z
        .string()
        .trim()
        .regex(/^[\u4e00-\u9fa5]{1,2}ICP备\d{6,10}号(-\d{1,4})?$/, "ICP_BEIAN must be the number as filed, e.g. 宁ICP备12345678号-1")
        .optional(),
    ),
    // lean (default): POST /s/<token>/submit answered in front of Remix (server/lean-submit.ts) | remix
    SUBMIT_HANDLER: z.preprocess(emptyToUndefined, z.enum(["lean", "remix"]).default("lean")),
  })
  .superRefine((env, ctx) => {
    if (env.STORE === "postgres" && !env.DATABASE_URL) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "STORE=postgres needs DATABASE_URL=postgres://…" });
    }
    if (env.STORE === "postgres" && env.DATABASE_URL && !/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "DATABASE_URL must be a postgres:// URL" });
    }
    // Secrets generated into each instance's own DATA_DIR would differ between instances: a link
    // printed by one would be refused by another, and one device would get a different
    // respondent key on each (answering twice). The scale-out store takes them from outside.
    if (env.STORE === "postgres" && (!env.SIGNING_SECRET || !env.DEVICE_SALT)) {
      ctx.addIssue({
        code: "custom",
        path: [env.SIGNING_SECRET ? "DEVICE_SALT" : "SIGNING_SECRET"],
        message: "STORE=postgres needs SIGNING_SECRET and DEVICE_SALT, the same on every instance (docs/deployment.md)",
      });
    }
    if (env.RATE_LIMIT_BACKEND === "redis" && !env.REDIS_URL) {
      ctx.addIssue({ code: "custom", path: ["REDIS_URL"], message: "RATE_LIMIT_BACKEND=redis needs REDIS_URL=redis://…" });
    }
    if (env.RATE_LIMIT_BACKEND === "upstash" && (!env.UPSTASH_REDIS_REST_URL || !env.UPSTASH_REDIS_REST_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: ["UPSTASH_REDIS_REST_URL"],
        message: "RATE_LIMIT_BACKEND=upstash needs UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN",
      });
    }
  });

export interface AppConfig {
  env: "development" | "production" | "test";
  host: string;
  port: number;
  /** Origin printed in links and QR codes, without a trailing slash. */
  publicUrl: string;
  /** Cookies get `Secure` when the public origin is https. */
  secureCookies: boolean;
  dataDir: string;
  store: { kind: "sqlite"; file: string; synchronous: "FULL" | "NORMAL"; groupCommit: boolean } | { kind: "postgres"; url: string; poolSize: number };
  rateLimit: { backend: "memory" } | { backend: "redis"; url: string } | { backend: "upstash"; url: string; token: string };
  /** `evidence`: the evidence pack's signing key as configured (PEM text), else generated into DATA_DIR (decision 0026). */
  secrets: { signing?: string; signingPrevious?: string; deviceSalt?: string; evidence?: string };
  trustProxyHeader: string | null;
  seedDemo: boolean;
  maxBodyBytes: number;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /** Limits, and how the shared backends are waited for (RATE_LIMITS, RATE_LIMIT_*). */
  rateLimitSettings: RateLimitSettings;
  /** Thresholds of the integrity flags (INTEGRITY_THRESHOLDS). */
  integrity: IntegrityThresholds;
  /** Who answers POST /s/<token>/submit: the lean handler in front of Remix, or the Remix action. */
  submitHandler: "lean" | "remix";
  /** The foot of the parents' pages (SUPPORT_CONTACT, ICP_BEIAN); null: not shown. */
  footer: { contact: string | null; icpBeian: string | null };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses an environment (normally `process.env`) into the app's configuration. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(environment)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    secureCookies: publicUrl.startsWith("https://"),
    dataDir,
    store:
      e.STORE === "postgres"
        ? { kind: "postgres", url: e.DATABASE_URL ?? "", poolSize: e.DATABASE_POOL_SIZE }
        : { kind: "sqlite", file: path.join(dataDir, "survey.sqlite"), synchronous: e.SQLITE_SYNCHRONOUS, groupCommit: e.SQLITE_GROUP_COMMIT },
    rateLimit:
      e.RATE_LIMIT_BACKEND === "redis"
        ? { backend: "redis", url: e.REDIS_URL ?? "" }
        : e.RATE_LIMIT_BACKEND === "upstash"
          ? { backend: "upstash", url: e.UPSTASH_REDIS_REST_URL ?? "", token: e.UPSTASH_REDIS_REST_TOKEN ?? "" }
          : { backend: "memory" },
    secrets: { signing: e.SIGNING_SECRET, signingPrevious: e.SIGNING_SECRET_PREVIOUS, deviceSalt: e.DEVICE_SALT, evidence: e.EVIDENCE_SIGNING_KEY },
    trustProxyHeader: e.TRUST_PROXY?.toLowerCase() ?? null,
    seedDemo: e.SEED_DEMO,
    maxBodyBytes: e.MAX_BODY_BYTES,
    logLevel: e.LOG_LEVEL,
    rateLimitSettings: {
      rules: e.RATE_LIMITS,
      timeoutMs: e.RATE_LIMIT_TIMEOUT_MS,
      retryMs: e.RATE_LIMIT_RETRY_MS,
      keyPrefix: e.RATE_LIMIT_KEY_PREFIX,
    },
    integrity: e.INTEGRITY_THRESHOLDS,
    submitHandler: e.SUBMIT_HANDLER,
    footer: { contact: e.SUPPORT_CONTACT ?? null, icpBeian: e.ICP_BEIAN ?? null },
  };
}
