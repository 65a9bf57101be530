import { Module, type DynamicModule } from '@nestjs/common';
import { EventBus, eventBusProvider } from '@weave/bus';
import { adapterPoliceConfig, type ConfigOf } from '@weave/config';
import { PoliceAdapterServiceService, TopicCatalogue, Topics, type RecordIncidentRequest } from '@weave/contracts';
import { PseudonymKey } from '@weave/identity';
import { RedisConnection, grpcServerProvider, unary } from '@weave/runtime';
import { createLogger } from '@weave/telemetry';
import { IncidentIntake } from './incident-intake.service';

export type AdapterPoliceConfig = ConfigOf<typeof adapterPoliceConfig.variables>;

/** Wires the police adapter: gRPC intake from the police system -> police ingress topic. */
@Module({})
export class AdapterPoliceModule {
  static forRoot(config: AdapterPoliceConfig): DynamicModule {
    const logger = createLogger('adapter-police');
    return {
      module: AdapterPoliceModule,
      providers: [
        eventBusProvider({ ...config, topics: TopicCatalogue.filter((t) => t.name === Topics.PoliceIngress) }, logger),
        { provide: RedisConnection, useFactory: () => new RedisConnection(config.redisUrl, 'adapter-police') },
        {
          provide: IncidentIntake,
          inject: [EventBus, RedisConnection],
          useFactory: (bus: EventBus, redis: RedisConnection) =>
            new IncidentIntake(bus, redis.redis, new PseudonymKey(config.pseudonymKey), config.adapterUnitId, logger),
        },
        grpcServerProvider(
          {
            config,
            protoFiles: ['weave/police/v1/police_adapter.proto'],
            inject: [IncidentIntake],
            services: (intake: IncidentIntake) => [
              {
                definition: PoliceAdapterServiceService,
                implementation: {
                  recordIncident: unary(logger, 'RecordIncident', (request: RecordIncidentRequest) => intake.recordIncident(request)),
                },
              },
            ],
          },
          logger,
        ),
      ],
    };
  }
}
