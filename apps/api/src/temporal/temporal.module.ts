import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { dataConverter, KeySet } from '@jiebang/crypto';
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
      inject: [ApiConfig, KeySet],
      useFactory: (cfg: ApiConfig, keys: KeySet) => {
        const connection = Connection.lazy({ address: cfg.TEMPORAL_ADDRESS });
        // The SM4 payload codec: what the API sends (Update arguments with form contents and
        // comments, workflow inputs) is encrypted before it reaches Temporal.
        return new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE, dataConverter: dataConverter(keys) });
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
