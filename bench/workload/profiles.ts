// Encoder configurations tried for the recorder (bench/RECORDING-NOTES.md has the results).
// The one the host agent uses is DEFAULT_PROFILE; the others are kept so that every figure in
// the notes can be reproduced with bench/workload/experiment.ts.
import { DEFAULT_PROFILE, type EncoderProfile } from '../../host-agent/src/recording/encoder/EncoderProfile.ts';

/** libaom in "good" mode without lookahead, the recorder's own key frame placement. */
function aom(name: string, cpuUsed: number, q: number, extra: string[] = []): EncoderProfile {
  return {
    name,
    codec: 'av1',
    args: [
      '-c:v', 'libaom-av1', '-usage', 'good', '-cpu-used', String(cpuUsed), '-lag-in-frames', '0',
      '-crf', String(q), '-qmin', String(q), '-qmax', '63', '-g', '1000000', '-keyint_min', '1000000', ...extra,
    ],
  };
}

const SCREEN = ['-aom-params', 'tune-content=screen'];
const THREADS = ['-threads', '2', '-row-mt', '1'];

/** q35, tune ssim, screen content, plus one more libaom option (`key=value` for -aom-params). */
function ssimWith(name: string, aomParam: string, extra: string[] = []): EncoderProfile {
  return aom(name, 5, 35, ['-tune', 'ssim', '-aom-params', `tune-content=screen:${aomParam}`, ...THREADS, ...extra]);
}

export const EXPERIMENT_PROFILES: Record<string, EncoderProfile> = {
  default: DEFAULT_PROFILE,
  'aom-good5-q30': aom('aom-good5-q30', 5, 30, [...SCREEN, ...THREADS]),
  'aom-good5-q35': aom('aom-good5-q35', 5, 35, [...SCREEN, ...THREADS]),
  'aom-good5-q38': aom('aom-good5-q38', 5, 38, [...SCREEN, ...THREADS]),
  'aom-good5-q40': aom('aom-good5-q40', 5, 40, [...SCREEN, ...THREADS]),
  'aom-good5-q35-1thread': aom('aom-good5-q35-1thread', 5, 35, SCREEN),
  'aom-good6-q35': aom('aom-good6-q35', 6, 35, [...SCREEN, ...THREADS]),
  'aom-good4-q35': aom('aom-good4-q35', 4, 35, [...SCREEN, ...THREADS]),
  'aom-good5-q35-ssim': aom('aom-good5-q35-ssim', 5, 35, ['-tune', 'ssim', ...SCREEN, ...THREADS]),
  'aom-good5-q38-ssim': aom('aom-good5-q38-ssim', 5, 38, ['-tune', 'ssim', ...SCREEN, ...THREADS]),
  'aom-good5-q40-ssim': aom('aom-good5-q40-ssim', 5, 40, ['-tune', 'ssim', ...SCREEN, ...THREADS]),
  'aom-good5-q42-ssim': aom('aom-good5-q42-ssim', 5, 42, ['-tune', 'ssim', ...SCREEN, ...THREADS]),
  'aom-good5-q33-ssim': aom('aom-good5-q33-ssim', 5, 33, ['-tune', 'ssim', ...SCREEN, ...THREADS]),
  'aom-good5-q36-ssim': aom('aom-good5-q36-ssim', 5, 36, ['-tune', 'ssim', ...SCREEN, ...THREADS]),
  'aom-good5-q37-ssim': aom('aom-good5-q37-ssim', 5, 37, ['-tune', 'ssim', ...SCREEN, ...THREADS]),
  'aom-good6-q35-ssim': aom('aom-good6-q35-ssim', 6, 35, ['-tune', 'ssim', ...SCREEN, ...THREADS]),
  'ssim-sb64': ssimWith('ssim-sb64', 'sb-size=64'),
  'ssim-qm': ssimWith('ssim-qm', 'enable-qm=1'),
  'ssim-deltaq0': ssimWith('ssim-deltaq0', 'deltaq-mode=0'),
  'ssim-palette': ssimWith('ssim-palette', 'enable-palette=1'),
  'ssim-globalmotion': ssimWith('ssim-globalmotion', 'enable-global-motion=1'),
  'aom-good5-q35-nocdef': aom('aom-good5-q35-nocdef', 5, 35, ['-enable-cdef', '0', '-enable-restoration', '0', ...SCREEN, ...THREADS]),
  'aom-rt7-q35': {
    name: 'aom-rt7-q35',
    codec: 'av1',
    args: ['-c:v', 'libaom-av1', '-usage', 'realtime', '-cpu-used', '7', '-lag-in-frames', '0', '-crf', '35', '-qmin', '35', '-qmax', '63',
      '-g', '1000000', '-keyint_min', '1000000', ...SCREEN, ...THREADS],
  },
  'vp9-good2-q35': {
    name: 'vp9-good2-q35',
    codec: 'vp9',
    args: ['-c:v', 'libvpx-vp9', '-deadline', 'good', '-cpu-used', '2', '-lag-in-frames', '0', '-crf', '35', '-b:v', '0', '-qmin', '35', '-qmax', '63',
      '-g', '1000000', '-keyint_min', '1000000', '-tune-content', 'screen', '-row-mt', '1', '-threads', '2'],
  },
  'svt-p10-crf40': {
    name: 'svt-p10-crf40',
    codec: 'av1',
    args: ['-c:v', 'libsvtav1', '-preset', '10', '-crf', '40', '-g', '1000000', '-svtav1-params', 'scm=1:pred-struct=1:lookahead=0'],
  },
};
