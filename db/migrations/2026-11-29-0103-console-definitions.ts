/**
 * Questionnaire definitions published from the console (a new version uploaded as JSON and
 * checked like `npm run surveys:check`). A version is inserted once and never updated: a
 * definition that may have collected responses is never edited.
 */
import { PostgresAdapter, type Kysely } from "kysely";

type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("survey_definitions")
    .addColumn("questionnaire_id", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("json", "text", (c) => c.notNull())
    .addColumn("published_at", pg ? "bigint" : "integer", (c) => c.notNull())
    .addColumn("published_by", "text")
    .addPrimaryKeyConstraint("survey_definitions_pk", ["questionnaire_id", "version"])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("survey_definitions").ifExists().execute();
}
