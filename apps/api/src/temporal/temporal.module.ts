import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { ApiConfig } from '@jiebang/runtime';
import { TEMPORAL_CLIENT, TemporalGateway } from './temporal.gateway';

/**
 * One Temporal client per API process, private to this module: the rest of the API speaks to
 * Temporal through TemporalGateway. It connects lazily, so the API starts (and reports it) when
 * Temporal is down.
 */
@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CLIENT,
      inject: [ApiConfig],
      useFactory: (cfg: ApiConfig) => {
        const connection = Connection.lazy({ address: cfg.TEMPORAL_ADDRESS });
        return new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE });
      },
    },
    TemporalGateway,
  ],
  exports: [TemporalGateway],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close().catch(() => undefined);
  }
}
