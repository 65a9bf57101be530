/**
 * A consumer in its own process, for the crash test: it records each handled incident id
 * to a file and hangs forever on the incident named by STUCK_ON, so that the parent can
 * SIGKILL it mid-batch. Run with `node -r tools/register.js`.
 */
import { appendFileSync } from 'node:fs';
import pino from 'pino';
import { EventBus } from '../event-bus';
import { incidentIdOf, testStack } from '@weave/testing';

async function main(): Promise<void> {
  const [topic, groupId, handledFile, stuckOn] = process.argv.slice(2) as [string, string, string, string];
  // The parent test's stack settings (KAFKA_BROKERS, KAFKA_TLS_*) are inherited through the environment.
  const stack = testStack();
  const bus = new EventBus({ brokers: stack.kafkaBrokers, ssl: stack.kafkaSsl, clientId: 'crash-test' }, pino({ level: 'silent' }));
  await bus.connect();
  await bus.subscribe({
    groupId,
    topics: [topic],
    // The broker's minimum, so the test does not wait 30 s for the killed member to expire.
    sessionTimeoutMs: 6_000,
    handler: async (event) => {
      const id = incidentIdOf(event.payload);
      if (id === stuckOn) {
        appendFileSync(handledFile, `STUCK ${id}\n`);
        await new Promise(() => undefined);
      }
      appendFileSync(handledFile, `${id}\n`);
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`crashing-consumer failed: ${String(err)}\n`);
  process.exit(1);
});
