// A bar chart drawn with uPlot, sized to its container. Charts are pictures: the same numbers
// are always offered as a table next to them (see the dashboard), and the canvas carries a
// short description for screen readers.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

export interface BarChartProps {
  // Either timestamps in seconds (time: true) or category labels, one per bar.
  x: number[];
  labels?: string[];
  time?: boolean;
  values: number[];
  seriesLabel: string;
  color: string;
  height?: number;
  description: string;
  testid?: string;
}

const AXIS = { stroke: "#3d4753", grid: { stroke: "#e3e7ec", width: 1 }, ticks: { stroke: "#c5ccd4", width: 1 } };
const FONT = "12px system-ui, -apple-system, Segoe UI, Roboto, sans-serif";

export function BarChart({ x, labels, time = false, values, seriesLabel, color, height = 240, description, testid }: BarChartProps) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = container.current;
    if (!el) return undefined;
    const categorical = !time && labels !== undefined;
    const maxY = Math.max(1, ...values);
    const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.7, 48], gap: 2 }) : undefined;
    const rotated = categorical && (labels ?? []).some((l) => l.length > 8);
    // On a time axis each bar is a day wide; half a day either side keeps the end bars whole.
    const step = time && x.length > 1 ? Math.min(...x.slice(1).map((v, i) => v - x[i])) : 86400;
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      padding: [8, rotated ? 48 : 16, 0, 0],
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: categorical
          ? { time: false, range: () => [-0.6, x.length - 0.4] }
          : { time, range: () => [x[0] - step / 2, x[x.length - 1] + step / 2] },
        y: { range: () => [0, Math.ceil(maxY * 1.1)] },
      },
      axes: [
        {
          ...AXIS,
          font: FONT,
          ...(categorical
            ? {
                splits: () => x.map((_, i) => i),
                values: (_u: uPlot, splits: number[]) => splits.map((i) => labels?.[i] ?? ""),
                rotate: rotated ? -35 : 0,
                size: rotated ? 110 : 40,
              }
            : {}),
        },
        { ...AXIS, font: FONT, size: 44, values: (_u: uPlot, splits: number[]) => splits.map((v) => (Number.isInteger(v) ? String(v) : "")) },
      ],
      series: [
        {},
        {
          label: seriesLabel,
          stroke: color,
          fill: color,
          width: 0,
          paths: bars,
          points: { show: false },
        },
      ],
    };
    const chart = new uPlot(opts, [categorical ? x.map((_, i) => i) : x, values], el);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(280, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [JSON.stringify([x, labels, values]), time, color, height, seriesLabel]);

  return <div class="chart" ref={container} role="img" aria-label={description} data-testid={testid} />;
}
