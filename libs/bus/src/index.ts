export { EventBus } from './event-bus';
export { eventBusProvider, type EventBusProviderOptions } from './event-bus.provider';
export { Subscription, type BatchHandler, type BatchItem, type EventHandler, type MessageContext, type SubscribeOptions } from './event-consumer';
export { EventPublisher, type PublishOptions, type PublishResult, type RawMessage } from './event-publisher';
export { createKafka, kafkaTlsFiles, type KafkaConnectionOptions, type KafkaTlsFiles } from './kafka-client';
export { ENVELOPE_CONTENT_TYPE, Headers, deadLetterHeaders, headerStrings, type DeadLetterInfo } from './message-headers';
export { DEFAULT_RETRY_POLICY, PermanentHandlerError, backoffDelayMs, type RetryPolicy } from './retry-policy';
export { ensureTopics, type TopicRequest } from './topic-admin';
export { extractTraceContext, injectTraceContext } from './trace-propagation';
