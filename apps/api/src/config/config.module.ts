import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ApiConfig, loadConfig } from '@jiebang/runtime';

/** The typed, validated configuration (see libs/runtime/src/config.ts). Fails start-up when invalid. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(cfg?: ApiConfig): DynamicModule {
    const value = cfg ?? loadConfig(ApiConfig);
    return { module: ConfigModule, providers: [{ provide: ApiConfig, useValue: value }], exports: [ApiConfig] };
  }
}
