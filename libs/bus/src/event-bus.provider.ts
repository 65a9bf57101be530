import type { FactoryProvider } from '@nestjs/common';
import type { Logger } from 'pino';
import { EventBus } from './event-bus';
import { kafkaTlsFiles } from './kafka-client';
import type { TopicRequest } from './topic-admin';

export interface EventBusProviderOptions {
  readonly kafkaBrokers: readonly string[];
  readonly kafkaClientId: string;
  /** Mutual TLS files (kafkaVariables in @weave/config): all three or none; none is plaintext. */
  readonly kafkaTlsCa?: string | undefined;
  readonly kafkaTlsCert?: string | undefined;
  readonly kafkaTlsKey?: string | undefined;
  /** Topics this service publishes to or consumes; created (leaders awaited) before use. */
  readonly topics: readonly TopicRequest[];
}

/** A NestJS provider of a connected EventBus; NestJS closes it at shutdown. */
export function eventBusProvider(options: EventBusProviderOptions, logger: Logger): FactoryProvider<EventBus> {
  return {
    provide: EventBus,
    useFactory: async () => {
      const ssl = kafkaTlsFiles({ ca: options.kafkaTlsCa, cert: options.kafkaTlsCert, key: options.kafkaTlsKey });
      const bus = new EventBus({ brokers: options.kafkaBrokers, clientId: options.kafkaClientId, ssl }, logger);
      await bus.ensureTopics(options.topics);
      await bus.connect();
      return bus;
    },
  };
}
