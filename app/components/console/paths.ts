/** URLs of the console, in one place. */
const e = encodeURIComponent;

export const paths = {
  campaign: (c: string) => `/admin/campaigns/${e(c)}`,
  county: (c: string, county: string) => `/admin/campaigns/${e(c)}/counties/${e(county)}`,
  coverage: (c: string, county: string) => `/admin/campaigns/${e(c)}/counties/${e(county)}/coverage`,
  readiness: (c: string, county: string) => `/admin/campaigns/${e(c)}/counties/${e(county)}/readiness`,
  readinessSchool: (c: string, county: string, school: string) => `/admin/campaigns/${e(c)}/counties/${e(county)}/readiness/${e(school)}`,
  review: (c: string, county: string) => `/admin/campaigns/${e(c)}/counties/${e(county)}/review`,
  comments: (c: string, county: string) => `/admin/campaigns/${e(c)}/counties/${e(county)}/comments`,
  exports: (c: string, county: string) => `/admin/campaigns/${e(c)}/counties/${e(county)}/exports`,
  report: (c: string, county: string) => `/admin/report/${e(c)}/${e(county)}`,
  countyKit: (c: string, county: string) => `/admin/kit/${e(c)}/${e(county)}`,
  school: (c: string, school: string) => `/admin/campaigns/${e(c)}/schools/${e(school)}`,
  kits: (c: string) => `/admin/campaigns/${e(c)}/kits`,
  edit: (c: string) => `/admin/campaigns/${e(c)}/edit`,
  schoolsImport: (c: string) => `/admin/campaigns/${e(c)}/schools-import`,
  evaluationData: (c: string) => `/admin/campaigns/${e(c)}/evaluation-data`,
  exportFile: (c: string, file: string, county?: string) => `/admin/export/${e(c)}/${e(file)}${county ? `?county=${e(county)}` : ""}`,
};
