import { describe, expect, it } from "vitest";
import { barsOption, PHONE_CHART_WIDTH } from "./chart";

describe("barsOption", () => {
  const spec = {
    labels: ["课业负担", "落实教育公平政策、推动优质资源共享"],
    series: [{ name: "满意度", values: [69.85, 88.1] }],
    line: { value: 85, label: "85%" },
    unit: "%",
    max: 100,
  };

  it("keeps the desktop option as the base and adds one rule for a chart narrower than a phone's width", () => {
    const option = barsOption(spec);
    expect(option.baseOption).toMatchObject({ yAxis: { type: "category", axisLabel: { width: 150 } }, xAxis: { type: "value", max: 100 } });
    expect(option.media).toHaveLength(1);
    expect(option.media[0]?.query).toEqual({ maxWidth: PHONE_CHART_WIDTH });
    expect(PHONE_CHART_WIDTH).toBeGreaterThan(390);
  });

  it("at phone width: names in a narrower column, three value ticks, smaller labels, the line's label clear of the ticks", () => {
    const phone = barsOption(spec).media[0]?.option;
    expect(phone).toMatchObject({
      yAxis: { axisLabel: { width: 92, fontSize: 11 } },
      xAxis: { splitNumber: 2, axisLabel: { fontSize: 10, hideOverlap: true } },
      series: [{ label: { fontSize: 10 }, markLine: { label: { position: "start" } } }],
    });
  });

  it("slants the category labels of vertical bars when there are more than three", () => {
    const phone = barsOption({ ...spec, horizontal: false, labels: ["一", "二", "三", "四"], series: [{ name: "份数", values: [1, 2, 3, 4] }] }).media[0]
      ?.option;
    expect(phone).toMatchObject({ xAxis: { axisLabel: { rotate: 40 } }, yAxis: { splitNumber: 2 } });
  });

  it("extends the value axis past a line that is above every bar, so the line stays on the chart", () => {
    const junior = { labels: ["初中 L1", "初中 L2"], series: [{ name: "差异系数", values: [0.104, 0.277] }], line: { value: 0.45, label: "0.45" } };
    expect(barsOption(junior).baseOption).toMatchObject({ xAxis: { max: 0.5 } });
    const primary = { ...junior, series: [{ name: "差异系数", values: [0.104, 0.646] }], line: { value: 0.5, label: "0.50" } };
    expect((barsOption(primary).baseOption.xAxis as { max?: number }).max).toBeUndefined();
    expect(barsOption(spec).baseOption).toMatchObject({ xAxis: { max: 100 } });
  });
});
