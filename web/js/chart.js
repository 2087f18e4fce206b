// chart.js — our small SVG chart module (no third-party code): a bar chart of hours over time and
// a horizontal stacked bar for a breakdown. The maths (nice scale ticks, bar layout, week buckets,
// shares that add up to 100 %) are pure functions, exported apart from the drawing so that
// tests/browser/chart.test.mjs checks them without a browser.
//
// Accessibility: each chart has a <title> and a <desc>; the bars of the bar chart are focusable
// (one Tab stop, the arrow keys, Home and End move between them) and each says what it shows
// ("Tue, Dec 1: 5:30"); the numbers are also in a table (the bar chart carries its own, folded;
// the breakdown's is the report table and the legend). Colours come from CSS variables
// (reports.css), so the dark theme and print follow; nothing is animated.

import { formatDuration, decimalHours } from './time.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const EPS = 1e-9;
const COLOR_RE = /^#[0-9a-fA-F]{6}$/;

// ---- Maths (pure) ----

/** Steps below an hour, in hours: 5, 10, 15 and 30 minutes (a tick on a whole minute). */
const SUB_HOUR_STEPS = [1 / 12, 1 / 6, 0.25, 0.5];

/**
 * The smallest "nice" step (hours) at least `raw`: 5, 10, 15 or 30 minutes below an hour, else
 * 1, 2 or 5 times a power of ten.
 *
 * @param {number} raw the step wanted (hours)
 * @returns {number} the nice step (1 for a raw step that is not positive)
 */
export function niceStep(raw) {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  for (const step of SUB_HOUR_STEPS) if (raw <= step + EPS) return step;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5]) if (raw <= m * pow * (1 + EPS)) return m * pow;
  return 10 * pow;
}

/**
 * A value axis from 0 to a nice top at or above `max`, with about `target` intervals, e.g.
 * max 7.5 → ticks 0, 2, 4, 6, 8. With nothing to show (max 0) the axis runs to 1.
 *
 * @param {number} max the largest value (hours)
 * @param {number} [target] intervals wanted (the result has about as many)
 * @returns {{top:number, step:number, ticks:number[]}} the axis top, step and tick values
 */
export function niceScale(max, target = 5) {
  const m = max > 0 && Number.isFinite(max) ? max : 1;
  const step = niceStep(m / Math.max(1, target));
  const count = Math.max(1, Math.ceil(m / step - EPS));
  const ticks = [];
  // Steps below an hour are whole minutes: ticks land on whole minutes, not near them.
  for (let i = 0; i <= count; i += 1) ticks.push(step < 1 ? Math.round(i * step * 60) / 60 : i * step);
  return { top: ticks[ticks.length - 1], step, ticks };
}

/**
 * Where the bars of a bar chart go: the plot area inside the margins, one band per value, each
 * bar centred in its band (a gap between bars, at most `maxBar` wide), its height in proportion
 * to the axis top.
 *
 * @param {number[]} values one value per bar (same unit as `top`; negatives count as 0)
 * @param {{width:number, height:number, top:number, margin?:{top:number, right:number,
 *          bottom:number, left:number}, gap?:number, maxBar?:number}} size the drawing's size,
 *   the axis top, the margins around the plot, the gap as a share of a band, the widest bar
 * @returns {{plot:{x:number, y:number, width:number, height:number}, band:number,
 *            bars:Array<{x:number, y:number, width:number, height:number, value:number}>,
 *            yOf:function(number):number}} the plot area, the band width, the bars, and the
 *   y of a value
 */
export function barLayout(values, size) {
  const margin = size.margin || { top: 16, right: 8, bottom: 28, left: 44 };
  const plot = {
    x: margin.left,
    y: margin.top,
    width: Math.max(0, size.width - margin.left - margin.right),
    height: Math.max(0, size.height - margin.top - margin.bottom),
  };
  const n = values.length;
  const band = n ? plot.width / n : 0;
  const gap = size.gap ?? 0.25;
  const width = Math.min(band, Math.max(Math.min(1, band), band * (1 - gap)), size.maxBar ?? 64);
  const top = size.top > 0 ? size.top : 1;
  const yOf = (value) => plot.y + plot.height - (Math.min(Math.max(value, 0), top) / top) * plot.height;
  const bars = values.map((raw, i) => {
    const value = Math.max(0, Number(raw) || 0);
    const y = yOf(value);
    return { x: plot.x + i * band + (band - width) / 2, y, width, height: plot.y + plot.height - y, value };
  });
  return { plot, band, bars, yOf };
}

/**
 * Label every n-th bar so that labels `labelWidth` wide do not overlap in bands `band` wide.
 *
 * @param {number} band the band width
 * @param {number} labelWidth room one label needs
 * @returns {number} 1 (every bar), 2 (every other bar), …
 */
export function labelStride(band, labelWidth) {
  if (!(band > 0)) return 1;
  return Math.max(1, Math.ceil(labelWidth / band - EPS));
}

/** `date` (YYYY-MM-DD) plus `n` days. */
function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/**
 * The Monday of a date's week.
 *
 * @param {string} date YYYY-MM-DD
 * @returns {string} YYYY-MM-DD of that week's Monday
 */
export function mondayOf(date) {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/**
 * Days summed into weeks (Monday to Sunday). A week cut by the range starts or ends where the
 * range does: `from` and `to` are the first and last day of the range inside that week.
 *
 * @param {Array<{date:string, seconds:number}>} days one per day, in order
 * @returns {Array<{key:string, from:string, to:string, seconds:number}>} one per week, `key`
 *   the week's Monday
 */
export function weekBuckets(days) {
  const weeks = [];
  for (const day of days) {
    const key = mondayOf(day.date);
    const last = weeks[weeks.length - 1];
    if (last && last.key === key) {
      last.to = day.date;
      last.seconds += day.seconds || 0;
    } else {
      weeks.push({ key, from: day.date, to: day.date, seconds: day.seconds || 0 });
    }
  }
  return weeks;
}

/** Ranges longer than this many days are drawn per week. */
export const MAX_DAY_BARS = 62;

/**
 * The bars for a report's days: one per day, or one per week when there are more than
 * `maxDays` days.
 *
 * @param {Array<{date:string, seconds:number}>} days one per day of the range, in order
 * @param {number} [maxDays] the most days drawn one by one
 * @returns {{unit:'day'|'week', buckets:Array<{key:string, from:string, to:string, seconds:number}>}} the bars
 */
export function timeBuckets(days, maxDays = MAX_DAY_BARS) {
  if (days.length > maxDays) return { unit: 'week', buckets: weekBuckets(days) };
  return { unit: 'day', buckets: days.map((d) => ({ key: d.date, from: d.date, to: d.date, seconds: d.seconds || 0 })) };
}

/**
 * Whole percentages of a total that add up to exactly 100 (largest remainder: the parts that
 * lost most to rounding down get the points left over). All zeros when the total is 0.
 *
 * @param {number[]} values the parts (negatives count as 0)
 * @returns {number[]} one whole percentage per part
 */
export function percentages(values) {
  const parts = values.map((v) => Math.max(0, Number(v) || 0));
  const total = parts.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return parts.map(() => 0);
  const exact = parts.map((v) => (v * 100) / total);
  const out = exact.map((x) => Math.floor(x + EPS));
  let left = 100 - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => i).sort((a, b) => (exact[b] - out[b]) - (exact[a] - out[a]) || parts[b] - parts[a] || a - b);
  for (const i of order) {
    if (left <= 0) break;
    out[i] += 1;
    left -= 1;
  }
  return out;
}

/**
 * A breakdown's first `max - 1` items as they are and the rest as one "other" item, so a
 * chart stays readable (all of them when there are at most `max`).
 *
 * @template T
 * @param {Array<T & {seconds:number}>} items largest first
 * @param {number} [max] the most slices
 * @returns {{shown:T[], other:{count:number, seconds:number}|null}} the slices, and what was merged
 */
export function topSlices(items, max = 8) {
  if (items.length <= max) return { shown: items.slice(), other: null };
  const shown = items.slice(0, max - 1);
  const rest = items.slice(max - 1);
  return { shown, other: { count: rest.length, seconds: rest.reduce((n, r) => n + (r.seconds || 0), 0) } };
}

/**
 * Segments of a horizontal stacked bar `width` wide: each as wide as its share of the sum,
 * side by side from x = 0, with its whole percentage (these add up to 100).
 *
 * @param {number[]} values the parts
 * @param {number} width the bar's width
 * @returns {Array<{x:number, width:number, percent:number, value:number}>} one per part
 */
export function stackLayout(values, width) {
  const parts = values.map((v) => Math.max(0, Number(v) || 0));
  const total = parts.reduce((a, b) => a + b, 0);
  const percent = percentages(parts);
  let cum = 0;
  return parts.map((value, i) => {
    const x = total > 0 ? (cum / total) * width : 0;
    cum += value;
    const end = total > 0 ? (cum / total) * width : 0;
    return { x, width: end - x, percent: percent[i], value };
  });
}

/**
 * Hours as the axis labels them: h:mm ("0:15", "2:00").
 *
 * @param {number} hours hours
 * @returns {string} h:mm
 */
export function hoursLabel(hours) {
  return formatDuration(Math.round(hours * 3600));
}

// ---- Drawing (DOM) ----

let chartIds = 0;

/** An SVG element with attributes (strings; null/undefined skipped) and children. */
function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Pixels rounded to a tenth (short attribute text). */
const px = (n) => Math.round(n * 10) / 10;

/**
 * One bar of a bar chart.
 *
 * @typedef {Object} Bar
 * @property {number} seconds the bar's value
 * @property {string} label the short axis label ("Tue 1", "30 Nov")
 * @property {string} name what the bar stands for, in full ("Tue, Dec 1", "Week of Nov 30")
 */

/**
 * Draw a bar chart of hours into `container` (emptied first). It is drawn at the container's
 * width and again whenever that changes (a phone turned, the navigation folded, printing).
 *
 * @param {HTMLElement} container where the chart goes (its width is the chart's)
 * @param {{title:string, description:string, bars:Bar[], height?:number, signal?:AbortSignal,
 *          readout?:HTMLElement}} spec the chart's title and description (for assistive
 *   technology), the bars, the height in pixels, a signal that ends the resize watching, and an
 *   element that shows the bar under the pointer or the focus
 * @returns {{focusBar:function(number):void}} a way to focus a bar (by index)
 */
export function renderBarChart(container, spec) {
  chartIds += 1;
  const id = `chart-${chartIds}`;
  const state = { active: 0, width: 0 };
  const draw = (width) => {
    if (!(width > 0) || Math.abs(width - state.width) < 1) return;
    state.width = width;
    const hadFocus = container.contains(document.activeElement);
    container.replaceChildren(barChartSvg(spec, width, id, state));
    if (hadFocus) focusBar(container, state, state.active);
  };
  draw(container.clientWidth || 640);
  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(() => draw(container.clientWidth));
    observer.observe(container);
    // Printing lays the page out at the paper's width: draw for it (A4 portrait inside the margins).
    const before = () => draw(PRINT_WIDTH);
    const afterPrint = () => draw(container.clientWidth);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', afterPrint);
    if (spec.signal) {
      spec.signal.addEventListener('abort', () => {
        observer.disconnect();
        window.removeEventListener('beforeprint', before);
        window.removeEventListener('afterprint', afterPrint);
      }, { once: true });
    }
  }
  return { focusBar: (i) => focusBar(container, state, i) };
}

/** The chart's width on an A4 page in portrait, inside 15 mm margins (CSS pixels). */
const PRINT_WIDTH = 680;

function focusBar(container, state, index) {
  const bars = Array.from(container.querySelectorAll('.chart-bar'));
  if (!bars.length) return;
  const i = Math.min(Math.max(index, 0), bars.length - 1);
  state.active = i;
  bars.forEach((b, j) => b.setAttribute('tabindex', j === i ? '0' : '-1'));
  bars[i].focus();
}

function barChartSvg(spec, width, id, state) {
  const height = spec.height || 220;
  const hours = spec.bars.map((b) => b.seconds / 3600);
  const scale = niceScale(Math.max(0, ...hours));
  const margin = { top: 18, right: 8, bottom: 30, left: 46 };
  const layout = barLayout(hours, { width, height, top: scale.top, margin });
  const { plot } = layout;
  const root = svg('svg', {
    class: 'chart-svg', width: px(width), height, viewBox: `0 0 ${px(width)} ${height}`,
    role: 'group', 'aria-roledescription': 'bar chart', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-desc`,
  },
  svg('title', { id: `${id}-title` }, spec.title),
  svg('desc', { id: `${id}-desc` }, spec.description));

  // Grid lines and the value axis (decorative: the bars and the table carry the numbers).
  const grid = svg('g', { class: 'chart-grid', 'aria-hidden': 'true' });
  for (const tick of scale.ticks) {
    const y = px(layout.yOf(tick));
    grid.append(
      svg('line', { x1: plot.x, x2: px(plot.x + plot.width), y1: y, y2: y, class: tick === 0 ? 'chart-baseline' : 'chart-gridline' }),
      svg('text', { x: plot.x - 6, y, class: 'chart-tick', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, hoursLabel(tick)));
  }
  root.append(grid);

  // The bars: one Tab stop (roving tabindex), arrows move between them.
  const stride = labelStride(layout.band, 44);
  const showValues = layout.bars.length > 0 && layout.bars[0].width >= 30;
  const bars = svg('g', { class: 'chart-bars' });
  const labels = svg('g', { class: 'chart-labels', 'aria-hidden': 'true' });
  if (state.active >= spec.bars.length) state.active = 0;
  layout.bars.forEach((bar, i) => {
    const item = spec.bars[i];
    const text = `${item.name}: ${formatDuration(item.seconds)}`;
    const g = svg('g', { class: 'chart-bar', role: 'img', 'aria-label': text, tabindex: i === state.active ? '0' : '-1', 'data-index': i },
      svg('title', {}, text),
      svg('rect', { class: 'chart-hit', x: px(plot.x + i * layout.band), y: plot.y, width: px(layout.band), height: plot.height }),
      bar.height > 0 ? svg('rect', { class: 'chart-bar-rect', x: px(bar.x), y: px(bar.y), width: px(bar.width), height: px(bar.height), rx: Math.min(3, bar.width / 4) }) : null);
    bars.append(g);
    const cx = px(bar.x + bar.width / 2);
    if (i % stride === 0) {
      // A label that would stick out on the right ends at the edge instead (about 6.5 px a letter).
      const past = cx + item.label.length * 3.3 > width;
      labels.append(svg('text', {
        x: past ? px(width) : cx, y: plot.y + plot.height + 18, class: 'chart-label', 'text-anchor': past ? 'end' : 'middle',
      }, item.label));
    }
    if (showValues && bar.value > 0) {
      labels.append(svg('text', { x: cx, y: px(bar.y - 5), class: 'chart-value', 'text-anchor': 'middle' }, formatDuration(item.seconds)));
    }
  });
  root.append(bars, labels);

  const show = (index) => {
    if (!spec.readout) return;
    const item = spec.bars[index];
    spec.readout.textContent = item ? `${item.name}: ${formatDuration(item.seconds)} (${decimalHours(item.seconds)})` : '';
  };
  bars.addEventListener('focusin', (event) => {
    const g = event.target.closest('.chart-bar');
    if (!g) return;
    state.active = Number(g.dataset.index);
    for (const other of bars.children) other.setAttribute('tabindex', other === g ? '0' : '-1');
    show(state.active);
  });
  bars.addEventListener('focusout', () => show(-1));
  bars.addEventListener('pointerover', (event) => {
    const g = event.target.closest('.chart-bar');
    if (g) show(Number(g.dataset.index));
  });
  bars.addEventListener('pointerleave', () => {
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('.chart-bar');
    show(focused ? Number(focused.dataset.index) : -1);
  });
  bars.addEventListener('keydown', (event) => {
    const last = spec.bars.length - 1;
    const moves = { ArrowRight: state.active + 1, ArrowDown: state.active + 1, ArrowLeft: state.active - 1, ArrowUp: state.active - 1, Home: 0, End: last };
    if (!(event.key in moves)) return;
    event.preventDefault();
    focusBar(root.parentNode || root, state, moves[event.key]);
  });
  return root;
}

/**
 * One slice of a breakdown.
 *
 * @typedef {Object} Slice
 * @property {string} label what it is ("Backups", "(no client)")
 * @property {number} seconds its time
 * @property {string|null} [color] `#rrggbb` (projects), else a colour of the palette is used
 */

/** How many colours the palette of reports.css has (`.chart-c0` … `.chart-c7`). */
const PALETTE = 8;

/**
 * Draw a breakdown as a horizontal stacked bar with its legend (label, h:mm, share) into
 * `container` (emptied first). Shares are of the slices' sum.
 *
 * @param {HTMLElement} container where it goes
 * @param {{title:string, slices:Slice[], max?:number}} spec the title (for assistive technology),
 *   the slices largest first, and the most slices before the rest become "Other"
 * @returns {void}
 */
export function renderBreakdown(container, spec) {
  chartIds += 1;
  const id = `chart-${chartIds}`;
  const { shown, other } = topSlices(spec.slices, spec.max || 8);
  const slices = shown.map((s, i) => ({ ...s, cls: COLOR_RE.test(s.color || '') ? null : `chart-c${i % PALETTE}` }));
  if (other) slices.push({ label: `Other (${other.count})`, seconds: other.seconds, color: null, cls: 'chart-other' });
  const WIDTH = 1000;
  const segments = stackLayout(slices.map((s) => s.seconds), WIDTH);
  const desc = slices.map((s, i) => `${s.label} ${formatDuration(s.seconds)} (${segments[i].percent}%)`).join(', ');
  // No text inside: the bar may stretch to any width (preserveAspectRatio none).
  const bar = svg('svg', {
    class: 'chart-stack', viewBox: `0 0 ${WIDTH} 24`, preserveAspectRatio: 'none', role: 'img',
    'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-desc`,
  },
  svg('title', { id: `${id}-title` }, spec.title),
  svg('desc', { id: `${id}-desc` }, desc || 'No time'),
  segments.map((seg, i) => (seg.width > 0 ? svg('rect', {
    class: `chart-seg ${slices[i].cls || ''}`.trim(), x: px(seg.x), y: 0, width: px(seg.width), height: 24,
    fill: slices[i].cls ? null : slices[i].color,
  }, svg('title', {}, `${slices[i].label}: ${formatDuration(slices[i].seconds)} (${seg.percent}%)`)) : null)));
  const legend = document.createElement('ul');
  legend.className = 'chart-legend';
  slices.forEach((s, i) => {
    const li = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `chart-swatch ${s.cls || ''}`.trim();
    swatch.setAttribute('aria-hidden', 'true');
    // CSSOM, not a style attribute: allowed under the strict CSP.
    if (!s.cls) swatch.style.backgroundColor = s.color;
    const name = document.createElement('span');
    name.className = 'chart-legend-label';
    name.textContent = s.label;
    const value = document.createElement('span');
    value.className = 'chart-legend-value';
    value.textContent = `${formatDuration(s.seconds)} · ${segments[i].percent}%`;
    value.title = decimalHours(s.seconds);
    li.append(swatch, name, value);
    legend.append(li);
  });
  container.replaceChildren(bar, legend);
}

/**
 * The numbers of a bar chart as a table (its accessible, and copyable, version).
 *
 * @param {{caption:string, head:string, bars:Bar[]}} spec caption, the first column's heading,
 *   the bars
 * @returns {HTMLTableElement} the table: one row per bar, its name and h:mm
 */
export function barTable(spec) {
  const table = document.createElement('table');
  table.className = 'chart-table';
  const cell = (tag, text, cls, scope) => {
    const el = document.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    if (scope) el.scope = scope;
    return el;
  };
  table.createCaption().textContent = spec.caption;
  const head = table.createTHead().insertRow();
  head.append(cell('th', spec.head, null, 'col'), cell('th', 'Hours', 'num', 'col'));
  const body = table.createTBody();
  for (const bar of spec.bars) {
    const row = body.insertRow();
    const hours = cell('td', formatDuration(bar.seconds), 'num');
    hours.title = decimalHours(bar.seconds);
    row.append(cell('th', bar.name, null, 'row'), hours);
  }
  return table;
}
