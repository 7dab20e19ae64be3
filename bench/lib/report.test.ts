// The harness's own arithmetic and bookkeeping: quantiles, carried-over metrics, the report table,
// and the catalogue holding every metric issue 5 names.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CATALOGUE, SCENARIOS, metricsOf, type MetricName } from '../catalogue.ts';
import type { MachineInfo } from './machine.ts';
import { carryOver, markdown } from './report.ts';
import { fromSamples, notApplicable, notMeasurable, type Results } from './results.ts';
import { quantile, summarize } from './stats.ts';

const machine: MachineInfo = {
  cpuModel: 'Test CPU', cores: 2, memoryGiB: 24, os: 'linux', node: 'v20', chromium: '156', ffmpeg: '5.1',
  load1mAtStart: 0.1, otherWorkCores: 0.05,
};

function results(commit: string, metrics: Results['metrics']): Results {
  return { machine, commit, dirty: false, date: `2026-12-02T00:00:00Z-${commit}`, metrics, details: {} };
}

describe('bench harness', () => {
  test('quantiles interpolate between ranks; the summary gives median, p95 and the spread', () => {
    assert.equal(quantile([10, 20, 30, 40], 0.5), 25);
    const s = summarize([5, 1, 4, 2, 3]);
    assert.deepEqual({ n: s.n, p50: s.p50, min: s.min, max: s.max }, { n: 5, p50: 3, min: 1, max: 5 });
    assert.equal(s.p95, 4.8);
    assert.throws(() => quantile([], 0.5), RangeError);
  });

  test('a metric from samples reports the median as its value, with its runs and target', () => {
    const m = fromSamples('input.latency_ms', [40, 50, 60], { note: 'three keys' });
    assert.deepEqual({ value: m.value, p50: m.p50, runs: m.runs, min: m.min, max: m.max }, { value: 50, p50: 50, runs: 3, min: 40, max: 60 });
    assert.equal(m.target, CATALOGUE['input.latency_ms'].target);
    assert.equal(fromSamples('input.latency_ms', []).value, null, 'no samples: no number');
  });

  test('an --only run keeps the other metrics, each marked with the commit it was measured at', () => {
    const earlier = results('aaaa', {
      'pin.handshake_ms': fromSamples('pin.handshake_ms', [4, 5]),
      'input.latency_ms': fromSamples('input.latency_ms', [90]),
    });
    const now = carryOver(results('bbbb', { 'input.latency_ms': fromSamples('input.latency_ms', [45]) }), earlier);
    assert.equal(now.metrics['input.latency_ms']!.value, 45);
    assert.equal(now.metrics['input.latency_ms']!.measured, undefined, 'measured by this run');
    assert.equal(now.metrics['pin.handshake_ms']!.value, 4.5);
    assert.deepEqual(now.metrics['pin.handshake_ms']!.measured, { commit: 'aaaa', date: earlier.date });
    // Catalogue order, whatever order they were measured in.
    const order = Object.keys(CATALOGUE);
    const names = Object.keys(now.metrics);
    assert.deepEqual(names, [...names].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
  });

  test('the table says why a metric has no number, and never shows a placeholder figure', () => {
    const md = markdown(
      results('cccc', {
        'filetransfer.mb_per_s': notMeasurable('filetransfer.mb_per_s', 'file transfer'),
        'host.cpu_pct.ffmpeg_idle': notApplicable('host.cpu_pct.ffmpeg_idle', 'no capture child'),
        'pin.handshake_ms': fromSamples('pin.handshake_ms', [4.2]),
      }),
      'npm run bench',
    );
    const row = (name: MetricName): string => md.split('\n').find((l) => l.startsWith(`| \`${name}\``)) ?? '';
    assert.match(row('filetransfer.mb_per_s'), /\| not measurable yet \|/);
    assert.match(row('host.cpu_pct.ffmpeg_idle'), /\| not applicable \|/);
    assert.match(row('pin.handshake_ms'), /\| 4\.2 \|/);
    assert.match(md, /commit `cccc`/);
  });

  test('every metric issue 5 names is in the catalogue, each with a scenario that measures it', () => {
    const issue5 = [
      'session.setup_ms', 'input.latency_ms', 'video.fps', 'host.cpu_pct', 'recording.mb_per_hour', 'recording.ssim_mean',
      'recording.ssim_worst', 'replay.seek_ms', 'filetransfer.mb_per_s', 'broker.idle_agents', 'broker.rss_mb_per_1000_agents',
      'pin.handshake_ms',
    ];
    for (const name of issue5) assert.ok(name in CATALOGUE, `${name} missing`);
    const covered = new Set(SCENARIOS.flatMap((s) => metricsOf(s)));
    for (const name of Object.keys(CATALOGUE)) assert.ok(covered.has(name as MetricName), `${name} has no scenario`);
  });
});
