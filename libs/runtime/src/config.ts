import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : value === true || value === 'true' || value === '1');

/** Apply property decorators in the order TypeScript applies a stack of them (the last written first). */
const stack =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const d of [...decorators].reverse()) d(target, key);
  };

/** A whole-number setting read from its environment string, at least `min` (and at most `max`). */
function IntSetting(min: number, max?: number, opts: { optional?: boolean } = {}): PropertyDecorator {
  return stack(Transform(toInt), ...(opts.optional ? [IsOptional()] : []), IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)]));
}

/** A text setting that may stay unset. */
const OptionalString = (): PropertyDecorator => stack(IsOptional(), IsString());

/**
 * A text setting required in production (and checked wherever it is set), matching `pattern` when given;
 * `example` shows the operator what to write when it is missing.
 */
function RequiredInProduction(example: string, pattern?: RegExp, mismatch?: string): PropertyDecorator {
  return (target, key) =>
    stack(
      ValidateIf((c: BaseConfig) => c.NODE_ENV === 'production' || (c as unknown as Record<string | symbol, unknown>)[key] !== undefined),
      IsString({ message: `${String(key)} is required in production (${example})` }),
      ...(pattern ? [Matches(pattern, { message: `${String(key)} must be ${mismatch}` })] : []),
    )(target, key);
}

/** Settings shared by the API and the worker, from environment variables, validated at start-up. */
export class BaseConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @IsString()
  TEMPORAL_ADDRESS = '127.0.0.1:7233';

  @IsString()
  TEMPORAL_NAMESPACE = 'jiebang';

  @IsString()
  TEMPORAL_TASK_QUEUE = 'jiebang-applications';

  @IsIn(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
  LOG_LEVEL = 'info';

  @IntSetting(1, 200) DB_POOL_SIZE = 10;

  /** Local state (`npm start`: ./.data): the development key file and the audit checkpoints live here. */
  @OptionalString() JIEBANG_DATA_DIR?: string;

  /**
   * Where the signed audit checkpoints are kept, outside the database (default
   * `<JIEBANG_DATA_DIR>/audit-checkpoints`). Required in production: a volume on a write-once
   * (WORM) target or a mounted object-lock bucket, shared by the API and the worker.
   */
  @RequiredInProduction('a write-once volume for the audit checkpoints')
  AUDIT_CHECKPOINT_DIR?: string;
}

/** The audit checkpoint directory of a configuration, or null when none is configured. */
export function auditCheckpointDir(cfg: Pick<BaseConfig, 'AUDIT_CHECKPOINT_DIR' | 'JIEBANG_DATA_DIR'>): string | null {
  if (cfg.AUDIT_CHECKPOINT_DIR) return cfg.AUDIT_CHECKPOINT_DIR;
  return cfg.JIEBANG_DATA_DIR ? `${cfg.JIEBANG_DATA_DIR.replace(/\/+$/, '')}/audit-checkpoints` : null;
}

export class WorkerConfig extends BaseConfig {
  /** Workflows kept in the worker's cache (memory: see docs/performance.md). */
  @IntSetting(0) WORKER_MAX_CACHED_WORKFLOWS = 500;

  @IntSetting(1) WORKER_MAX_CONCURRENT_WORKFLOW_TASKS = 100;

  @IntSetting(1) WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES = 100;

  /** A prebuilt workflow bundle (production); unset in development (workflowsPath). */
  @OptionalString() WORKFLOW_BUNDLE_PATH?: string;

  /** Prometheus metrics of the worker (Temporal core metrics), e.g. 127.0.0.1:9464. */
  @OptionalString() WORKER_METRICS_ADDRESS?: string;

  /**
   * The SMTP relay the worker delivers the mail outbox to: smtps://user:password@host:465 or
   * smtp://user:password@host:587 (STARTTLS, mandatory in production). Required in production;
   * elsewhere, unset, mail stays queued (npm start and the tests set it to their local server).
   */
  @RequiredInProduction('smtps://user:password@relay:465 or smtp://…:587', /^smtps?:\/\/([^@/?#\s]+@)?[^@/?#:\s]+(:\d{1,5})?\/?$/, 'smtp://[user:password@]host[:port] or smtps://… (password percent-encoded)')
  SMTP_URL?: string;

  /** The sender of every mail, e.g. `揭榜挂帅申报系统 <noreply@gxt.example.gov.cn>`. Required in production. */
  @RequiredInProduction('e.g. 揭榜挂帅申报系统 <noreply@example.gov.cn>', /^([^<>\r\n]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/, 'an address, optionally with a name: 揭榜挂帅申报系统 <noreply@example.gov.cn>')
  MAIL_FROM?: string;

  /** How often the worker writes an audit checkpoint (when rows were appended since the last one). */
  @IntSetting(1, 3600) AUDIT_CHECKPOINT_INTERVAL_SECONDS = 60;

  /** How often an idle delivery loop looks for due mail. */
  @IntSetting(100, 60_000) MAIL_POLL_INTERVAL_MS = 1000;

  /** Delivery attempts before a mail is given up (FAILED); retries back off from 30 s to 1 h. */
  @IntSetting(1, 100) MAIL_MAX_ATTEMPTS = 15;

  /** A county review older than this many days is escalated to its city (市工信局), once per stay. */
  @IntSetting(1, 365) ESCALATE_COUNTY_REVIEW_DAYS = 5;

  /** A city review (opinion or finance concurrence) older than this many days is escalated to the province. */
  @IntSetting(1, 365) ESCALATE_CITY_REVIEW_DAYS = 5;

  /** Those who must still act are mailed once per cut-off when it is this many hours away or less. */
  @IntSetting(1, 720) CUTOFF_REMINDER_HOURS = 72;

  /** How often the worker's follow-up scan (escalations, cut-off reminders) runs. */
  @IntSetting(10, 86_400) FOLLOW_UP_SCAN_INTERVAL_SECONDS = 900;
}

export class ApiConfig extends BaseConfig {
  @IntSetting(0, 65535) PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET!: string;

  @IsString()
  JWT_ISSUER = 'jiebang';

  @IsString()
  JWT_AUDIENCE = 'jiebang-api';

  /** Access tokens are short-lived. */
  @IntSetting(60, 3600) ACCESS_TOKEN_TTL_SECONDS = 900;

  /** A session idle longer than this ends (等保: idle sessions end). */
  @IntSetting(1, 240) SESSION_IDLE_MINUTES = 30;

  /** A session ends this many hours after its login however active it is (the absolute lifetime; 等保: sessions end). */
  @IntSetting(1, 72) SESSION_MAX_HOURS = 12;

  @IntSetting(3, 10) LOGIN_MAX_FAILURES = 5;

  /** A password older than this many days must be changed before the session reaches anything else (0: never expires). */
  @IntSetting(0, 3650) PASSWORD_MAX_AGE_DAYS = 90;

  @IntSetting(1) LOCKOUT_MINUTES = 30;

  @IsIn(['pg', 'disk'])
  FILE_STORAGE: 'pg' | 'disk' = 'pg';

  @OptionalString() FILE_DIR?: string;

  @IntSetting(1024) MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

  /** Demo accounts may log in (refused in production whatever this says). */
  @Transform(toBool)
  @IsBoolean()
  DEMO_USERS = true;

  @OptionalString() TEMPORAL_UI_URL?: string;

  /**
   * Attempts per client address per RATE_LIMIT_WINDOW_SECONDS on each credential operation (login,
   * password change, reset), counted in PostgreSQL (every replica shares them). An office behind
   * one address shares it.
   */
  @IntSetting(1) LOGIN_RATE_LIMIT = 100;

  /** Attempts per account per RATE_LIMIT_WINDOW_SECONDS on each credential operation, counted in PostgreSQL. */
  @IntSetting(1) ACCOUNT_RATE_LIMIT = 10;

  /** The window of the credential limits (fixed windows). */
  @IntSetting(60, 86_400) RATE_LIMIT_WINDOW_SECONDS = 900;

  /**
   * The proxies whose X-Forwarded-For the API believes (Express `trust proxy`): a comma-separated
   * list of addresses, CIDR ranges or Express's names (loopback, linklocal, uniquelocal); `none`
   * believes no header. The client address is the nearest one not in this list. In production name
   * the TLS proxy's address only.
   */
  @Matches(/^(none|((loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?))*))$/, {
    message: 'TRUSTED_PROXIES must be none or a comma-separated list of addresses, CIDR ranges, loopback, linklocal or uniquelocal',
  })
  TRUSTED_PROXIES = 'loopback';

  /** Requests per minute per client elsewhere. */
  @IntSetting(1) API_RATE_LIMIT = 6000;

  /** Registration requests (the region look-up, registering) per client address per hour. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REGISTRATION_LIMIT_PER_CLIENT = 30;

  /** Registrations naming one email per hour. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REGISTRATION_LIMIT_PER_EMAIL = 3;

  /** Colleague invitations an applicant account may send per hour. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  COLLEAGUE_INVITES_PER_HOUR = 10;

  /** Where the built console lives (served at /). */
  @OptionalString() CONSOLE_DIR?: string;

  /**
   * Who may read /metrics and the OpenAPI document (/api/docs, /api/docs-json): `internal` — only
   * on the internal listener (INTERNAL_PORT, never published), the default in production;
   * `public` — on the public port too, the default in development and tests.
   */
  @IsOptional()
  @IsIn(['internal', 'public'])
  INTERNAL_ENDPOINTS?: 'internal' | 'public';

  /** The internal listener (metrics, OpenAPI) in production; 0 or unset: none. */
  @IntSetting(0, 65535, { optional: true }) INTERNAL_PORT?: number;

  /** The internal listener's address (default: HOST). */
  @OptionalString() INTERNAL_HOST?: string;

  /**
   * The console's address as people reach it (links in mails: activation, password reset);
   * required in production, e.g. https://jiebang.example.gov.cn. Default: http://HOST:PORT.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  /** How long an activation link mailed to a new account's owner stays valid. */
  @IntSetting(1, 168) ACTIVATION_LINK_HOURS = 72;

  /** How long a password-reset link stays valid. */
  @IntSetting(5, 1440) RESET_LINK_MINUTES = 30;
}

export class ConfigError extends Error {}

/** Build and validate a config class from the environment; throws listing every problem. */
export function loadConfig<T extends object>(cls: new () => T, env: Record<string, string | undefined> = process.env): T {
  const defaults = new cls() as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults).concat(Object.keys(env))) {
    if (env[key] !== undefined) raw[key] = env[key];
  }
  const instance = plainToInstance(cls, { ...defaults, ...raw }, { exposeDefaultValues: true });
  const errors = validateSync(instance as object, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `  ${e.property}: ${m}`));
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = instance as T & { NODE_ENV?: string; DEMO_USERS?: boolean; INTERNAL_ENDPOINTS?: string; INTERNAL_PORT?: number };
  if (cfg.NODE_ENV === 'production' && 'DEMO_USERS' in cfg) cfg.DEMO_USERS = false;
  if (instance instanceof ApiConfig && cfg.INTERNAL_ENDPOINTS === undefined) cfg.INTERNAL_ENDPOINTS = cfg.NODE_ENV === 'production' ? 'internal' : 'public';
  if (instance instanceof ApiConfig && cfg.NODE_ENV === 'production' && cfg.INTERNAL_PORT === undefined) cfg.INTERNAL_PORT = 9100;
  if (instance instanceof ApiConfig && !instance.PUBLIC_URL) {
    if (cfg.NODE_ENV === 'production') throw new ConfigError('invalid configuration:\n  PUBLIC_URL: required in production (the address in activation and reset mails)');
    instance.PUBLIC_URL = `http://${instance.HOST}:${instance.PORT}`;
  }
  return instance;
}
