// `node --import tsx bench/workload/main.ts [--minutes 2] [--seed 1] [--capture <file.mkv>] [--fps 1]
// [--plan]`: plays the office workload on a fresh XGA Xvfb display with openbox. With --capture it
// also grabs the screen losslessly (FFV1) at --fps into the given file, the input of
// bench/workload/experiment.ts. --plan prints the plan and exits.
import { spawn } from 'node:child_process';
import { startXDisplay } from '../../test/support/xdisplay.ts';
import { OfficeWorkload, WORKLOAD_SCREEN } from './OfficeWorkload.ts';
import { planWorkload } from './plan.ts';

function parse(argv: string[]): { minutes: number; seed: number; capture?: string; fps: number; planOnly: boolean } {
  const out = { minutes: 10, seed: 1, capture: undefined as string | undefined, fps: 1, planOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    const arg = argv[i];
    if (arg === '--minutes') out.minutes = Number(value());
    else if (arg === '--seed') out.seed = Number(value());
    else if (arg === '--capture') out.capture = value();
    else if (arg === '--fps') out.fps = Number(value());
    else if (arg === '--plan') out.planOnly = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!(out.minutes > 0)) throw new Error('--minutes must be positive');
  return out;
}

const args = parse(process.argv.slice(2));
const log = (m: string): void => void process.stderr.write(`${m}\n`);
if (args.planOnly) {
  const plan = planWorkload(args.seed, args.minutes);
  for (const b of plan.blocks) log(`${(b.atMs / 1000).toFixed(0).padStart(5)} s  ${(b.nominalMs / 1000).toFixed(0).padStart(3)} s  ${b.label}`);
  log(`idle ${(plan.idleFraction * 100).toFixed(0)}% of ${plan.durationMs / 1000} s`);
  process.exit(0);
}

const x = await startXDisplay({ ...WORKLOAD_SCREEN, wm: true });
const workload = new OfficeWorkload(x, { minutes: args.minutes, seed: args.seed, log });
try {
  await workload.setUp();
  log(`workload on ${x.display}: ${workload.plan.blocks.length} blocks, ${(workload.plan.idleFraction * 100).toFixed(0)}% planned idle`);
  const grab = args.capture
    ? spawn('ffmpeg', [
        '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
        '-f', 'x11grab', '-framerate', String(args.fps), '-draw_mouse', '1', '-i', x.display,
        '-vf', 'scale=out_color_matrix=bt709:out_range=tv', '-pix_fmt', 'yuv420p',
        '-c:v', 'ffv1', '-level', '3', '-g', '1', '-t', String(args.minutes * 60), args.capture,
      ], { env: x.env, stdio: ['ignore', 'inherit', 'inherit'] })
    : undefined;
  await workload.run();
  if (grab) await new Promise((r) => grab.once('exit', r));
} finally {
  await workload.close();
  await x.stop();
}
