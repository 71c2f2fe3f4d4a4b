/**
 * The home page's county cards when one county's evaluation input is refused by the engine's
 * checks (a bug or a bad stored figure): that card says so and is logged, the other cards and
 * the page stay up. Another error still fails the page.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InvalidEvaluationInputError } from "../../../app/domain/evaluation/county-input";
import { loader as homeLoader } from "../../../app/routes/admin._index/route";
import { getCampaign, listCampaignCounties } from "../../../db/repositories/campaigns";
import { makeTestServices, type TestServices } from "../../support/services";
import { callLoader, roleCookies } from "./support";

const failing = vi.hoisted(() => ({ county: null as string | null, kind: "invalid" as "invalid" | "other" }));

vi.mock("../../../app/.server/console/evaluation-data", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../app/.server/console/evaluation-data")>();
  return {
    ...original,
    // One county's engine run refused (or failing otherwise); the others computed as usual.
    campaignReadiness: async (...args: Parameters<typeof original.campaignReadiness>) => {
      const out = await original.campaignReadiness(...args);
      if (failing.county !== null && out.has(failing.county)) {
        out.set(failing.county, {
          error: failing.kind === "invalid" ? new InvalidEvaluationInputError("调查活动 zw2026 县（区）640502 ", ["常住人口无效"]) : new Error("disk on fire"),
        });
      }
      return out;
    },
  };
});

let services: TestServices;
let cookies: Awaited<ReturnType<typeof roleCookies>>;
beforeAll(async () => {
  services = await makeTestServices();
  cookies = await roleCookies(services);
});
afterAll(async () => {
  await services.dispose();
});

type Home = { campaigns: Array<{ id: string; cards: { counties: Array<{ countyId: string; verdict: string; verdictLabel: string }> } | null }> };

describe("the cards' verdicts", () => {
  it("are each county's readiness verdict, the campaign's data read once for all", async () => {
    const { campaignReadiness, countyReadiness } = await vi.importActual<typeof import("../../../app/.server/console/evaluation-data")>(
      "../../../app/.server/console/evaluation-data",
    );
    const campaign = await getCampaign(services.db, "zw2026");
    if (!campaign) throw new Error("no demo campaign");
    const counties = await listCampaignCounties(services.db, "zw2026");
    const all = await campaignReadiness(services, campaign, counties);
    expect([...all.keys()].sort()).toEqual(counties.map((c) => c.id).sort());
    for (const county of counties) expect(all.get(county.id)).toEqual(await countyReadiness(services, campaign, county));
  });
});

describe("a county card whose evaluation input is refused", () => {
  it("says so, is logged, and leaves the other cards and the page up", async () => {
    failing.county = "640502";
    failing.kind = "invalid";
    const errors: Array<[string, Record<string, unknown> | undefined]> = [];
    const spy = vi.spyOn(services.log, "error").mockImplementation((m, f) => {
      errors.push([m, f]);
    });
    const res = await callLoader(services, homeLoader, "/admin", { cookie: cookies.city });
    spy.mockRestore();
    expect(res.status).toBe(200);
    const cards = (res.body as Home).campaigns.find((c) => c.id === "zw2026")?.cards?.counties ?? [];
    expect(cards.find((c) => c.countyId === "640502")).toMatchObject({ verdict: "not_evaluated", verdictLabel: "评估数据有误，请打开达标评估页查看" });
    expect(cards.filter((c) => c.countyId !== "640502").every((c) => c.verdictLabel !== "评估数据有误，请打开达标评估页查看")).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[1]).toMatchObject({ campaignId: "zw2026", countyId: "640502" });
  });

  it("any other error still fails the page", async () => {
    failing.county = "640502";
    failing.kind = "other";
    await expect(callLoader(services, homeLoader, "/admin", { cookie: cookies.city })).rejects.toThrow("disk on fire");
    failing.county = null;
  });
});
