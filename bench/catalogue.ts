// Every metric of issue 5: its unit, its target (a goal, never a test assertion), and for the
// ones that cannot be measured yet, the feature that is missing.

/** One row of the catalogue. */
export interface MetricSpec {
  unit: string;
  /** The goal from the issue, with the reference peer's figure. */
  target: string;
  /** Which scenario of the harness measures it (`--only <scenario>`). */
  scenario: ScenarioName;
  /** Set while the feature the metric needs does not exist: the metric is reported, not measured. */
  missing?: string;
}

/** Scenarios of the harness, in the order they run. */
export const SCENARIOS = ['pin', 'session', 'input', 'video', 'broker', 'recording', 'replay', 'filetransfer'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** The reference peer, measured on the same kind of machine (issue 5). */
export const PEER = 'MeshCentral 1.1.55';

export const CATALOGUE = {
  'session.setup_ms': { unit: 'ms', target: 'p50 <= 190 (peer: 191)', scenario: 'session' },
  'session.setup_ms.unrecorded': {
    unit: 'ms',
    target: 'report (the same with `--recording off`: what recording adds to setup)',
    scenario: 'session',
  },
  'input.latency_ms': { unit: 'ms', target: 'p50 <= 50, p95 <= 80 (peer: 102.5 / 119)', scenario: 'input' },
  'video.fps': { unit: 'frames/s', target: '>= 30 (peer: ~16)', scenario: 'video' },
  'video.fps.scroll': { unit: 'frames/s', target: '>= 30 (peer: ~16, measured on the flood)', scenario: 'video' },
  'host.cpu_pct': { unit: '% of one core', target: 'idle <= 3 (peer: 6-7)', scenario: 'video' },
  'host.cpu_pct.busy': { unit: '% of one core', target: 'report', scenario: 'video' },
  'host.cpu_pct.scroll': { unit: '% of one core', target: 'report (live only, page scrolling)', scenario: 'video' },
  'host.cpu_pct.ffmpeg_idle': { unit: '% of one core', target: 'report (part of host.cpu_pct)', scenario: 'video' },
  'host.cpu_pct.ffmpeg_busy': { unit: '% of one core', target: 'report (part of host.cpu_pct.busy)', scenario: 'video' },
  'host.cpu_pct.recording': {
    unit: '% of one core',
    target: 'report (live + recording, screen idle; live only: host.cpu_pct)',
    scenario: 'video',
  },
  'host.cpu_pct.recording_busy': {
    unit: '% of one core',
    target: 'report (live + recording, screen flooded; live only: host.cpu_pct.busy)',
    scenario: 'video',
  },
  'host.cpu_pct.recording_scroll': {
    unit: '% of one core',
    target: 'report (live + recording, page scrolling; live only: host.cpu_pct.scroll)',
    scenario: 'video',
  },
  'recording.mb_per_hour': {
    unit: 'MB/hour',
    target: '<= 4.2 at >= 1 fps (commercial anchor 8.4; peer: 53-56)',
    scenario: 'recording',
  },
  'recording.ssim_mean': { unit: 'SSIM (luma)', target: '>= 0.995', scenario: 'recording' },
  'recording.ssim_worst': { unit: 'SSIM (luma)', target: '>= 0.98 (worst frame)', scenario: 'recording' },
  'recording.cpu_pct': { unit: '% of one core', target: 'report (recorder alone, no live session)', scenario: 'recording' },
  'replay.seek_ms': { unit: 'ms', target: 'p50 <= 300', scenario: 'replay' },
  'replay.open_ms': { unit: 'ms', target: 'report (open and verify a 1-hour recording)', scenario: 'replay' },
  'filetransfer.mb_per_s': { unit: 'MB/s', target: '>= 30', scenario: 'filetransfer', missing: 'file transfer' },
  'broker.idle_agents': { unit: 'agents', target: '10,000', scenario: 'broker' },
  'broker.rss_mb_per_1000_agents': { unit: 'MiB per 1000 agents', target: 'report', scenario: 'broker' },
  'pin.handshake_ms': { unit: 'ms', target: '<= 10', scenario: 'pin' },
} satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof CATALOGUE;

/** The catalogue entry of `name`. */
export function specOf(name: MetricName): MetricSpec {
  return CATALOGUE[name];
}

/** Metric names measured by `scenario`. */
export function metricsOf(scenario: ScenarioName): MetricName[] {
  return (Object.keys(CATALOGUE) as MetricName[]).filter((name) => specOf(name).scenario === scenario);
}
