// The lag of the last hour as a small SVG area chart: no library needed.
import { bytes } from './format.js';
import { t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 480;
const HEIGHT = 170;
const LEFT = 62;
const TOP = 10;
const BOTTOM = 20;
const BUCKETS = 240;

function svg(tag, attributes = {}, text) {
  const element = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The largest lag of each of {@link BUCKETS} slices of the window, so a spike always shows. */
function buckets(points, from, to) {
  const span = to - from;
  const result = new Array(BUCKETS).fill(null);
  for (const point of points) {
    const at = new Date(point.at).getTime();
    if (at < from || at > to) continue;
    const i = Math.min(BUCKETS - 1, Math.floor(((at - from) / span) * BUCKETS));
    result[i] = Math.max(result[i] ?? 0, point.lagBytes);
  }
  return result;
}

/** A round top for the y axis in binary units: 1, 2 or 5 times 1, 10 or 100 KiB, MiB, ... */
function niceMax(value) {
  let unit = 1;
  while (value >= unit * 1024) unit *= 1024;
  for (const step of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1024]) {
    if (step * unit >= value && step * unit >= 1024) return step * unit;
  }
  return 1024 * unit;
}

/** The chart of {@code points} (LagPoint[]) over the hour before {@code now}. */
export function lagChart(points, now = Date.now()) {
  const from = now - 3_600_000;
  const values = buckets(points, from, now);
  const max = niceMax(Math.max(0, ...values.map((v) => v ?? 0)));
  const plotWidth = WIDTH - LEFT;
  const plotHeight = HEIGHT - BOTTOM;
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: 'chart',
    role: 'img',
    'aria-label': t('chart.label'),
  });
  for (const [fraction, label] of [[0, bytes(max)], [0.5, bytes(max / 2)], [1, '0 B']]) {
    const y = TOP + fraction * (plotHeight - TOP);
    root.append(svg('line', { x1: LEFT, x2: WIDTH, y1: y, y2: y, class: 'chart-grid' }));
    root.append(svg('text', { x: LEFT - 6, y: y + 4, class: 'chart-label', 'text-anchor': 'end' }, label));
  }
  for (const [fraction, label] of [[0, t('chart.hourAgo')], [0.5, t('chart.halfHourAgo')], [1, t('chart.now')]]) {
    const x = LEFT + fraction * plotWidth;
    const anchor = fraction === 0 ? 'start' : fraction === 1 ? 'end' : 'middle';
    root.append(svg('text', { x, y: HEIGHT - 3, class: 'chart-label', 'text-anchor': anchor }, label));
  }
  const measured = values.map((v, i) => ({ v, i })).filter((p) => p.v !== null);
  if (measured.length === 0) {
    root.append(
      svg('text', { x: LEFT + plotWidth / 2, y: plotHeight / 2 + 4, class: 'chart-empty', 'text-anchor': 'middle' }, t('chart.empty')),
    );
    return root;
  }
  const x = (i) => LEFT + ((i + 0.5) / BUCKETS) * plotWidth;
  const y = (v) => TOP + (1 - v / max) * (plotHeight - TOP);
  const line = measured.map((p) => `${x(p.i).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const first = measured[0];
  const last = measured[measured.length - 1];
  const area = `${x(first.i).toFixed(1)},${plotHeight} ${line} ${x(last.i).toFixed(1)},${plotHeight}`;
  root.append(svg('polygon', { points: area, class: 'chart-area' }));
  root.append(svg('polyline', { points: line, class: 'chart-line' }));
  root.append(svg('circle', { cx: x(last.i).toFixed(1), cy: y(last.v).toFixed(1), r: 3, class: 'chart-dot' }));
  return root;
}
