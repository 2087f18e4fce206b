// Unit tests of the chart module's maths (web/js/chart.js): nice scale ticks, the bar layout, the
// label stride, week buckets from days, and breakdown shares that add up to 100. No browser: the
// module's pure functions touch no DOM.
// Run: cd tests/browser && node --test chart.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  niceStep, niceScale, barLayout, labelStride, mondayOf, weekBuckets, timeBuckets, MAX_DAY_BARS,
  percentages, topSlices, stackLayout, hoursLabel,
} from '../../web/js/chart.js';

/** `date` plus `n` days. */
function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** `n` days from `from`, with `seconds(i)` each. */
function days(from, n, seconds = () => 3600) {
  return Array.from({ length: n }, (_, i) => ({ date: addDays(from, i), seconds: seconds(i) }));
}

describe('niceScale', () => {
  test('7.5 h gives ticks 0, 2, 4, 6, 8', () => {
    assert.deepEqual(niceScale(7.5), { top: 8, step: 2, ticks: [0, 2, 4, 6, 8] });
  });

  test('a maximum on a tick is the top', () => {
    assert.deepEqual(niceScale(8).ticks, [0, 2, 4, 6, 8]);
    assert.deepEqual(niceScale(10).ticks, [0, 2, 4, 6, 8, 10]);
    assert.deepEqual(niceScale(40).ticks, [0, 10, 20, 30, 40]);
  });

  test('larger ranges step by 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual(niceScale(43).ticks, [0, 10, 20, 30, 40, 50]);
    assert.equal(niceScale(260).step, 100);
    assert.equal(niceScale(1900).top, 2000);
  });

  test('below an hour the steps are whole minutes (5, 10, 15, 30)', () => {
    assert.deepEqual(niceScale(1).ticks.map(hoursLabel), ['0:00', '0:15', '0:30', '0:45', '1:00']);
    assert.deepEqual(niceScale(0.5).ticks.map(hoursLabel), ['0:00', '0:10', '0:20', '0:30']);
    assert.deepEqual(niceScale(2.2).ticks.map(hoursLabel), ['0:00', '0:30', '1:00', '1:30', '2:00', '2:30']);
    for (const max of [0.3, 0.9, 3.3, 17, 123.4]) {
      const { ticks, top, step } = niceScale(max);
      assert.ok(top >= max, `top ${top} ≥ ${max}`);
      assert.ok(top - step < max, `no empty interval above ${max}`);
      assert.ok(ticks.length >= 3 && ticks.length <= 7, `${ticks.length} ticks for ${max}`);
      for (const t of ticks) assert.equal(Math.round(t * 60) / 60, t, `${t} h is a whole minute`);
    }
    assert.deepEqual(niceScale(0.05).ticks.map(hoursLabel), ['0:00', '0:05'], 'five minutes is the finest step');
  });

  test('zero, negative or missing data still give an axis (0 to 1 h)', () => {
    for (const max of [0, -3, NaN, undefined, Infinity]) {
      const scale = niceScale(max);
      assert.equal(scale.top, 1);
      assert.equal(scale.ticks[0], 0);
      assert.ok(scale.ticks.every(Number.isFinite));
    }
    assert.equal(niceStep(0), 1);
  });
});

describe('barLayout', () => {
  const margin = { top: 10, right: 10, bottom: 20, left: 40 };
  const inside = (layout) => {
    const { plot } = layout;
    for (const b of layout.bars) {
      assert.ok(b.x >= plot.x - 1e-9 && b.x + b.width <= plot.x + plot.width + 1e-9, `bar ${b.x}+${b.width} inside the plot`);
      assert.ok(b.y >= plot.y - 1e-9 && b.y + b.height <= plot.y + plot.height + 1e-9, 'bar inside vertically');
      assert.ok(b.width > 0);
    }
  };

  test('seven days: bars inside the plot, in order, heights in proportion', () => {
    const values = [3.5, 2, 1.5, 1.25, 2, 0, 0];
    const layout = barLayout(values, { width: 640, height: 220, top: 4, margin });
    assert.deepEqual(layout.plot, { x: 40, y: 10, width: 590, height: 190 });
    assert.equal(layout.bars.length, 7);
    inside(layout);
    for (let i = 1; i < 7; i += 1) assert.ok(layout.bars[i].x > layout.bars[i - 1].x + layout.bars[i - 1].width, 'no overlap');
    assert.equal(layout.bars[0].height, 190 * (3.5 / 4));
    assert.equal(layout.bars[1].height, 95);
    assert.equal(layout.bars[5].height, 0);
    assert.equal(layout.bars[5].y, 200, 'an empty day sits on the baseline');
    assert.equal(layout.yOf(4), 10);
    assert.equal(layout.yOf(0), 200);
  });

  test('one bar is centred and no wider than maxBar', () => {
    const layout = barLayout([2], { width: 400, height: 200, top: 2, margin, maxBar: 64 });
    inside(layout);
    const [bar] = layout.bars;
    assert.equal(bar.width, 64);
    assert.equal(bar.x + bar.width / 2, 40 + 350 / 2);
    assert.equal(bar.height, 170, 'the top value fills the plot');
  });

  test('zero data: no bar has a height, none is NaN', () => {
    const layout = barLayout([0, 0, 0], { width: 300, height: 200, top: 0, margin });
    inside(layout);
    assert.ok(layout.bars.every((b) => b.height === 0 && Number.isFinite(b.x)));
    assert.deepEqual(barLayout([], { width: 300, height: 200, top: 1, margin }).bars, []);
  });

  test('many bars in a narrow plot still fit, at least a pixel wide; values above the top are cut', () => {
    const values = Array.from({ length: 366 }, (_, i) => i % 9);
    const layout = barLayout(values, { width: 360, height: 200, top: 8, margin });
    inside(layout);
    assert.equal(layout.bars.length, 366);
    const wide = barLayout([10, -1], { width: 300, height: 200, top: 5, margin });
    assert.equal(wide.bars[0].height, 170);
    assert.equal(wide.bars[1].height, 0);
  });

  test('labels skip bars when the bands are narrower than a label', () => {
    assert.equal(labelStride(80, 44), 1);
    assert.equal(labelStride(44, 44), 1);
    assert.equal(labelStride(20, 44), 3);
    assert.equal(labelStride(0, 44), 1);
  });
});

describe('weeks from days', () => {
  test('mondayOf', () => {
    assert.equal(mondayOf('2026-12-05'), '2026-11-30'); // a Saturday
    assert.equal(mondayOf('2026-11-30'), '2026-11-30');
    assert.equal(mondayOf('2026-12-06'), '2026-11-30'); // Sunday ends the week
    assert.equal(mondayOf('2027-01-01'), '2026-12-28');
  });

  test('days sum into Monday-to-Sunday weeks; cut weeks keep the range’s ends', () => {
    // Wednesday 2026-11-04 to Thursday 2026-11-26: a cut week, two whole weeks, a cut week.
    const list = days('2026-11-04', 23, (i) => (i + 1) * 600);
    const weeks = weekBuckets(list);
    assert.deepEqual(weeks.map((w) => [w.key, w.from, w.to]), [
      ['2026-11-02', '2026-11-04', '2026-11-08'],
      ['2026-11-09', '2026-11-09', '2026-11-15'],
      ['2026-11-16', '2026-11-16', '2026-11-22'],
      ['2026-11-23', '2026-11-23', '2026-11-26'],
    ]);
    assert.deepEqual(weeks.map((w) => w.seconds), [15, 63, 112, 86].map((n) => n * 600));
    const sum = (xs) => xs.reduce((a, b) => a + b.seconds, 0);
    assert.equal(sum(weeks), sum(list), 'nothing lost or counted twice');
  });

  test('a range up to 62 days is drawn per day, a longer one per week', () => {
    const short = timeBuckets(days('2026-10-01', MAX_DAY_BARS));
    assert.equal(short.unit, 'day');
    assert.equal(short.buckets.length, 62);
    assert.deepEqual(short.buckets[0], { key: '2026-10-01', from: '2026-10-01', to: '2026-10-01', seconds: 3600 });
    const long = timeBuckets(days('2026-01-01', 365));
    assert.equal(long.unit, 'week');
    assert.equal(long.buckets.length, 53);
    assert.equal(long.buckets.reduce((n, w) => n + w.seconds, 0), 365 * 3600);
    assert.equal(timeBuckets([]).buckets.length, 0);
  });
});

describe('breakdown shares', () => {
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);

  test('whole percentages add up to 100', () => {
    assert.deepEqual(percentages([1, 1, 1]), [34, 33, 33]);
    assert.deepEqual(percentages([21600, 10800, 3600]), [60, 30, 10]);
    assert.deepEqual(percentages([5, 0, 0]), [100, 0, 0]);
    for (const values of [[7, 3, 1, 1, 1], [97200, 54000, 17, 1], [2, 2, 2, 2, 2, 2, 2], [0.1, 0.2, 0.3]]) {
      const p = percentages(values);
      assert.equal(sum(p), 100, `${values} → ${p}`);
      assert.ok(p.every((x) => Number.isInteger(x) && x >= 0));
    }
  });

  test('nothing to share: all zero', () => {
    assert.deepEqual(percentages([0, 0]), [0, 0]);
    assert.deepEqual(percentages([]), []);
  });

  test('stacked segments sit side by side and fill the width', () => {
    const segs = stackLayout([21600, 10800, 3600], 1000);
    assert.equal(segs.length, 3);
    assert.equal(segs[0].x, 0);
    for (let i = 1; i < segs.length; i += 1) assert.ok(Math.abs(segs[i].x - (segs[i - 1].x + segs[i - 1].width)) < 1e-9);
    assert.ok(Math.abs(segs[2].x + segs[2].width - 1000) < 1e-9);
    assert.deepEqual(segs.map((s) => s.percent), [60, 30, 10]);
    assert.equal(sum(segs.map((s) => s.percent)), 100);
    assert.ok(stackLayout([0, 0], 1000).every((s) => s.width === 0 && s.x === 0));
  });

  test('more slices than fit become one “other”', () => {
    const items = Array.from({ length: 11 }, (_, i) => ({ label: `p${i}`, seconds: 1000 - i }));
    const { shown, other } = topSlices(items, 8);
    assert.equal(shown.length, 7);
    assert.deepEqual(other, { count: 4, seconds: 993 + 992 + 991 + 990 });
    assert.equal(topSlices(items.slice(0, 8), 8).other, null);
  });
});
