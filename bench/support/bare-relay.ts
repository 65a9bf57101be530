/**
 * The fan-out benchmark's baseline: a bare kafkajs consume-and-produce relay. It reads the
 * ingress topic in batches and writes every message, unchanged, to three egress topics in one
 * produce request per batch (idempotent, acks from all replicas), then commits.
 *
 *   node -r ./tools/register.js bench/support/bare-relay.ts <group> <ingress> <egress-a> <egress-b> <egress-c>
 */
import { createKafka } from '@weave/bus';
import { testStack } from '@weave/testing';
import { CompressionTypes, Partitioners } from 'kafkajs';
import pino from 'pino';

async function main(): Promise<void> {
  const [groupId = '', ingress = '', ...egress] = process.argv.slice(2);
  const stack = testStack();
  const kafka = createKafka({ brokers: stack.kafkaBrokers, ssl: stack.kafkaSsl, clientId: `bare-relay-${process.pid}` }, pino({ level: 'warn' }));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: ingress, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const messages = batch.messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers }));
      await producer.sendBatch({ acks: -1, compression: CompressionTypes.None, topicMessages: egress.map((topic) => ({ topic, messages })) });
      const last = batch.messages[batch.messages.length - 1];
      if (last) resolveOffset(last.offset);
      await heartbeat();
    },
  });
  process.stdout.write('RELAYING\n');
  process.on('SIGTERM', () => {
    void consumer.disconnect().then(() => producer.disconnect()).finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bare relay failed: ${String(err)}\n`);
  process.exit(1);
});
