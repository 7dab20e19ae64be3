// Entry point of the host agent process.
import { loadAgentConfig } from './config.ts';
import { startAgent } from './index.ts';

try {
  const agent = await startAgent(loadAgentConfig());
  process.stdout.write(`wardlink host agent ready. Ward page: ${agent.uiUrl}\nAGENT_READY ${agent.uiUrl}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      // wrtc keeps native threads alive: exit explicitly once cleaned up (see FIELD-NOTES).
      void agent.close().finally(() => process.exit(0));
    });
  }
} catch (err) {
  process.stderr.write(`wardlink host agent could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
