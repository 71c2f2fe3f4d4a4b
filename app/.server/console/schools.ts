/** Schools as the console looks them up (always within a county, so scope checks have a county). */
import { getSchool, type School } from "../../../db/repositories/campaigns";
import type { Services } from "../context";

export async function schoolInCounty(services: Pick<Services, "db">, countyId: string, schoolId: string): Promise<School | null> {
  const school = await getSchool(services.db, schoolId);
  return school && school.countyId === countyId ? school : null;
}

export async function findSchool(services: Pick<Services, "db">, schoolId: string): Promise<School | null> {
  return getSchool(services.db, schoolId);
}
