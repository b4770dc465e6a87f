/**
 * A small hand-written SVG chart writer: line charts (with optional bars and a ±spread band per
 * series), grouped bar charts with error bars, and a grid of panels. Axes, "nice" ticks, a legend.
 */

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const W = 620;
const H = 340;
const M = { left: 60, right: 190, top: 34, bottom: 48 }; // the legend sits in the right margin

export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
  /** Half-width of a shaded band around y (e.g. the standard deviation over seeds). */
  spread?: readonly number[];
  /** 'line' (default), 'dashed', or 'bar' (bars of width `barWidth` centred on x). */
  style?: 'line' | 'dashed' | 'bar';
  barWidth?: number;
  color?: string;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Fixed axis ranges (default: the data's, widened to nice ticks). */
  xRange?: [number, number];
  yRange?: [number, number];
  /** Tick labels as percentages (values in [0, 1]). */
  yPercent?: boolean;
}

export interface BarChart {
  title: string;
  yLabel: string;
  /** One group of bars per category (x axis). */
  categories: readonly string[];
  /** One bar per series in each group; `errors` draws ± whiskers. */
  series: readonly { name: string; values: readonly number[]; errors?: readonly number[] }[];
  yRange?: [number, number];
  yPercent?: boolean;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const f = (v: number): string => (Math.round(v * 100) / 100).toString();

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (hi <= lo) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.round(t / step) * step);
  return ticks;
}

function tickLabel(v: number, percent: boolean, ticks: number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const scale = percent ? 100 : 1;
  const digits = Math.max(0, -Math.floor(Math.log10(step * scale) + 1e-9));
  return `${(v * scale).toFixed(digits)}${percent ? '%' : ''}`;
}

function frame(title: string, body: string[], legend: { name: string; color: string; style?: string }[]): string {
  const items = legend.map((l, i) => {
    const y = M.top + 10 + i * 18;
    const x = W - M.right + 12;
    const mark = l.style === 'bar'
      ? `<rect x="${x}" y="${y - 5}" width="16" height="10" fill="${l.color}" fill-opacity="0.6"/>`
      : `<line x1="${x}" y1="${y}" x2="${x + 16}" y2="${y}" stroke="${l.color}" stroke-width="2"${l.style === 'dashed' ? ' stroke-dasharray="4 3"' : ''}/>`;
    return `${mark}<text x="${x + 22}" y="${y + 4}">${esc(l.name)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>`,
    ...body,
    ...items,
    '</svg>',
  ].join('\n');
}

function axes(xTicks: { at: number; label: string }[], yTicks: { at: number; label: string }[], xLabel: string, yLabel: string): string[] {
  const [x0, x1, y0, y1] = [M.left, W - M.right, H - M.bottom, M.top];
  const out = [`<rect x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}" fill="none" stroke="#333"/>`];
  for (const t of yTicks) {
    out.push(`<line x1="${x0}" y1="${f(t.at)}" x2="${x1}" y2="${f(t.at)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x0 - 6}" y="${f(t.at + 4)}" text-anchor="end">${esc(t.label)}</text>`);
  }
  for (const t of xTicks) {
    out.push(`<line x1="${f(t.at)}" y1="${y0}" x2="${f(t.at)}" y2="${y0 + 5}" stroke="#333"/>`);
    out.push(`<text x="${f(t.at)}" y="${y0 + 17}" text-anchor="middle">${esc(t.label)}</text>`);
  }
  out.push(`<text x="${(x0 + x1) / 2}" y="${H - 10}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  return out;
}

function range(values: number[], fixed?: [number, number]): [number, number, number[]] {
  if (fixed) return [fixed[0], fixed[1], niceTicks(fixed[0], fixed[1])];
  const finite = values.filter(Number.isFinite);
  const ticks = niceTicks(Math.min(...finite), Math.max(...finite));
  return [ticks[0], ticks[ticks.length - 1], ticks];
}

/** A line chart as an SVG document. */
export function lineChart({ title, xLabel, yLabel, series, xRange, yRange, yPercent = false }: LineChart): string {
  const [xlo, xhi, xt] = range(series.flatMap((s) => [...s.x]), xRange);
  const [ylo, yhi, yt] = range(series.flatMap((s) => s.y.flatMap((v, i) => [v - (s.spread?.[i] ?? 0), v + (s.spread?.[i] ?? 0)])), yRange);
  const sx = (v: number): number => M.left + ((v - xlo) / (xhi - xlo)) * (W - M.left - M.right);
  const sy = (v: number): number => H - M.bottom - ((Math.min(Math.max(v, ylo), yhi) - ylo) / (yhi - ylo)) * (H - M.top - M.bottom);
  const body = axes(xt.map((t) => ({ at: sx(t), label: tickLabel(t, false, xt) })), yt.map((t) => ({ at: sy(t), label: tickLabel(t, yPercent, yt) })), xLabel, yLabel);
  const legend = series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length], style: s.style }));
  series.forEach((s, i) => {
    const color = legend[i].color;
    if (s.style === 'bar') {
      const w = Math.abs(sx(s.barWidth ?? 1) - sx(0));
      s.x.forEach((x, j) => {
        if (!Number.isFinite(s.y[j])) return;
        body.push(`<rect x="${f(sx(x) - w / 2)}" y="${f(sy(s.y[j]))}" width="${f(w)}" height="${f(sy(ylo) - sy(s.y[j]))}" fill="${color}" fill-opacity="0.6" stroke="${color}"/>`);
      });
      return;
    }
    const pts = s.x.map((x, j) => [x, s.y[j]] as const).filter(([, y]) => Number.isFinite(y));
    if (s.spread) {
      const upper = pts.map(([x, y], j) => `${f(sx(x))},${f(sy(y + s.spread![j]))}`);
      const lower = pts.map(([x, y], j) => `${f(sx(x))},${f(sy(y - s.spread![j]))}`).reverse();
      body.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.15" stroke="none"/>`);
    }
    const d = pts.map(([x, y], j) => `${j ? 'L' : 'M'}${f(sx(x))},${f(sy(y))}`).join('');
    body.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.style === 'dashed' ? ' stroke-dasharray="4 3"' : ''}/>`);
    if (pts.length <= 30) pts.forEach(([x, y]) => body.push(`<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="2.5" fill="${color}"/>`));
  });
  return frame(title, body, legend);
}

/** A grouped bar chart (one group per category, one bar per series) as an SVG document. */
export function barChart({ title, yLabel, categories, series, yRange, yPercent = false }: BarChart): string {
  const [ylo, yhi, yt] = range([0, ...series.flatMap((s) => s.values.map((v, i) => v + (s.errors?.[i] ?? 0)))], yRange);
  const plotW = W - M.left - M.right;
  const groupW = plotW / categories.length;
  const barW = (groupW * 0.8) / series.length;
  const sy = (v: number): number => H - M.bottom - ((Math.min(Math.max(v, ylo), yhi) - ylo) / (yhi - ylo)) * (H - M.top - M.bottom);
  const body = axes(
    categories.map((c, i) => ({ at: M.left + groupW * (i + 0.5), label: c })),
    yt.map((t) => ({ at: sy(t), label: tickLabel(t, yPercent, yt) })), '', yLabel,
  );
  const legend = series.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length], style: 'bar' }));
  series.forEach((s, i) => s.values.forEach((v, j) => {
    const x = M.left + groupW * j + groupW * 0.1 + barW * i;
    body.push(`<rect x="${f(x)}" y="${f(sy(v))}" width="${f(barW * 0.92)}" height="${f(sy(ylo) - sy(v))}" fill="${legend[i].color}" fill-opacity="0.75"/>`);
    const e = s.errors?.[j];
    if (e) {
      const cx = x + barW * 0.46;
      body.push(`<path d="M${f(cx)},${f(sy(v - e))}V${f(sy(v + e))}M${f(cx - 3)},${f(sy(v - e))}h6M${f(cx - 3)},${f(sy(v + e))}h6" stroke="#222"/>`);
    }
  }));
  return frame(title, body, series.length > 1 ? legend : []);
}

/** Several charts side by side, `cols` per row, as one SVG document. */
export function grid(charts: readonly string[], cols = 2): string {
  const rows = Math.ceil(charts.length / cols);
  const inner = charts.map((svg, i) => svg.replace('<svg ', `<svg x="${(i % cols) * W}" y="${Math.floor(i / cols) * H}" `));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${cols * W}" height="${rows * H}" viewBox="0 0 ${cols * W} ${rows * H}">`,
    ...inner, '</svg>',
  ].join('\n');
}
