import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MIGRATIONS, Repositories } from '@jiebang/db';
import { ApiConfig } from '@jiebang/runtime';

/**
 * The API's pool and its repositories (libs/db): services inject `Repositories` and run their
 * statements through it, never SQL of their own.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ApiConfig],
      useFactory: (cfg: ApiConfig) => ({
        type: 'postgres' as const,
        url: cfg.DATABASE_URL,
        migrations: MIGRATIONS,
        synchronize: false,
        migrationsRun: false,
        applicationName: 'jiebang-api',
        extra: { max: cfg.DB_POOL_SIZE, connectionTimeoutMillis: 5000, statement_timeout: 15_000 },
      }),
    }),
  ],
  providers: [{ provide: Repositories, inject: [DataSource], useFactory: (ds: DataSource) => new Repositories(ds) }],
  exports: [Repositories],
})
export class DatabaseModule {}
