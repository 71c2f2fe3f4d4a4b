/**
 * A chart where officers would rather look than read: bars against a threshold line (85% for
 * satisfaction, 0.50/0.45 for 差异系数, the plan for coverage). Drawn by ECharts in the browser
 * after the page has loaded; the same figures are always in a table beside it, so the page
 * reads without scripts and the chart is never the only place a number appears.
 */
import { useEffect, useRef } from "react";

export interface BarSeries {
  name: string;
  values: Array<number | null>;
  color?: string;
}

export interface BarsAgainstLine {
  labels: string[];
  series: BarSeries[];
  /** The threshold drawn across the bars (same unit as the values). */
  line?: { value: number; label: string } | null;
  /** Values below (or, with `lowerIsBetter`, above) the line are drawn in red. */
  lowerIsBetter?: boolean;
  unit?: string;
  decimals?: number;
  horizontal?: boolean;
  max?: number;
  min?: number;
}

const BLUE = "#3d7bd9";
const RED = "#d9534f";

/**
 * ECharts scales the value axis to the bars only, so a line above every bar (初中's 0.45 over
 * CVs up to 0.28) would fall off the chart: then the axis ends at a round value past the line
 * (a half step of its power of ten, e.g. 0.5). Otherwise undefined: ECharts' own scale.
 */
function axisMaxFor(spec: BarsAgainstLine): number | undefined {
  const line = spec.line;
  if (!line || line.value <= 0) return undefined;
  const top = Math.max(...spec.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  if (top >= line.value) return undefined;
  const target = line.value * 1.1;
  const step = 10 ** Math.floor(Math.log10(target)) / 2;
  return Number((Math.ceil(target / step) * step).toPrecision(6));
}

/** Below this chart width (px) the phone layout of `media` applies. */
export const PHONE_CHART_WIDTH = 560;

/**
 * The ECharts option for bars against a line (plain data: serialisable, testable): a
 * `baseOption` for the desktop and ECharts' responsive `media` rule for a chart narrower than
 * PHONE_CHART_WIDTH, where names get a narrower column, the value axis three ticks (0, half,
 * max) in a smaller font, and vertical bars slanted labels — so nothing overlaps at 390 px.
 */
export function barsOption(spec: BarsAgainstLine): {
  baseOption: Record<string, unknown>;
  media: Array<{ query: { maxWidth: number }; option: Record<string, unknown> }>;
} {
  const unit = spec.unit ?? "";
  const decimals = spec.decimals ?? 1;
  const horizontal = spec.horizontal ?? true;
  const categoryAxis = {
    type: "category",
    data: spec.labels,
    inverse: horizontal,
    axisLabel: { width: horizontal ? 150 : 80, overflow: "truncate", interval: 0, fontSize: 12 },
  };
  const line = spec.line;
  const valueAxis = { type: "value", max: spec.max ?? axisMaxFor(spec), min: spec.min ?? 0, axisLabel: { formatter: `{value}${unit}` } };
  const baseOption = {
    animation: false,
    grid: { left: 8, right: 56, top: spec.series.length > 1 ? 30 : 12, bottom: 8, containLabel: true },
    legend: spec.series.length > 1 ? { top: 0 } : undefined,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: undefined },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: spec.series.map((s, index) => ({
      type: "bar",
      name: s.name,
      barMaxWidth: 22,
      itemStyle: { color: s.color ?? BLUE },
      data: s.values.map((v) => {
        const bad = line && v !== null && (spec.lowerIsBetter ? v > line.value : v < line.value);
        return { value: v === null ? null : Number(v.toFixed(decimals)), itemStyle: { color: bad ? (index === 0 ? RED : "#eba5a3") : (s.color ?? BLUE) } };
      }),
      label: { show: true, position: horizontal ? "right" : "top", formatter: `{c}${unit}`, fontSize: 11 },
      markLine:
        line && index === 0
          ? {
              symbol: "none",
              silent: true,
              lineStyle: { color: "#1f2329", type: "dashed", width: 1.5 },
              label: { formatter: line.label, position: "end" },
              data: [horizontal ? { xAxis: line.value } : { yAxis: line.value }],
            }
          : undefined,
    })),
  };
  const phoneCategoryAxis = { axisLabel: horizontal ? { width: 92, fontSize: 11 } : { width: 64, fontSize: 11, rotate: spec.labels.length > 3 ? 40 : 0 } };
  const phoneValueAxis = { splitNumber: 2, axisLabel: { fontSize: 10, hideOverlap: true } };
  const phone = {
    grid: { left: 2, right: 40, top: spec.series.length > 1 ? 30 : 16, bottom: 4, containLabel: true },
    legend: spec.series.length > 1 ? { top: 0, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 11 } } : undefined,
    xAxis: horizontal ? phoneValueAxis : phoneCategoryAxis,
    yAxis: horizontal ? phoneCategoryAxis : phoneValueAxis,
    series: spec.series.map((_, index) => ({
      label: { fontSize: 10 },
      // The line's label above the plot, clear of the value axis's tick labels.
      markLine: line && index === 0 ? { label: { position: horizontal ? "start" : "end", fontSize: 10 } } : undefined,
    })),
  };
  return { baseOption, media: [{ query: { maxWidth: PHONE_CHART_WIDTH }, option: phone }] };
}

export function Chart(props: { spec: BarsAgainstLine; label: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const option = JSON.stringify(barsOption(props.spec));
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let disposed = false;
    let chart: { resize(): void; dispose(): void } | null = null;
    const onResize = () => chart?.resize();
    void import("./echarts.client").then(({ draw }) => {
      if (disposed) return;
      chart = draw(element, JSON.parse(option) as Record<string, unknown>);
      window.addEventListener("resize", onResize);
    });
    return () => {
      disposed = true;
      window.removeEventListener("resize", onResize);
      chart?.dispose();
    };
  }, [option]);
  const height = props.height ?? Math.max(160, props.spec.labels.length * (props.spec.series.length > 1 ? 40 : 30) + 40);
  return <div ref={ref} className="c-chart" style={{ height }} role="img" aria-label={props.label} data-chart={props.label} />;
}
