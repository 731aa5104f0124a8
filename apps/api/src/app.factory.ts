import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { type NextFunction, type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import expressStaticGzip from 'express-static-gzip';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { selfTest, type KeyProvider } from '@jiebang/crypto';
import { loadServiceKeys } from '@jiebang/db';
import { ApiConfig, type DestinationStream } from '@jiebang/runtime';
import { AppModule } from './app.module';
import { assertJsonDepth } from './common/request-shape.interceptor';
import { validationPipe } from './common/validation';
import { PRINT_SCRIPT_HASH, PRINT_STYLE_HASH } from './exports/print-page';
import { PUBLIC_STYLE_HASH } from './publication/public-page';
import swaggerMetadata from './swagger-metadata';

/** Paths that are operators' tools, not the product: only on the internal listener in production. */
const INTERNAL_PATHS = /^\/(metrics|api\/docs)(\/|-json|$)/;
/** Marks requests that arrived through the internal listener. */
const INTERNAL = Symbol('jiebang.internalListener');
/** The placeholder Vite writes for the CSP nonce (vite.config.mts, html.cspNonce). */
export const CSP_NONCE_PLACEHOLDER = '__CSP_NONCE__';

/** A per-response nonce for the console's style elements (Ant Design's CSS-in-JS). */
function nonceOf(res: unknown): string {
  return `'nonce-${(res as Response).locals.cspNonce as string}'`;
}

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

/**
 * The OpenAPI document of the running app. The DTOs' property types come from the generated
 * swagger-metadata.ts (tools/swagger-metadata.ts: the swagger compiler plugin, run ahead of time).
 */
export async function openApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  await SwaggerModule.loadPluginMetadata(swaggerMetadata);
  return SwaggerModule.createDocument(app, openApiConfig(), {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '').toLowerCase()}_${method}`,
  });
}

/** Global behaviour shared by the server and the tests: pipes, headers, OpenAPI, the console. */
export async function configureApp(app: NestExpressApplication, cfg: ApiConfig): Promise<OpenAPIObject> {
  // X-Forwarded-For only from the configured proxies: the client address is the nearest hop not among them.
  app.set('trust proxy', cfg.TRUSTED_PROXIES === 'none' ? false : cfg.TRUSTED_PROXIES.split(',').map((p) => p.trim()));
  app.disable('x-powered-by');
  // Metrics and the OpenAPI document are for operators: in production only on the internal
  // listener (a port that is not published), answered as absent on the public one.
  if (cfg.INTERNAL_ENDPOINTS === 'internal') {
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (INTERNAL_PATHS.test(req.path) && !(req as Request & { [INTERNAL]?: boolean })[INTERNAL]) {
        res.status(404).json({ code: 'NOT_FOUND', message: '请求的资源不存在' });
        return;
      }
      next();
    });
  }
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  // No 'unsafe-inline' anywhere: scripts are files; the console's style elements carry the
  // response's nonce; the print page's one style and one script are allowed by their hashes.
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'script-src': ["'self'", PRINT_SCRIPT_HASH],
          'style-src': ["'self'", (_req, res) => nonceOf(res), PRINT_STYLE_HASH, PUBLIC_STYLE_HASH],
          // The PDF preview's pdf.js worker is a file of the build.
          'worker-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'connect-src': ["'self'"],
        },
      },
    }),
  );
  // API answers (personal data, tokens) are never stored by a browser or a proxy; the console's
  // hashed static assets keep their own caching.
  app.use('/api', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // JSON deeper than MAX_JSON_DEPTH is refused before it is parsed (10,000 levels were a 500).
  app.useBodyParser('json', { limit: '1mb', verify: (_req: unknown, _res: unknown, body: Buffer) => assertJsonDepth(body) });
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  const document = await openApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', customSiteTitle: 'Jiebang API' });
  const consoleDir = cfg.CONSOLE_DIR;
  if (consoleDir && fs.existsSync(path.join(consoleDir, 'index.html'))) {
    // The build's brotli or gzip copy of each file, as the browser accepts (vite.config.mts).
    // Vite names the files under assets/ by their content: cached for a year, never revalidated.
    app.use(
      expressStaticGzip(consoleDir, {
        enableBrotli: true,
        orderPreference: ['br', 'gzip'],
        index: false,
        serveStatic: {
          setHeaders: (res, file) => {
            const rel = path.relative(consoleDir, file);
            if (rel.startsWith(`assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
            else res.setHeader('Cache-Control', 'public, max-age=86400');
          },
        },
      }),
    );
    // The console is a single-page app: every non-API GET gets its index, with this response's
    // CSP nonce in place of Vite's placeholder (so never cached). A missing hashed file is a 404,
    // not the index (a stale page would run HTML as a script).
    const indexHtml = fs.readFileSync(path.join(consoleDir, 'index.html'), 'utf8');
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || req.path === '/health' || req.path === '/metrics') return next();
      if (req.path.startsWith('/assets/')) return next();
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(indexHtml.split(CSP_NONCE_PLACEHOLDER).join(res.locals.cspNonce as string));
    });
  }
  return document;
}

/**
 * The internal listener: the same application on a second port (INTERNAL_PORT), the only place
 * where /metrics and the OpenAPI document answer when INTERNAL_ENDPOINTS=internal. Not published
 * outside the host's private network (docker-compose.yml).
 */
export function internalServer(app: NestExpressApplication): http.Server {
  const handler = app.getHttpAdapter().getInstance() as (req: http.IncomingMessage, res: http.ServerResponse) => void;
  return http.createServer((req, res) => {
    (req as http.IncomingMessage & { [INTERNAL]?: boolean })[INTERNAL] = true;
    handler(req, res);
  });
}

/**
 * The whole API as one Nest application (main.ts and the tests both build it here). Its log lines
 * go to stdout, or to `opts.logTo` (the tests' log file).
 */
export async function createApp(cfg: ApiConfig, opts: { logTo?: DestinationStream; keyProvider?: KeyProvider } = {}): Promise<NestExpressApplication> {
  // SM3/SM4 known answers first: a Node without the national algorithms stops here.
  selfTest();
  // The keys from the key provider (a local key file in development, JIEBANG_KEYS_* or a KMS in
  // production; `opts.keyProvider` in tests), loaded once: the repositories use them for the
  // audit MAC, FieldCrypto for the personal fields and their blind indexes.
  const keys = await loadServiceKeys({ dataDir: cfg.JIEBANG_DATA_DIR, provider: opts.keyProvider });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(cfg, keys, opts.logTo), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  await configureApp(app, cfg);
  return app;
}
