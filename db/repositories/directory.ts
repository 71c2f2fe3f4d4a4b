/**
 * Every county and school known to the platform (the console's pickers and the school-list
 * import), regardless of campaign.
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema";
import { toSchool, type County, type School } from "./campaigns";

export async function listAllCounties(db: Kysely<Database>): Promise<County[]> {
  return db.selectFrom("counties").select(["id", "name", "city"]).orderBy("id").execute();
}

export async function listAllSchools(db: Kysely<Database>): Promise<School[]> {
  const rows = await db.selectFrom("schools").selectAll().orderBy("county_id").orderBy("id").execute();
  return rows.map(toSchool);
}
