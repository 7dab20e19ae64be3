import { pino } from 'pino';
import { BrokerClient } from './broker/BrokerClient.ts';
import type { AgentConfig } from './config.ts';
import { DeviceIdentity } from './identity/DeviceIdentity.ts';
import { createPlatform } from './platform/index.ts';
import { ScreenRecorderEncoder } from './recording/encoder/index.ts';
import { RecordingPolicy } from './recording/RecordingPolicy.ts';
import { Uploader } from './recording/Uploader.ts';
import { PinGate } from './session/PinGate.ts';
import { SessionController, type SessionRecording } from './session/SessionController.ts';
import { WardServer } from './ui/WardServer.ts';

/** A started host agent. */
export interface RunningAgent {
  /** URL of the ward user's page. */
  uiUrl: string;
  controller: SessionController;
  /** Ends any session and disconnects. Safe to call twice. */
  close(): Promise<void>;
}

/** Composition root of the host agent: identity, broker link, platform, session control, ward page. */
export async function startAgent(config: AgentConfig): Promise<RunningAgent> {
  const log = pino({ name: 'host-agent', level: config.logLevel });
  const identity = DeviceIdentity.load(config.dataDir);
  const broker = new BrokerClient({
    brokerUrl: config.brokerUrl,
    identity,
    name: config.name,
    log: log.child({ name: 'host-agent:broker' }),
    ...(config.caFile ? { caFile: config.caFile } : {}),
    ...(config.enrollToken ? { enrollToken: config.enrollToken } : {}),
  });
  const platform = createPlatform({ display: config.display, fps: config.fps, capture: config.capture });
  // Parts left in the spool by an earlier run are uploaded whether or not this run records.
  const uploader = new Uploader({ dataDir: config.dataDir, link: broker, log: log.child({ name: 'host-agent:upload' }) });
  let recording: SessionRecording | undefined;
  if (config.recording) {
    const policy = new RecordingPolicy({
      dataDir: config.dataDir,
      adminKey: config.policyKey,
      fetch: () => broker.getPolicy(),
      log: log.child({ name: 'host-agent:policy' }),
    });
    const recorderLog = log.child({ name: 'host-agent:recorder' });
    recording = {
      policy: () => policy.current(),
      signer: { publicKey: new Uint8Array(Buffer.from(identity.publicKey, 'base64url')), sign: (m) => identity.signBytes(m) },
      sink: uploader,
      newEncoder: (events) => new ScreenRecorderEncoder(
          { display: config.display, grab: platform.recorderGrab, grabFps: platform.recorderGrabFps, logger: recorderLog },
          events,
        ),
      windowTitle: () => platform.windowTitle.title(),
    };
    if (!config.policyKey) {
      log.error('Sessions must be recorded but no admin policy key is set (--policy-key): every session will be refused.');
    }
  } else {
    log.warn('Session recording is off on this PC (--recording off).');
  }
  const controller = new SessionController({
    hostName: config.name,
    broker,
    gate: new PinGate(config.dataDir),
    unattended: config.unattended,
    allowedPeers: config.allowedPeers,
    videoBitrate: config.videoBitrate,
    ...(recording ? { recording } : {}),
    newCapture: platform.newCapture,
    input: platform.input,
    log: log.child({ name: 'host-agent:session' }),
  });
  const ward = new WardServer({
    controller,
    uiDir: config.uiDir,
    host: config.uiHost,
    port: config.uiPort,
    log: log.child({ name: 'host-agent:ward' }),
  });
  await broker.start();
  const uiUrl = await ward.listen();
  log.info({ uiUrl }, 'ward page ready');

  let closing: Promise<void> | undefined;
  return {
    uiUrl,
    controller,
    close: () =>
      (closing ??= (async () => {
        controller.close();
        // The manifest of a session just ended is sealed and spooled before the agent stops.
        await controller.drain();
        await uploader.flushed(3000).catch(() => log.warn('recording parts stay in the spool for the next start'));
        uploader.close();
        await ward.close();
        broker.close();
        platform.input.close();
        platform.windowTitle.close();
      })()),
  };
}
