/**
 * The database as Kysely sees it. Column types are what the application reads and writes on
 * both stores: timestamps are integer milliseconds since the epoch (bigint on PostgreSQL,
 * parsed back to numbers by `createDb`), booleans are 0/1 integers, JSON is text.
 */
import type { Generated, Insertable, Selectable } from "kysely";

export interface CountiesTable {
  id: string;
  name: string;
  city: string;
  is_demo: number;
}

export interface SchoolsTable {
  id: string;
  county_id: string;
  name: string;
  /** SchoolType code (app/domain/vocabulary.ts). */
  type: string;
  /** Location code: urban | town | rural (城区/镇区/乡村). */
  location: string;
  students_primary: number;
  students_junior: number;
  students_senior: number;
  is_demo: number;
}

export interface CampaignsTable {
  id: string;
  name: string;
  city: string;
  year: number;
  /** CampaignPhase code: self (县级自评) | review (市级复核). */
  phase: string;
  opens_at: number;
  closes_at: number;
  /** JSON of the campaign's satisfied-questionnaire rule (app/domain/satisfaction.ts). */
  satisfaction_rule: string;
  is_demo: number;
  created_at: number;
}

export interface CampaignCountiesTable {
  campaign_id: string;
  county_id: string;
  /** 常住人口, for the sample plan (1.5‰). */
  /** 常住人口; null when not provided (migration 2026-12-03-0300). */
  resident_population: number | null;
  share_urban: number;
  share_town: number;
  share_rural: number;
}

export interface CampaignQuestionnairesTable {
  campaign_id: string;
  questionnaire_id: string;
  /** The definition version collected in this campaign (surveys/<id>.v<version>.json). */
  version: number;
}

export interface ResponsesTable {
  id: Generated<number>;
  campaign_id: string;
  county_id: string;
  school_id: string | null;
  questionnaire_id: string;
  questionnaire_version: number;
  respondent_group: string;
  grade: number | null;
  /** The school's location when answered; null for county-level links. */
  location: string | null;
  /** The validated answers, as submitted (JSON). */
  answers: string;
  /** Score of the 总体评价 item, 1–5; null for 不了解. */
  overall_score: number | null;
  /** Sum and count of scored items with a score (不了解 excluded): the mean rule needs no JSON. */
  score_sum: number;
  score_count: number;
  comment: string | null;
  started_at: number;
  submitted_at: number;
  duration_ms: number;
  /** Keyed hash of the device id (never the id itself, never an IP address). */
  device_hash: string;
  /** Keyed hash of device × link; unique. Null for supervised submissions on a shared device. */
  respondent_key: string | null;
  /** Generated on the device; unique, so a retried submission is stored once. */
  idempotency_key: string;
  supervision_code_id: number | null;
  /** JSON array of integrity flags (e.g. "honeypot"). */
  flags: string;
  invalidated_at: number | null;
  invalid_reason: string | null;
}

export interface ResponseItemsTable {
  response_id: number;
  item: string;
  /** 1–5; null for 不了解. */
  score: number | null;
}

export interface SupervisionCodesTable {
  id: Generated<number>;
  campaign_id: string;
  school_id: string;
  /** Keyed hash of the code; the code itself is shown once when issued. */
  code_hash: string;
  label: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  /** JSON array of the questionnaire ids the code admits (decision 0012); defaults to 学生卷 + 校长教师卷. */
  questionnaires: Generated<string>;
}

/** A console account (issue 5): role city | county | school, scoped by county or school. */
export interface AccountsTable {
  id: Generated<number>;
  /** Lower-case; unique. */
  username: string;
  display_name: string;
  role: string;
  county_id: string | null;
  school_id: string | null;
  /** scrypt$N$r$p$salt$hash (app/.server/auth/password.ts). */
  password_hash: string;
  is_demo: number;
  created_at: number;
  updated_at: number;
  disabled_at: number | null;
}

/** A server-side console session; `id` is the SHA-256 of the cookie's random token. */
export interface SessionsTable {
  id: string;
  account_id: number;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** 操作日志: sign-ins, imports, exports, invalidations, campaign and account changes. */
export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  account_id: number | null;
  username: string | null;
  action: string;
  campaign_id: string | null;
  county_id: string | null;
  subject: string | null;
  /** JSON object with the particulars. */
  detail: string;
  /** The request's client address (the address itself; console users are not anonymous). */
  client_address: string | null;
  /** Set on a row summarising a run of refusals (one per account and window); unique. */
  summary_key: string | null;
  /** Requests the row stands for: 1, or the refusals a summary row counts. */
  repeats: Generated<number>;
  /** When the latest request of a summary row came; null on an ordinary row. */
  last_at: number | null;
  /** Position in the hash chain (decision 0023): 1, 2, 3, … unique; null only on a row written around the app. */
  seq: number | null;
  /** The previous row's `hash` (64 zeros for the first). */
  prev_hash: string | null;
  /** SHA-256 (hex) of the row's canonical text (app/domain/audit-chain.ts), `prev_hash` included. */
  hash: string | null;
}

/** The audit chain's head (one row, id 1): the last row's `seq` and `hash`; every append updates it first. */
export interface AuditChainHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** The console's derived 社会认可度 counts: where they were counted to, and under which rule. */
export interface ConsoleTallyStateTable {
  campaign_id: string;
  /** JSON of the satisfied-questionnaire rule the tallies were counted under. */
  rule: string;
  /** Highest response id folded into the tallies; later ones are counted live. */
  watermark: number;
  folded_at: number;
}

/** Questionnaires per cell ('' = no school / no location, 0 = no grade). */
export interface ConsoleCellTalliesTable {
  campaign_id: string;
  county_id: string;
  school_id: string;
  respondent_group: string;
  questionnaire_id: string;
  location: string;
  grade: number;
  total: number;
  invalid: number;
  satisfied: number;
  flagged: number;
  /** Satisfied under the rule whatever the questionnaire's validity (reviews left aside). */
  satisfied_any: Generated<number>;
  /** The released block (decision 0015): the cell's first ⌊total/5⌋·5 questionnaires by id. */
  rel_total: Generated<number>;
  /** Of the released block: satisfied, validity left aside. */
  rel_satisfied: Generated<number>;
  rel_flagged: Generated<number>;
}

/**
 * Answers per item and score (0 = 不了解), per cell (school × group × questionnaire × location
 * × grade, as the cell tallies): `n` of valid questionnaires, `n_any` of all, `rel_n` of the
 * cell's released block (all, validity left aside; decision 0015).
 */
export interface ConsoleItemTalliesTable {
  campaign_id: string;
  county_id: string;
  school_id: string;
  respondent_group: string;
  questionnaire_id: string;
  location: string;
  grade: number;
  item: string;
  score: number;
  n: number;
  n_any: Generated<number>;
  rel_n: Generated<number>;
}

/** Each invalidation or restoration of a questionnaire by a reviewer. */
export interface ResponseReviewsTable {
  id: Generated<number>;
  response_id: number;
  campaign_id: string;
  county_id: string;
  /** invalidate | restore */
  action: string;
  reason: string;
  account_id: number | null;
  username: string | null;
  at: number;
}

/** A campaign's imported evaluation data (EvaluationInput JSON without 社会认可度). */
export interface CampaignEvaluationDataTable {
  campaign_id: string;
  input: string;
  file_name: string;
  imported_at: number;
  imported_by: string | null;
}

/** A questionnaire version published from the console (never updated once inserted). */
export interface SurveyDefinitionsTable {
  questionnaire_id: string;
  version: number;
  /** The SurveyJS definition as uploaded (JSON). */
  json: string;
  published_at: number;
  published_by: string | null;
}

/** A campaign whose raw answers were archived and deleted (the tallies keep the figures). */
export interface CampaignArchivesTable {
  campaign_id: string;
  archived_at: number;
  archived_by: string | null;
  responses_deleted: number;
}

export interface Database {
  counties: CountiesTable;
  schools: SchoolsTable;
  campaigns: CampaignsTable;
  campaign_counties: CampaignCountiesTable;
  campaign_questionnaires: CampaignQuestionnairesTable;
  responses: ResponsesTable;
  response_items: ResponseItemsTable;
  supervision_codes: SupervisionCodesTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  console_tally_state: ConsoleTallyStateTable;
  console_cell_tallies: ConsoleCellTalliesTable;
  console_item_tallies: ConsoleItemTalliesTable;
  response_reviews: ResponseReviewsTable;
  campaign_evaluation_data: CampaignEvaluationDataTable;
  survey_definitions: SurveyDefinitionsTable;
  campaign_archives: CampaignArchivesTable;
}

export type CountyRow = Selectable<CountiesTable>;
export type SchoolRow = Selectable<SchoolsTable>;
export type CampaignRow = Selectable<CampaignsTable>;
export type ResponseRow = Selectable<ResponsesTable>;
export type NewResponse = Insertable<ResponsesTable>;
export type SupervisionCodeRow = Selectable<SupervisionCodesTable>;
export type AccountRow = Selectable<AccountsTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
