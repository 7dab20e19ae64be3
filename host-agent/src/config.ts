import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { LOCAL_NETWORKS, parseCidr } from '@wardlink/protocol';
import type { CaptureMethod } from './platform/index.ts';
import type { VideoBitrate } from './session/videoBitrate.ts';

/** Default live video bitrate bounds, kbit/s: a hospital LAN carries 10 Mbit/s easily. */
export const DEFAULT_VIDEO_BITRATE: VideoBitrate = { maxKbps: 10_000, startKbps: 2_000 };

/** Settings of one host agent process. Only {@link loadAgentConfig} reads the environment. */
export interface AgentConfig {
  /** Broker base URL, e.g. `https://broker.hospital.local:8443`. */
  brokerUrl: string;
  /** PEM file of the hospital CA that signed the broker's certificate; the agent trusts only it. */
  caFile?: string;
  /** Folder for the device key and agent state. */
  dataDir: string;
  /** Name shown to technicians (on first enrollment). */
  name: string;
  /** One-time token from `wardlink host token`, needed once for enrollment. */
  enrollToken?: string;
  /** X display to capture and control, e.g. `:0`. */
  display: string;
  /** Address of the ward user's page; loopback only. */
  uiHost: string;
  /** Port of the ward user's page; 0 picks a free one. */
  uiPort: number;
  /** Folder holding the built ward page (index.html, app.js). */
  uiDir: string;
  /** Capture frame rate, frames per second. */
  fps: number;
  /** How the screen is captured (`--capture damage|ffmpeg`). */
  capture: CaptureMethod;
  /** Accept sessions without asking the ward user (an administrator's choice for unattended PCs, CON3). */
  unattended: boolean;
  /** Record every session (mandatory, the default); false only by an administrator's choice (`--recording off`). */
  recording: boolean;
  /** The hospital admin's Ed25519 public key (raw) that signs recording policies (POL4). */
  policyKey?: Uint8Array;
  /** Networks a technician may connect from on a direct (not relayed) path (ACL on the host). */
  allowedPeers: string[];
  /** Bounds of the live video's bitrate, kbit/s (see withVideoBitrate). */
  videoBitrate: VideoBitrate;
  logLevel: string;
}

/**
 * Builds the configuration from flags (`--broker`, `--ca`, `--data-dir`,
 * `--name`, `--enroll`, `--display`, `--ui-port`, `--fps`, `--unattended yes|no`, `--allow-peers
 * <cidr,...>`, `--policy-key <key>`, `--recording on|off`, `--max-bitrate <kbit/s>`, `--capture damage|ffmpeg`) over environment
 * variables (`WARDLINK_BROKER_URL`, `WARDLINK_CA_FILE`, `WARDLINK_AGENT_DATA_DIR`,
 * `WARDLINK_HOST_NAME`, `WARDLINK_ENROLL_TOKEN`, `DISPLAY`, `WARDLINK_UI_PORT`, `WARDLINK_UNATTENDED`, `WARDLINK_ALLOW_PEERS`, `WARDLINK_POLICY_KEY`, `WARDLINK_RECORDING`,
 * `WARDLINK_MAX_BITRATE`, `WARDLINK_CAPTURE`, `WARDLINK_LOG_LEVEL`) over defaults.
 */
export function loadAgentConfig(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--') && i + 1 < argv.length) flags[arg.slice(2)] = argv[++i]!;
  }
  const brokerUrl = flags['broker'] ?? env['WARDLINK_BROKER_URL'];
  if (!brokerUrl) throw new Error('Set the broker URL: --broker https://host:port (or WARDLINK_BROKER_URL).');
  const url = new URL(brokerUrl);
  if (url.protocol !== 'https:') throw new Error('The broker URL must use https.');
  const display = flags['display'] ?? env['DISPLAY'];
  if (!display) throw new Error('No X display: set DISPLAY or --display :0.');
  const uiPort = Number(flags['ui-port'] ?? env['WARDLINK_UI_PORT'] ?? 7420);
  if (!Number.isInteger(uiPort) || uiPort < 0 || uiPort > 65535) throw new Error('--ui-port must be 0-65535.');
  const fps = Number(flags['fps'] ?? 30);
  if (!(fps >= 1 && fps <= 60)) throw new Error('--fps must be 1-60.');
  const unattendedText = flags['unattended'] ?? env['WARDLINK_UNATTENDED'] ?? 'no';
  if (!['yes', 'no', 'true', 'false', '1', '0'].includes(unattendedText)) throw new Error('--unattended must be yes or no.');
  const peersText = flags['allow-peers'] ?? env['WARDLINK_ALLOW_PEERS'];
  const allowedPeers = peersText === undefined ? [...LOCAL_NETWORKS] : peersText.split(',').map((c) => c.trim()).filter(Boolean);
  for (const cidr of allowedPeers) {
    try {
      parseCidr(cidr);
    } catch (err) {
      throw new Error(`--allow-peers: ${(err as Error).message}`);
    }
  }
  const recordingText = flags['recording'] ?? env['WARDLINK_RECORDING'] ?? 'on';
  if (!['on', 'off'].includes(recordingText)) throw new Error('--recording must be on or off.');
  const policyKeyText = flags['policy-key'] ?? env['WARDLINK_POLICY_KEY'];
  if (policyKeyText !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(policyKeyText)) {
    throw new Error('--policy-key must be the 43-character key printed by `wardlink policy keygen`.');
  }
  const maxKbps = Number(flags['max-bitrate'] ?? env['WARDLINK_MAX_BITRATE'] ?? DEFAULT_VIDEO_BITRATE.maxKbps);
  if (!Number.isInteger(maxKbps) || maxKbps < 300 || maxKbps > 100_000) throw new Error('--max-bitrate must be 300-100000 (kbit/s).');
  const capture = flags['capture'] ?? env['WARDLINK_CAPTURE'] ?? 'damage';
  if (capture !== 'damage' && capture !== 'ffmpeg') throw new Error('--capture must be damage or ffmpeg.');
  const caFile = flags['ca'] ?? env['WARDLINK_CA_FILE'];
  const enrollToken = flags['enroll'] ?? env['WARDLINK_ENROLL_TOKEN'];
  return {
    brokerUrl: url.origin,
    ...(caFile ? { caFile: resolve(caFile) } : {}),
    dataDir: resolve(flags['data-dir'] ?? env['WARDLINK_AGENT_DATA_DIR'] ?? 'data/agent'),
    name: flags['name'] ?? env['WARDLINK_HOST_NAME'] ?? hostname(),
    ...(enrollToken ? { enrollToken } : {}),
    display,
    uiHost: '127.0.0.1',
    uiPort,
    uiDir: resolve(import.meta.dirname, '..', 'dist', 'ui'),
    fps,
    capture,
    unattended: ['yes', 'true', '1'].includes(unattendedText),
    recording: recordingText === 'on',
    allowedPeers,
    videoBitrate: { maxKbps, startKbps: Math.min(DEFAULT_VIDEO_BITRATE.startKbps, maxKbps) },
    ...(policyKeyText ? { policyKey: new Uint8Array(Buffer.from(policyKeyText, 'base64url')) } : {}),
    logLevel: flags['log-level'] ?? env['WARDLINK_LOG_LEVEL'] ?? 'info',
  };
}
