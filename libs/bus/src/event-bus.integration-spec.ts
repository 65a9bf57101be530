import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { encodeEnvelope, type DecodedEvent } from '@weave/contracts';
import { expectEventually, incidentIdOf, sampleIncidentEnvelope, testStack, uniqueName } from '@weave/testing';
import type { KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { EventBus } from './event-bus';
import { PermanentHandlerError } from './retry-policy';
import { headerStrings } from './message-headers';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

const buses: EventBus[] = [];
async function newBus(): Promise<EventBus> {
  const bus = new EventBus({ brokers: testStack().kafkaBrokers, ssl: testStack().kafkaSsl, clientId: uniqueName('bus-test') }, logger);
  await bus.connect();
  buses.push(bus);
  return bus;
}

/** Reads a topic from the beginning with a throwaway group, collecting raw messages. */
async function collectRaw(bus: EventBus, topic: string): Promise<KafkaMessage[]> {
  const messages: KafkaMessage[] = [];
  const consumer = bus.kafka.consumer({ groupId: uniqueName('collector') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  collectors.push(consumer);
  return messages;
}
const collectors: { disconnect(): Promise<void> }[] = [];

afterAll(async () => {
  await Promise.all(collectors.map((c) => c.disconnect()));
  await Promise.all(buses.map((b) => b.close()));
  await provider.shutdown();
});

describe('EventBus on a real broker', () => {
  it('delivers an event with one trace: publish span is the parent of the process span', async () => {
    const bus = await newBus();
    const topic = `weave.test.${uniqueName('trace')}.v1`;
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const received: DecodedEvent[] = [];
    const groupId = uniqueName('trace-group');
    const sub = await bus.subscribe({ groupId, topics: [topic], handler: async (e) => void received.push(e) });
    await sub.ready;

    const envelope = sampleIncidentEnvelope(1);
    await bus.publisher.publish(topic, envelope);

    await expectEventually(() => expect(received).toHaveLength(1));
    expect(received[0]?.envelope.eventId).toBe(envelope.eventId);
    const spans = await expectEventually(() => {
      const found = exporter.getFinishedSpans().filter((s) => s.attributes['messaging.destination.name'] === topic);
      expect(found.map((s) => s.name).sort()).toEqual([`${topic} process`, `${topic} publish`]);
      return found;
    });
    const publish = spans.find((s) => s.kind === SpanKind.PRODUCER);
    const process = spans.find((s) => s.kind === SpanKind.CONSUMER);
    expect(process?.spanContext().traceId).toBe(publish?.spanContext().traceId);
    expect(process?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
    expect(process?.attributes['messaging.consumer.group.name']).toBe(groupId);
    expect(received[0]?.envelope.traceContext?.traceparent).toContain(publish?.spanContext().traceId);
  });

  it('dead-letters malformed messages with the reason while valid ones behind them keep flowing', async () => {
    const bus = await newBus();
    const topic = `weave.test.${uniqueName('poison')}.v1`;
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const groupId = uniqueName('poison-group');
    const handled: string[] = [];
    const sub = await bus.subscribe({ groupId, topics: [topic], handler: async (e) => void handled.push(incidentIdOf(e.payload)) });

    const undecodable = { ...sampleIncidentEnvelope(2), payload: Buffer.from([0xff, 0xff, 0xff, 0xff]) };
    await bus.publisher.publish(topic, sampleIncidentEnvelope(1));
    await bus.publisher.publishRaw(topic, { key: 'k', value: Buffer.from('{"not":"an envelope"}'), headers: {} });
    await bus.publisher.publishRaw(topic, { key: 'k', value: encodeEnvelope(undecodable), headers: {} });
    await bus.publisher.publish(topic, { ...sampleIncidentEnvelope(3), eventType: 'police.incident.teleported.v1' });
    await bus.publisher.publish(topic, sampleIncidentEnvelope(4));

    await expectEventually(() => expect(handled).toEqual(['TEST-1', 'TEST-4']));
    const dead = await collectRaw(bus, sub.deadLetterTopic);
    await expectEventually(() => expect(dead).toHaveLength(3));
    const facts = dead.map((m) => headerStrings(m.headers));
    expect(facts.map((h) => h['weave.dlq.failure'])).toEqual(['not-an-envelope', 'payload-undecodable', 'unknown-event-type']);
    expect(facts.map((h) => h['weave.dlq.original_offset'])).toEqual(['1', '2', '3']);
    for (const h of facts) {
      expect(h['weave.dlq.original_topic']).toBe(topic);
      expect(h['weave.dlq.original_partition']).toBe('0');
      expect(h['weave.dlq.consumer_group']).toBe(groupId);
      expect(h['weave.dlq.reason']?.length).toBeGreaterThan(10);
    }
    expect(dead[0]?.value?.toString()).toBe('{"not":"an envelope"}');
  });

  it('retries a failing handler with backoff, then dead-letters it; transient failures recover', async () => {
    const bus = await newBus();
    const topic = `weave.test.${uniqueName('retry')}.v1`;
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const attempts = new Map<string, number>();
    const handled: string[] = [];
    const sub = await bus.subscribe({
      groupId: uniqueName('retry-group'),
      topics: [topic],
      retry: { maxAttempts: 3, initialBackoffMs: 20, maxBackoffMs: 50 },
      handler: async (e) => {
        const id = incidentIdOf(e.payload);
        const n = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, n);
        if (id === 'TEST-1') throw new Error('downstream unavailable for A123456789');
        if (id === 'TEST-2' && n < 3) throw new Error('flaky');
        if (id === 'TEST-3') throw new PermanentHandlerError('record refers to an unknown unit');
        handled.push(id);
      },
    });
    for (const n of [1, 2, 3, 4]) await bus.publisher.publish(topic, sampleIncidentEnvelope(n));

    await expectEventually(() => expect(handled).toEqual(['TEST-2', 'TEST-4']));
    expect(Object.fromEntries(attempts)).toEqual({ 'TEST-1': 3, 'TEST-2': 3, 'TEST-3': 1, 'TEST-4': 1 });
    const dead = await collectRaw(bus, sub.deadLetterTopic);
    await expectEventually(() => expect(dead).toHaveLength(2));
    const facts = dead.map((m) => headerStrings(m.headers));
    expect(facts.map((h) => [h['weave.dlq.failure'], h['weave.dlq.attempts']])).toEqual([
      ['handler-failed', '3'],
      ['handler-rejected', '1'],
    ]);
    expect(facts[0]?.['weave.dlq.reason']).toContain('downstream unavailable');
    expect(facts[0]?.['weave.dlq.reason']).not.toContain('A123456789');
  });

  it('redelivers to the group what a consumer killed mid-batch had not committed; none lost', async () => {
    const bus = await newBus();
    const topic = `weave.test.${uniqueName('crash')}.v1`;
    const total = 120;
    await bus.ensureTopics([{ name: topic, partitions: 3 }]);
    const seeds = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let n = 1; n <= total; n++) await bus.publisher.publish(topic, sampleIncidentEnvelope(n, seeds[n % seeds.length]));

    const groupId = uniqueName('crash-group');
    const handledFile = join(mkdtempSync(join(tmpdir(), 'weave-crash-')), 'handled.txt');
    const root = resolve(__dirname, '../../..');
    const child = spawn(
      process.execPath,
      ['-r', join(root, 'tools/register.js'), join(__dirname, 'testing/crashing-consumer.ts'), topic, groupId, handledFile, 'TEST-60'],
      { env: { ...process.env }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_code, signal) => done(signal)));
    const lines = () => (existsSync(handledFile) ? readFileSync(handledFile, 'utf8').trim().split('\n') : []);
    await expectEventually(() => expect(lines()).toContain('STUCK TEST-60'), { timeoutMs: 45_000 });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const firstRun = lines().filter((l) => !l.startsWith('STUCK'));
    expect(firstRun).not.toContain('TEST-60');

    const secondRun: string[] = [];
    await bus.subscribe({ groupId, topics: [topic], handler: async (e) => void secondRun.push(incidentIdOf(e.payload)) });
    const all = Array.from({ length: total }, (_, i) => `TEST-${i + 1}`);
    await expectEventually(() => expect(new Set([...firstRun, ...secondRun])).toEqual(new Set(all)), { timeoutMs: 60_000 });
    // The message the killed consumer was holding came back to the group.
    expect(secondRun).toContain('TEST-60');
    expect(firstRun.length).toBeLessThan(total);
  });

  it('commits handled work on a graceful stop, so a restart resumes where it stopped', async () => {
    const bus = await newBus();
    const topic = `weave.test.${uniqueName('stop')}.v1`;
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const groupId = uniqueName('stop-group');
    for (let n = 1; n <= 20; n++) await bus.publisher.publish(topic, sampleIncidentEnvelope(n));
    const first: string[] = [];
    const sub = await bus.subscribe({
      groupId,
      topics: [topic],
      handler: async (e) => {
        first.push(incidentIdOf(e.payload));
        await new Promise((r) => setTimeout(r, 20));
      },
    });
    await expectEventually(() => expect(first.length).toBeGreaterThanOrEqual(5));
    await sub.stop();
    const stoppedAt = first.length;

    const second: string[] = [];
    const bus2 = await newBus();
    await bus2.subscribe({ groupId, topics: [topic], handler: async (e) => void second.push(incidentIdOf(e.payload)) });
    await expectEventually(() => expect(new Set([...first, ...second]).size).toBe(20));
    expect(second).not.toContain(first[0]);
    expect(first).toHaveLength(stoppedAt);
  });

  it('batch mode: hands decoded messages over in chunks, dead-letters the undecodable, and isolates a poison message', async () => {
    const bus = await newBus();
    const topic = `weave.test.${uniqueName('batch')}.v1`;
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const chunks: string[][] = [];
    const oneByOne: string[] = [];
    const sub = await bus.subscribe({
      groupId: uniqueName('batch-group'),
      topics: [topic],
      maxBatchSize: 10,
      retry: { maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 20 },
      batchHandler: async (items) => {
        const ids = items.map((i) => incidentIdOf(i.event.payload));
        if (ids.includes('TEST-13')) throw new Error('one poison message in this chunk');
        chunks.push(ids);
      },
      handler: async (event) => {
        const id = incidentIdOf(event.payload);
        if (id === 'TEST-13') throw new Error('still poison');
        oneByOne.push(id);
      },
    });
    for (let n = 1; n <= 25; n++) {
      if (n === 5) await bus.publisher.publishRaw(topic, { key: 'x', value: Buffer.from('garbage'), headers: {} });
      await bus.publisher.publish(topic, sampleIncidentEnvelope(n));
    }
    await expectEventually(() => expect([...chunks.flat(), ...oneByOne].sort()).toEqual(Array.from({ length: 24 }, (_, i) => `TEST-${i === 12 ? 25 : i + 1}`).sort()));
    // Chunks never exceed the maximum; the failing chunk was retried, then handled one by one.
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(10);
    expect(oneByOne.length).toBeGreaterThan(0);
    expect(oneByOne).not.toContain('TEST-13');
    const dead = await collectRaw(bus, sub.deadLetterTopic);
    await expectEventually(() => expect(dead.map((m) => headerStrings(m.headers)['weave.dlq.failure']).sort()).toEqual(['handler-failed', 'not-an-envelope']));
  });

  it('batch mode: each message keeps its own CONSUMER span, child of its producer span', async () => {
    const bus = await newBus();
    const topic = `weave.test.${uniqueName('batch-trace')}.v1`;
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const seen: string[] = [];
    await bus.subscribe({
      groupId: uniqueName('batch-trace-group'),
      topics: [topic],
      batchHandler: async (items) => {
        for (const item of items) seen.push(trace.getSpanContext(item.context)?.traceId ?? '');
      },
      handler: async () => undefined,
    });
    for (let n = 1; n <= 3; n++) await bus.publisher.publish(topic, sampleIncidentEnvelope(n));
    await expectEventually(() => expect(seen).toHaveLength(3));
    const spans = await expectEventually(() => {
      const found = exporter.getFinishedSpans().filter((x) => x.attributes['messaging.destination.name'] === topic);
      expect(found).toHaveLength(6);
      return found;
    });
    for (const process of spans.filter((x) => x.kind === SpanKind.CONSUMER)) {
      const publish = spans.find((x) => x.spanContext().spanId === process.parentSpanContext?.spanId);
      expect(publish?.kind).toBe(SpanKind.PRODUCER);
      expect(seen).toContain(process.spanContext().traceId);
    }
    expect(new Set(seen).size).toBe(3);
  });
});
