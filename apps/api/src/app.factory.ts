import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { ApiConfig, type DestinationStream } from '@jiebang/runtime';
import { AppModule } from './app.module';
import { validationPipe } from './common/validation';

export function openApiConfig() {
  return new DocumentBuilder()
    .setTitle('Jiebang API')
    .setDescription(
      '工赋百景 揭榜挂帅 application workflow API. Every error answers {code, message (Chinese), field?}. ' +
        'Actions need an Idempotency-Key header; instants are ISO 8601 with +08:00 (input may be "YYYY-MM-DD HH:mm", read in Asia/Shanghai).',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(app, openApiConfig(), {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '').toLowerCase()}_${method}`,
  });
}

/** Global behaviour shared by the server and the tests: pipes, headers, OpenAPI, the console. */
export function configureApp(app: NestExpressApplication, cfg: ApiConfig): OpenAPIObject {
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'blob:'], 'connect-src': ["'self'"] },
      },
    }),
  );
  app.useBodyParser('json', { limit: '1mb' });
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  const document = openApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', customSiteTitle: 'Jiebang API' });
  const consoleDir = cfg.CONSOLE_DIR;
  if (consoleDir && fs.existsSync(path.join(consoleDir, 'index.html'))) {
    app.use(express.static(consoleDir, { index: false, maxAge: '1h' }));
    // The console is a single-page app: every non-API GET gets its index.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || req.path === '/health' || req.path === '/metrics') return next();
      res.sendFile(path.join(consoleDir, 'index.html'));
    });
  }
  return document;
}

/**
 * The whole API as one Nest application (main.ts and the tests both build it here). Its log lines
 * go to stdout, or to `opts.logTo` (the tests' log file).
 */
export async function createApp(cfg: ApiConfig, opts: { logTo?: DestinationStream } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(cfg, opts.logTo), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  configureApp(app, cfg);
  return app;
}
