/**
 * Every migration, by name, in order. Listed statically (not discovered on disk) so they load
 * the same under tsx, vitest and the Vite server bundle; FileMigrationProvider cannot import
 * `.ts` files on Node 20.
 */
import type { Migration } from "kysely";
import * as initial from "./2026-11-29-0001-initial";
import * as consoleAccounts from "./2026-11-29-0100-console-accounts";
import * as consoleTallies from "./2026-11-29-0101-console-tallies";
import * as consoleEvaluationData from "./2026-11-29-0102-console-evaluation-data";
import * as consoleDefinitions from "./2026-11-29-0103-console-definitions";
import * as consoleTailIndex from "./2026-11-29-0104-console-tail-index";
import * as consoleArchives from "./2026-11-29-0105-console-archives";
import * as auditClientAddress from "./2026-12-03-0010-audit-client-address";
import * as supervisionQuestionnaires from "./2026-12-03-0200-supervision-questionnaires";
import * as populationNullable from "./2026-12-03-0300-population-nullable";
import * as releaseBlocks from "./2026-12-04-0100-release-blocks";
import * as auditChain from "./2026-12-07-0300-audit-chain";

export const MIGRATIONS: Record<string, Migration> = {
  "2026-11-29-0001-initial": initial,
  "2026-11-29-0100-console-accounts": consoleAccounts,
  "2026-11-29-0101-console-tallies": consoleTallies,
  "2026-11-29-0102-console-evaluation-data": consoleEvaluationData,
  "2026-11-29-0103-console-definitions": consoleDefinitions,
  "2026-11-29-0104-console-tail-index": consoleTailIndex,
  "2026-11-29-0105-console-archives": consoleArchives,
  "2026-12-03-0010-audit-client-address": auditClientAddress,
  "2026-12-03-0200-supervision-questionnaires": supervisionQuestionnaires,
  "2026-12-03-0300-population-nullable": populationNullable,
  "2026-12-04-0100-release-blocks": releaseBlocks,
  "2026-12-07-0300-audit-chain": auditChain,
};
