import { describe, expect, it } from "vitest";
import { coversLink, normalizeCode } from "./supervision";

const computerRoom = { id: 1, campaignId: "zw2026", schoolId: "spt01", label: "三年级机房", expiresAt: 0, questionnaires: ["student" as const] };

describe("supervision codes", () => {
  it("cover only the campaign, school and questionnaires they were issued for", () => {
    expect(coversLink(computerRoom, { campaignId: "zw2026", schoolId: "spt01", questionnaireId: "student" })).toBe(true);
    expect(coversLink(computerRoom, { campaignId: "zw2026", schoolId: "spt01", questionnaireId: "social" })).toBe(false);
    expect(coversLink(computerRoom, { campaignId: "zw2026", schoolId: "spt01", questionnaireId: "staff" })).toBe(false);
    expect(coversLink(computerRoom, { campaignId: "zw2026", schoolId: "spt02", questionnaireId: "student" })).toBe(false);
    expect(coversLink(computerRoom, { campaignId: "other", schoolId: "spt01", questionnaireId: "student" })).toBe(false);
    // A county-level link is never supervised.
    expect(coversLink(computerRoom, { campaignId: "zw2026", schoolId: null, questionnaireId: "student" })).toBe(false);
    // A code whose stored list could not be read admits nothing.
    expect(coversLink({ ...computerRoom, questionnaires: [] }, { campaignId: "zw2026", schoolId: "spt01", questionnaireId: "student" })).toBe(false);
  });

  it("are read as typed: case, spaces and dashes ignored", () => {
    expect(normalizeCode(" ab3d-ef 7h ")).toBe("AB3DEF7H");
  });
});
