import { Global, Module, type DynamicModule } from '@nestjs/common';
import { KeySet } from '@jiebang/crypto';
import { ApiConfig, loadConfig } from '@jiebang/runtime';

/**
 * The typed, validated configuration (see libs/runtime/src/config.ts), and the keys loaded from
 * the key provider at start-up (`KeySet`, libs/crypto). Fails start-up when invalid.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(cfg: ApiConfig | undefined, keys: KeySet): DynamicModule {
    const value = cfg ?? loadConfig(ApiConfig);
    return {
      module: ConfigModule,
      providers: [
        { provide: ApiConfig, useValue: value },
        { provide: KeySet, useValue: keys },
      ],
      exports: [ApiConfig, KeySet],
    };
  }
}
