import { Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import { EventBus, eventBusProvider } from '@weave/bus';
import { gatewayConfig, type ConfigOf } from '@weave/config';
import {
  BreakGlassReviewServiceService,
  ConsentServiceService,
  DisclosureServiceService,
  SubjectRole,
  TopicCatalogue,
  egressTopic,
  ingressTopic,
} from '@weave/contracts';
import { Database, RedisConnection, clientCredentials, grpcServerProvider } from '@weave/runtime';
import { createLogger } from '@weave/telemetry';
import { BreakGlassRepository } from './break-glass/break-glass.repository';
import { EventFanout } from './fanout/event-fanout.service';
import { consentService } from './grpc/consent.grpc';
import { disclosureService } from './grpc/disclosure.grpc';
import { reviewService } from './grpc/review.grpc';
import { DisclosureLedger, GATEWAY_MIGRATIONS_DIR, OutboxRelay } from './ledger';
import { PolicyStore } from './policy/policy-store';
import { DataHolderClients } from './query/data-holder-clients';
import { DisclosureQueryService } from './query/disclosure-query.service';
import { QueryRateLimiter } from './rate-limit/query-rate-limiter';
import {
  ConsentRepository,
  DecisionFactsRepository,
  InvolvementRepository,
  REGISTRY_TOPICS,
  dataCategoryOf as dataCategory,
  registryEventsHandler,
} from './registry';

export type GatewayConfig = ConfigOf<typeof gatewayConfig.variables>;

/** Ingress and egress topics of every agency system in the directory (not weave's own). */
function systemTopics(store: PolicyStore): { ingress: string[]; egress: string[] } {
  const systems = [...store.current().directory.systems.values()];
  return {
    ingress: systems.filter((s) => s.agency !== 'weave').map((s) => ingressTopic(s.id)),
    egress: systems.map((s) => egressTopic(s.id)),
  };
}

/** Starts the consumers and the outbox relay once every provider is ready. */
class GatewayConsumers implements OnApplicationBootstrap {
  constructor(
    private readonly bus: EventBus,
    private readonly fanout: EventFanout,
    private readonly involvements: InvolvementRepository,
    private readonly store: PolicyStore,
    private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.store.watch();
    await this.bus.subscribe({
      groupId: this.config.registryConsumerGroup,
      topics: REGISTRY_TOPICS,
      retry: { maxAttempts: this.config.handlerMaxAttempts },
      handler: registryEventsHandler(this.involvements),
    });
    await this.bus.subscribe({
      groupId: this.config.kafkaConsumerGroup,
      topics: systemTopics(this.store).ingress,
      retry: { maxAttempts: this.config.handlerMaxAttempts },
      partitionsConsumedConcurrently: 3,
      maxBatchSize: 100,
      batchHandler: async (items) => {
        await this.fanout.handleBatch(items.map((i) => ({ event: i.event, context: i.context, traceId: trace.getSpanContext(i.context)?.traceId ?? '' })));
      },
      handler: async (event) => {
        await this.fanout.handle(event, trace.getActiveSpan()?.spanContext().traceId ?? '', context.active());
      },
    });
  }
}

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const logger = createLogger('gateway');
    const store = PolicyStore.fromPaths(config.policyFile, config.directoryFile, logger);
    const topics = systemTopics(store);
    const tls = { caPath: config.grpcTlsCa };
    return {
      module: GatewayModule,
      providers: [
        { provide: PolicyStore, useValue: store },
        {
          provide: Database,
          useFactory: async () => {
            const database = new Database(config.databaseUrl, config.databaseSchema, 'gateway', config.databasePoolSize);
            await database.migrate(GATEWAY_MIGRATIONS_DIR);
            return database;
          },
        },
        { provide: RedisConnection, useFactory: () => new RedisConnection(config.redisUrl, 'gateway') },
        eventBusProvider(
          {
            ...config,
            topics: [
              ...TopicCatalogue,
              ...[...topics.ingress, ...topics.egress].filter((t) => !TopicCatalogue.some((c) => c.name === t)).map((name) => ({ name, partitions: 3 })),
            ],
          },
          logger,
        ),
        {
          provide: DisclosureLedger,
          inject: [Database],
          useFactory: (db: Database) => {
            const ledger = new DisclosureLedger(db.pool, db.schema, logger, { maxBatch: config.ledgerMaxBatch });
            db.onClose(() => ledger.close());
            return ledger;
          },
        },
        {
          provide: OutboxRelay,
          inject: [Database, EventBus],
          useFactory: (db: Database, bus: EventBus) => new OutboxRelay(db.pool, db.schema, bus.publisher, logger),
        },
        { provide: ConsentRepository, inject: [Database], useFactory: (db: Database) => new ConsentRepository(db.pool, db.schema) },
        { provide: InvolvementRepository, inject: [Database], useFactory: (db: Database) => new InvolvementRepository(db.pool, db.schema) },
        { provide: DecisionFactsRepository, inject: [Database], useFactory: (db: Database) => new DecisionFactsRepository(db.pool, db.schema) },
        { provide: BreakGlassRepository, inject: [Database], useFactory: (db: Database) => new BreakGlassRepository(db.pool, db.schema) },
        {
          provide: DataHolderClients,
          useFactory: () =>
            new DataHolderClients(
              config.dataHolders,
              clientCredentials({ certPath: config.clientTlsCert, keyPath: config.clientTlsKey, caPath: tls.caPath }),
              config.holderTimeoutMs,
            ),
        },
        {
          provide: QueryRateLimiter,
          inject: [RedisConnection],
          useFactory: (redis: RedisConnection) => new QueryRateLimiter(redis.redis, config.queryRateLimit),
        },
        {
          provide: DisclosureQueryService,
          inject: [DecisionFactsRepository, InvolvementRepository, DataHolderClients, DisclosureLedger, QueryRateLimiter, BreakGlassRepository],
          useFactory: (
            facts: DecisionFactsRepository,
            involvements: InvolvementRepository,
            holders: DataHolderClients,
            ledger: DisclosureLedger,
            rate: QueryRateLimiter,
            breakGlass: BreakGlassRepository,
          ) =>
            new DisclosureQueryService(
              {
                store,
                loadFacts: (unit, persons, now) => facts.loadMany(unit, persons, now),
                familyMembers: (family) => involvements.familyMembers(family),
                servesAnyAsClient: (unit, persons, now) => involvements.servesAnyAsClient(unit, persons, now),
                lookup: (system, request) => holders.lookup(system, { ...request, categories: request.categories.map(dataCategory) }),
                hasHolder: (system) => holders.has(system),
                append: (entry, effect) => ledger.append(entry, effect),
                takeRate: (unit, now) => rate.take(unit, now),
                breakGlassEffect: async (draft) => breakGlass.effectFor(draft, await involvements.leadUnitsOf(draft.subject, draft.grantedAt).catch(() => []), store.current().directory),
                recordRelations: async (records, sourceId) => {
                  for (const record of records) {
                    if (record.related.length === 0) continue;
                    await involvements.recordRelationsFromSubjects(
                      [{ pseudonym: record.subjectPseudonym, role: SubjectRole.SUBJECT_ROLE_VICTIM }, ...record.related],
                      `lookup:${sourceId}`,
                    );
                  }
                },
                now: () => new Date(),
              },
              logger,
            ),
        },
        {
          provide: EventFanout,
          inject: [DecisionFactsRepository, InvolvementRepository, DisclosureLedger, EventBus],
          useFactory: (facts: DecisionFactsRepository, involvements: InvolvementRepository, ledger: DisclosureLedger, bus: EventBus) =>
            new EventFanout(
              {
                store,
                loadFacts: (unit, persons, now) => facts.loadMany(unit, persons, now),
                recordRelationsFromSubjects: (subjects, id) => involvements.recordRelationsFromSubjects(subjects, id),
                append: (entry) => ledger.append(entry),
                publishMany: (topic, items) => bus.publisher.publishMany(topic, items),
                now: () => new Date(),
              },
              logger,
            ),
        },
        {
          provide: GatewayConsumers,
          inject: [EventBus, EventFanout, InvolvementRepository],
          useFactory: (bus: EventBus, fanout: EventFanout, involvements: InvolvementRepository) => new GatewayConsumers(bus, fanout, involvements, store, config),
        },
        grpcServerProvider(
          {
            config,
            protoFiles: ['weave/gateway/v1/disclosure.proto', 'weave/gateway/v1/consent.proto', 'weave/gateway/v1/review.proto'],
            inject: [DisclosureQueryService, ConsentRepository, DecisionFactsRepository, BreakGlassRepository],
            services: (queries: DisclosureQueryService, consents: ConsentRepository, facts: DecisionFactsRepository, reviews: BreakGlassRepository) => [
              { definition: DisclosureServiceService, implementation: disclosureService(store, queries, logger) },
              { definition: ConsentServiceService, implementation: consentService(store, consents, facts, logger) },
              { definition: BreakGlassReviewServiceService, implementation: reviewService(store, reviews, logger) },
            ],
          },
          logger,
        ),
      ],
    };
  }
}
