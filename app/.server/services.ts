/**
 * The composition root: creates everything a request needs (`Services`, declared in
 * ./context.ts) once per process from validated configuration, handed to Remix through the load
 * context (so the server entry, the routes and the scripts share one database handle, one
 * limiter and one set of keys). Imported only by server/, scripts/ and test/: a module of app/
 * names the `Services` type from ./context.ts and is handed the instance.
 */
import path from "node:path";
import { createDb, migrateToLatest } from "../../db/create-db";
import { seedDemo } from "../../db/seed/seed-demo";
import type { AppConfig } from "./config";
import type { Services } from "./context";
import { createKeys, loadSecrets } from "./keys";
import { loadEvidenceKey } from "./evidence-key";
import { withKeyedIdentifiers } from "./rate-limit/keyed";
import { createLogger, type Logger } from "./log";
import { createConfiguredRateLimiter } from "./rate-limit/create";
import type { RateLimiter } from "./rate-limit/types";
import { loadSurveyRegistry } from "./collect/survey-registry";
import { withPublishedDefinitions, type LiveRegistry } from "./console/definitions";

/** How often an instance on PostgreSQL re-reads the questionnaire versions published by others. */
export const PEER_REFRESH_MS = 5_000;

export interface ServiceOverrides {
  now?: () => number;
  limiter?: RateLimiter;
  log?: Logger;
  surveysDir?: string;
}

/** The backend RATE_LIMIT_BACKEND names (memory | redis | upstash); see rate-limit/create.ts. */
export function createRateLimiter(config: AppConfig, now: () => number, log: Logger = createLogger(config.logLevel, now)): RateLimiter {
  return createConfiguredRateLimiter(config.rateLimit, config.rateLimitSettings, now, log);
}

/**
 * Opens the store, applies migrations, loads the questionnaires, and seeds the demo campaign
 * when configured to and absent.
 */
export async function createServices(config: AppConfig, overrides: ServiceOverrides = {}): Promise<Services> {
  const now = overrides.now ?? Date.now;
  const log = overrides.log ?? createLogger(config.logLevel, now);
  const surveys = loadSurveyRegistry(overrides.surveysDir ?? path.resolve("surveys"));
  const keys = createKeys(loadSecrets(config));
  // Generated on first start like secrets.json, so its fingerprint can be published before the first pack (decision 0026).
  loadEvidenceKey(config);
  const db = createDb(config.store);
  let registry: LiveRegistry;
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) log.info("migrations applied", { migrations: applied });
    if (config.seedDemo) {
      const seeded = await seedDemo(db, { now: now(), questionnaireVersions: surveys.latestVersions() });
      if (seeded) log.info("demo campaign seeded (演示数据)");
    }
    // Versions published from the console are served alongside the files in surveys/.
    registry = await withPublishedDefinitions(surveys, db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  // Limiter keys are keyed hashes (rate-limit/keyed.ts): nothing in Redis names an address.
  const limiter = overrides.limiter ?? withKeyedIdentifiers(createRateLimiter(config, now, log), (id) => keys.pseudonym("rate-limit", id));
  // Several instances share PostgreSQL: a version published on another one is picked up within
  // the link records' cache time (collect/link-context.ts), not the registry's own minute, so a
  // campaign switched to it never meets an instance that does not know it for long.
  const peerRefresh =
    config.store.kind === "postgres"
      ? setInterval(() => {
          registry.refresh().catch(() => undefined);
        }, PEER_REFRESH_MS)
      : null;
  peerRefresh?.unref();
  return {
    config,
    db,
    limiter,
    surveys: registry,
    keys,
    log,
    now,
    async close() {
      if (peerRefresh) clearInterval(peerRefresh);
      registry.stop();
      await limiter.close();
      await db.destroy();
    },
  };
}
