/**
 * ECharts, tree-shaken to what the console draws (bars with a threshold line), SVG renderer so
 * charts print crisply. Loaded only in the browser, only by console pages (chart.tsx imports
 * it dynamically); the parents' survey pages never load it.
 */
import { BarChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { init, use, type EChartsCoreOption } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

// eslint-disable-next-line react-hooks/rules-of-hooks -- ECharts' `use` registers components; it is not React's use()
use([BarChart, GridComponent, TooltipComponent, MarkLineComponent, LegendComponent, SVGRenderer]);

export function draw(element: HTMLElement, option: EChartsCoreOption): { resize(): void; dispose(): void } {
  const chart = init(element, null, { renderer: "svg", locale: "ZH" });
  chart.setOption(option);
  return { resize: () => chart.resize(), dispose: () => chart.dispose() };
}
