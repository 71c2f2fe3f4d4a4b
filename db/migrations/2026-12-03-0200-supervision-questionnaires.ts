/**
 * Supervision codes limited to the questionnaires they were issued for (decision 0012): a code
 * for a computer room admits the 学生卷 only, never the parents' 社会卷 again and again.
 * `questionnaires` is a JSON array of questionnaire ids. Codes issued before this migration get
 * the shared-device questionnaires (学生卷, 校长教师卷) — never the 社会卷, which a parent answers
 * on a phone of their own.
 */
import { sql, type Kysely } from "kysely";

type AnyDb = Kysely<any>;

export const PRE_EXISTING_CODE_QUESTIONNAIRES = '["student","staff"]';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable("supervision_codes")
    .addColumn("questionnaires", "text", (c) => c.notNull().defaultTo(sql.lit(PRE_EXISTING_CODE_QUESTIONNAIRES)))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("supervision_codes").dropColumn("questionnaires").execute();
}
