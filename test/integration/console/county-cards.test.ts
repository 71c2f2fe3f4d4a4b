/**
 * The home page's county cards when one county's evaluation input is refused by the engine's
 * checks (a bug or a bad stored figure): that card says so and is logged, the other cards and
 * the page stay up. Another error still fails the page.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InvalidEvaluationInputError } from "../../../app/domain/evaluation/county-input";
import { loader as homeLoader } from "../../../app/routes/admin._index/route";
import { makeTestServices, type TestServices } from "../../support/services";
import { callLoader, roleCookies } from "./support";

const failing = vi.hoisted(() => ({ county: null as string | null, kind: "invalid" as "invalid" | "other" }));

vi.mock("../../../app/.server/console/evaluation-data", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../app/.server/console/evaluation-data")>();
  return {
    ...original,
    countyReadiness: async (...args: Parameters<typeof original.countyReadiness>) => {
      if (args[2].id === failing.county) {
        if (failing.kind === "invalid") throw new InvalidEvaluationInputError("调查活动 zw2026 县（区）640502 ", ["常住人口无效"]);
        throw new Error("disk on fire");
      }
      return original.countyReadiness(...args);
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
