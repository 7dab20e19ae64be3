import { pino } from 'pino';
import { BrokerClient } from './broker/BrokerClient.ts';
import type { AgentConfig } from './config.ts';
import { DeviceIdentity } from './identity/DeviceIdentity.ts';
import { createPlatform } from './platform/index.ts';
import { PinGate } from './session/PinGate.ts';
import { SessionController } from './session/SessionController.ts';
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
  const platform = createPlatform({ display: config.display, fps: config.fps });
  const controller = new SessionController({
    hostName: config.name,
    broker,
    gate: new PinGate(config.dataDir),
    unattended: config.unattended,
    allowedPeers: config.allowedPeers,
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
        await ward.close();
        broker.close();
        platform.input.close();
      })()),
  };
}
