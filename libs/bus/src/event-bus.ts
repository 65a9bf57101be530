import type { TopicSpec } from '@weave/contracts';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { Subscription, type SubscribeOptions } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { createKafka, type KafkaConnectionOptions } from './kafka-client';
import { ensureTopics } from './topic-admin';

/**
 * A service's whole use of Kafka: one idempotent publisher and any number of
 * subscriptions, shut down in the right order (consumers finish their message and
 * commit before the producer that dead-letters for them closes).
 */
export class EventBus {
  readonly kafka: Kafka;
  readonly publisher: EventPublisher;
  private readonly subscriptions: Subscription[] = [];
  private closed = false;

  constructor(
    options: KafkaConnectionOptions,
    private readonly logger: Logger,
  ) {
    this.kafka = createKafka(options, logger);
    this.publisher = new EventPublisher(this.kafka, logger);
  }

  async connect(): Promise<void> {
    await this.publisher.connect();
  }

  /** Creates missing topics and waits for their leaders. */
  ensureTopics(topics: readonly Pick<TopicSpec, 'name' | 'partitions'>[]): Promise<string[]> {
    return ensureTopics(this.kafka, topics.map((t) => ({ name: t.name, partitions: t.partitions })));
  }

  /** Starts consuming; the group's dead-letter topic is created first. */
  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new Error('event bus is closed');
    const subscription = new Subscription(this.kafka, this.publisher, this.logger, options);
    await this.ensureTopics([{ name: subscription.deadLetterTopic, partitions: 1 }]);
    this.subscriptions.push(subscription);
    await subscription.start();
    return subscription;
  }

  /** NestJS hook: after RPCs have stopped, before the database closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.subscriptions.map((s) => s.stop()));
    await this.publisher.disconnect();
  }
}
