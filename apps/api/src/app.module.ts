import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { KeySet } from '@jiebang/crypto';
import { ApiConfig, loggableError, loggableUrl, type DestinationStream } from '@jiebang/runtime';
import { AccountsModule } from './accounts/accounts.module';
import { ActionsModule } from './actions/actions.module';
import { ApplicationsModule } from './applications/applications.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BatchModule } from './batch/batch.module';
import { PublicationModule } from './publication/publication.module';
import { ReviewModule } from './review/review.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { RegistrationModule } from './registration/registration.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { CodecModule } from './codec/codec.module';
import { ErrorFilter } from './common/error.filter';
import { RequestShapeInterceptor } from './common/request-shape.interceptor';
import { ConfigModule } from './config/config.module';
import { CryptoModule } from './crypto/field-crypto';
import { DatabaseModule } from './database/database.module';
import { ExportsModule } from './exports/exports.module';
import { FilesModule } from './files/files.module';
import { ImportsModule } from './imports/imports.module';
import { HealthController } from './health/health.controller';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';
import { OpsModule } from './ops/ops.module';
import { ReferenceController } from './reference/reference.controller';
import { TemporalModule } from './temporal/temporal.module';
import { UsersModule } from './users/users.module';
import { WorkbenchModule } from './workbench/workbench.module';
import { FollowUpModule } from './follow-up/follow-up.module';

@Module({})
export class AppModule {
  /** `logTo`: where the log lines go (the tests pass their log file); stdout when absent. */
  static forRoot(cfg: ApiConfig, keys: KeySet, logTo?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(cfg, keys),
        CryptoModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: cfg.LOG_LEVEL,
            // A failed request (5xx) is an error line, whatever the level of the others.
            customLogLevel: (_req: IncomingMessage, res: { statusCode: number }, err?: Error) => (err || res.statusCode >= 500 ? 'error' : 'info'),
            stream: logTo,
            base: { service: 'api' },
            // A request id on every line: the caller's X-Request-Id or a fresh one.
            genReqId: (req: IncomingMessage) => {
              const given = req.headers['x-request-id'];
              return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
            },
            // No personal data in logs: method, path (of the query only its parameter names) and
            // ids; no bodies, no auth headers; errors as type, code and a scrubbed message.
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: loggableUrl(req.url) }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              err: loggableError,
              error: loggableError,
            },
            redact: { paths: ['password', '*.password', 'totp', '*.totp'], remove: true },
            autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics' || !req.url?.startsWith('/api') },
          },
        }),
        // Per client address and process: a general limit against floods. The credential endpoints
        // are throttled per client and per account in PostgreSQL (RateLimiter), shared by every replica.
        ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: cfg.API_RATE_LIMIT }] }),
        DatabaseModule,
        TemporalModule,
        AuditModule,
        OpsModule,
        AuthModule,
        AccountsModule,
        ApplicationsModule,
        WorkbenchModule,
        FollowUpModule,
        ActionsModule,
        FilesModule,
        CampaignsModule,
        ExportsModule,
        UsersModule,
        BatchModule,
        ReviewModule,
        PublicationModule,
        CodecModule,
        RegistrationModule,
        OrganisationsModule,
        ImportsModule,
      ],
      controllers: [HealthController, ReferenceController, NotificationsController],
      providers: [
        NotificationsService,
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestShapeInterceptor },
      ],
    };
  }
}
