import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { EventBus, eventBusProvider } from '@weave/bus';
import { adapterProtectionConfig, type ConfigOf } from '@weave/config';
import { TopicCatalogue, Topics } from '@weave/contracts';
import { Database, grpcServerProvider } from '@weave/runtime';
import { createLogger } from '@weave/telemetry';
import { DisclosureInbox } from './disclosure-inbox.service';
import { ReceivedEventsRepository } from './received-events.repository';

export type AdapterProtectionConfig = ConfigOf<typeof adapterProtectionConfig.variables>;

export const MIGRATIONS_DIR = join(__dirname, '../migrations');

@Module({})
export class AdapterProtectionModule {
  static forRoot(config: AdapterProtectionConfig): DynamicModule {
    const logger = createLogger('adapter-protection');
    return {
      module: AdapterProtectionModule,
      providers: [
        {
          provide: Database,
          useFactory: async () => {
            const database = new Database(config.databaseUrl, config.databaseSchema, 'adapter-protection', config.databasePoolSize);
            await database.migrate(MIGRATIONS_DIR);
            return database;
          },
        },
        eventBusProvider({ ...config, topics: TopicCatalogue.filter((t) => t.name === Topics.ProtectionEgress) }, logger),
        {
          provide: ReceivedEventsRepository,
          inject: [Database],
          useFactory: (db: Database) => new ReceivedEventsRepository(db.pool, db.schema),
        },
        {
          provide: DisclosureInbox,
          inject: [EventBus, ReceivedEventsRepository],
          useFactory: (bus: EventBus, repository: ReceivedEventsRepository) =>
            new DisclosureInbox(bus, repository, config.kafkaConsumerGroup, config.handlerMaxAttempts, logger),
        },
        grpcServerProvider({ config, protoFiles: ['weave/common/v1/envelope.proto'] }, logger),
      ],
    };
  }
}
