import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ENTITIES, MIGRATIONS } from '@jiebang/db';
import { ApiConfig } from '@jiebang/runtime';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ApiConfig],
      useFactory: (cfg: ApiConfig) => ({
        type: 'postgres' as const,
        url: cfg.DATABASE_URL,
        entities: ENTITIES,
        migrations: MIGRATIONS,
        synchronize: false,
        migrationsRun: false,
        applicationName: 'jiebang-api',
        extra: { max: cfg.DB_POOL_SIZE, connectionTimeoutMillis: 5000, statement_timeout: 15_000 },
      }),
    }),
    TypeOrmModule.forFeature(ENTITIES),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
