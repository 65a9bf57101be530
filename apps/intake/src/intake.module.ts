import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { EventBus, eventBusProvider } from '@weave/bus';
import { intakeConfig, type ConfigOf } from '@weave/config';
import { TopicCatalogue, Topics } from '@weave/contracts';
import { Database, OutboxRelay, grpcServerProvider } from '@weave/runtime';
import { createLogger } from '@weave/telemetry';
import { DispatchDesk } from './dispatch/dispatch-desk';
import { IntakeHttpServer } from './http/intake-http.server';
import { ReportInbox } from './inbox/report-inbox';
import { IntakeMetrics } from './processing/intake-metrics';
import { IntakeProcessor } from './processing/intake-processor';
import { loadIntakeRules, type LoadedIntakeRules } from './rules/intake-rules';

export type IntakeConfig = ConfigOf<typeof intakeConfig.variables>;

export const INTAKE_MIGRATIONS_DIR = join(__dirname, '../migrations');
const INTAKE_TOPICS = [Topics.IntakeEgress, Topics.IntakeIngress, Topics.IntakeDispatches];
const RULES = Symbol('IntakeRules');

@Module({})
export class IntakeModule {
  static forRoot(config: IntakeConfig): DynamicModule {
    const logger = createLogger('intake');
    return {
      module: IntakeModule,
      providers: [
        {
          provide: Database,
          useFactory: async () => {
            const database = new Database(config.databaseUrl, config.databaseSchema, 'intake', config.databasePoolSize);
            await database.migrate(INTAKE_MIGRATIONS_DIR);
            return database;
          },
        },
        eventBusProvider({ ...config, topics: TopicCatalogue.filter((t) => INTAKE_TOPICS.includes(t.name as (typeof INTAKE_TOPICS)[number])) }, logger),
        { provide: IntakeMetrics, useValue: new IntakeMetrics() },
        {
          provide: RULES,
          inject: [Database],
          // Rules files are validated at load: a bad file stops the boot with the file and field named.
          useFactory: (db: Database) => loadIntakeRules(config, db.pool, db.schema, logger),
        },
        {
          provide: IntakeProcessor,
          inject: [Database, RULES, IntakeMetrics],
          useFactory: async (db: Database, rules: LoadedIntakeRules, metrics: IntakeMetrics) => {
            const processor = new IntakeProcessor(db.pool, db.schema, rules.intake, config.unitId, metrics, logger);
            await processor.load();
            return processor;
          },
        },
        {
          provide: DispatchDesk,
          inject: [Database, RULES, IntakeMetrics],
          useFactory: (db: Database, rules: LoadedIntakeRules, metrics: IntakeMetrics) => new DispatchDesk(db.pool, db.schema, rules.desk, metrics, config.escalationIntervalMs, logger),
        },
        {
          provide: OutboxRelay,
          inject: [Database, EventBus],
          useFactory: (db: Database, bus: EventBus) => new OutboxRelay(db.pool, db.schema, bus.publisher, logger, { batchSize: 500 }),
        },
        {
          provide: ReportInbox,
          inject: [EventBus, IntakeProcessor],
          useFactory: (bus: EventBus, processor: IntakeProcessor) => new ReportInbox(bus, processor, config.kafkaConsumerGroup, config.handlerMaxAttempts, config.maxBatch, logger),
        },
        {
          provide: IntakeHttpServer,
          inject: [IntakeProcessor, DispatchDesk, IntakeMetrics],
          useFactory: (processor: IntakeProcessor, desk: DispatchDesk, metrics: IntakeMetrics) => new IntakeHttpServer(config.httpListenAddr, processor, desk, metrics, logger),
        },
        grpcServerProvider({ config, protoFiles: ['weave/common/v1/envelope.proto'] }, logger),
      ],
    };
  }
}
