/**
 * Bus throughput on the local stack's real broker, each figure beside a baseline of bare
 * kafkajs doing the same work in the same run (same broker, topic layout, acks and
 * idempotence). What the bus adds: envelope encode/decode and validation, a span per
 * message with context in headers, retry/dead-letter bookkeeping, commit-after-handling.
 *
 *   npx nx run bench:bus          (BENCH_MESSAGES=20000 by default; needs npm run stack:up)
 */
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { EventBus } from '@weave/bus';
import { encodeEnvelope } from '@weave/contracts';
import { sampleIncidentEnvelope, uniqueName } from '@weave/testing';
import { CompressionTypes, Partitioners, type Kafka } from 'kafkajs';
import pino from 'pino';
import { perSecond, percentile, printTable, type Row } from './bench-report';

const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 20_000);
const CONCURRENCY = 64;
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

// Spans are recorded and batched as in a service, then discarded: the cost of tracing is in.
const discard: SpanExporter = { export: (_spans: ReadableSpan[], done) => done({ code: 0 }), shutdown: async () => undefined };
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard)] });
provider.register();

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Runs `total` tasks with at most `concurrency` outstanding; returns each task's latency. */
async function pool(total: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

async function waitFor(predicate: () => boolean, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function main(): Promise<void> {
  const logger = pino({ level: 'warn' });
  const bus = new EventBus({ brokers, clientId: uniqueName('bench') }, logger);
  await bus.connect();
  const kafka: Kafka = bus.kafka;
  const bare = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await bare.connect();

  const envelopes = Array.from({ length: MESSAGES }, (_, i) => sampleIncidentEnvelope(i, 'abcdefgh'[i % 8]));
  const envelopeAt = (i: number) => envelopes[i % envelopes.length] ?? sampleIncidentEnvelope(i);
  const busTopic = `weave.bench.${uniqueName('bus')}.v1`;
  const bareTopic = `weave.bench.${uniqueName('bare')}.v1`;
  await bus.ensureTopics([
    { name: busTopic, partitions: 3 },
    { name: bareTopic, partitions: 3 },
  ]);
  console.log(`bus throughput: ${MESSAGES} police incident envelopes (${encodeEnvelope(envelopeAt(0)).length} bytes each), 3 partitions, acks=-1, idempotent`);

  // Publish: the same number of awaited sends, CONCURRENCY outstanding; both encode the envelope.
  const busPublish = await timed(() => pool(MESSAGES, CONCURRENCY, (i) => bus.publisher.publish(busTopic, envelopeAt(i))));
  const barePublish = await timed(() =>
    pool(MESSAGES, CONCURRENCY, (i) => {
      const envelope = envelopeAt(i);
      return bare.send({
        topic: bareTopic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: [{ key: envelope.subjects[0]?.pseudonym ?? envelope.eventId, value: encodeEnvelope(envelope) }],
      });
    }),
  );

  // Consume what was published, timed from the first message handed over to the last (group
  // joins are reported apart). The bus decodes, validates, traces and commits after the
  // handler; the baseline hands raw messages to a no-op and commits per batch.
  const consumeTimes = { busFirst: 0, busLast: 0, bareFirst: 0, bareLast: 0 };
  let busSeen = 0;
  const busJoin = await timed(async () => {
    await bus.subscribe({
      groupId: uniqueName('bench-bus'),
      topics: [busTopic],
      partitionsConsumedConcurrently: 3,
      handler: async () => {
        if (busSeen++ === 0) consumeTimes.busFirst = performance.now();
        if (busSeen === MESSAGES) consumeTimes.busLast = performance.now();
      },
    });
  });
  await waitFor(() => busSeen >= MESSAGES);
  let bareSeen = 0;
  const consumer = kafka.consumer({ groupId: uniqueName('bench-bare') });
  const bareJoin = await timed(async () => {
    await consumer.connect();
    await consumer.subscribe({ topic: bareTopic, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async () => {
        if (bareSeen++ === 0) consumeTimes.bareFirst = performance.now();
        if (bareSeen === MESSAGES) consumeTimes.bareLast = performance.now();
      },
    });
  });
  await waitFor(() => bareSeen >= MESSAGES);
  const busConsumeMs = consumeTimes.busLast - consumeTimes.busFirst;
  const bareConsumeMs = consumeTimes.bareLast - consumeTimes.bareFirst;

  const rows: Row[] = [
    {
      scenario: `publish msgs/s (${CONCURRENCY} outstanding)`,
      measured: String(perSecond(MESSAGES, busPublish.ms)),
      baseline: String(perSecond(MESSAGES, barePublish.ms)),
      ratio: `${((barePublish.ms / busPublish.ms) * 100).toFixed(0)}% of baseline`,
    },
    {
      scenario: 'publish latency p50 ms',
      measured: percentile(busPublish.value, 50).toFixed(2),
      baseline: percentile(barePublish.value, 50).toFixed(2),
      ratio: `${(percentile(busPublish.value, 50) / percentile(barePublish.value, 50)).toFixed(2)}x`,
    },
    {
      scenario: 'publish latency p99 ms',
      measured: percentile(busPublish.value, 99).toFixed(2),
      baseline: percentile(barePublish.value, 99).toFixed(2),
      ratio: `${(percentile(busPublish.value, 99) / percentile(barePublish.value, 99)).toFixed(2)}x`,
    },
    {
      scenario: 'consume msgs/s (first to last message)',
      measured: String(perSecond(MESSAGES, busConsumeMs)),
      baseline: String(perSecond(MESSAGES, bareConsumeMs)),
      ratio: `${((bareConsumeMs / busConsumeMs) * 100).toFixed(0)}% of baseline`,
    },
    {
      scenario: 'subscribe until running ms',
      measured: busJoin.ms.toFixed(0),
      baseline: bareJoin.ms.toFixed(0),
      ratio: 'bus also creates the dead-letter topic',
    },
  ];
  printTable('weave bus vs bare kafkajs (same run, same broker)', rows);
  console.log(`  peak RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);

  await consumer.disconnect();
  await bare.disconnect();
  await bus.close();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [busTopic, bareTopic] }).catch(() => undefined);
  await admin.disconnect();
  await provider.shutdown();
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
