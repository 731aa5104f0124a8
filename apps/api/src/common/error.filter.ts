import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { Request, Response } from 'express';
import { ThrottlerException } from '@nestjs/throttler';
import { loggableError, loggableUrl } from '@jiebang/runtime';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { temporalErrorToApi } from '../temporal/temporal-errors';
import { MAX_JSON_DEPTH } from './request-shape.interceptor';

const DEFAULT_CODES: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', '请求内容不符合要求'],
  401: ['UNAUTHENTICATED', '请先登录'],
  403: ['FORBIDDEN', '您的角色无权执行此操作'],
  404: ['NOT_FOUND', '请求的资源不存在'],
  405: ['METHOD_NOT_ALLOWED', '不支持的请求方法'],
  409: ['CONFLICT', '操作与当前状态冲突'],
  413: ['PAYLOAD_TOO_LARGE', '上传内容超过大小限制'],
  415: ['UNSUPPORTED_MEDIA_TYPE', '不支持的文件类型'],
  422: ['UNPROCESSABLE', '输入内容不符合要求'],
  429: ['TOO_MANY_REQUESTS', '请求过于频繁，请稍后再试'],
  503: ['UNAVAILABLE', '服务暂时不可用，请稍后重试'],
};

/**
 * One error shape for every answer: {code, message (Chinese), field?}. Domain refusals and
 * Temporal errors map to 404/409/422; anything unexpected is a logged 500 without details.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  // The request's pino logger directly (Nest's static Logger did not reach the log stream).
  constructor(
    private readonly log: PinoLogger,
    private readonly audit: AuditService,
  ) {
    log.setContext('ErrorFilter');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const { status, body } = this.map(exception, req);
    // No personal data in the line: the path with only the query's parameter names, the error's
    // type, code and scrubbed message (never its parameters or the database's detail).
    if (status >= 500) this.log.error({ err: loggableError(exception), reqId: req.id, method: req.method, url: loggableUrl(req.originalUrl) }, 'request failed');
    if (status === 429) this.audit429(req);
    if (!res.headersSent) res.status(status).json(body);
  }

  /**
   * Every 429, whoever raised it (a rate limit, the login throttle), is audited: brute force and
   * scraping show in the audit. Written beside the answer, never delaying or failing it.
   */
  private audit429(req: Request & { id?: string; user?: AuthUser }): void {
    const meta: RequestMeta = { ip: req.ip ?? null, requestId: typeof req.id === 'string' ? req.id : null };
    const path = loggableUrl(req.originalUrl).split('?')[0];
    this.audit.record(req.user ?? null, meta, 'ACCESS.RATE_LIMITED', 'DENIED', null, { path, method: req.method }).catch((err: unknown) => {
      this.log.error({ err: loggableError(err) }, 'audit of a 429 failed');
    });
  }

  private map(exception: unknown, _req: Request): { status: number; body: Record<string, unknown> } {
    if (exception instanceof ThrottlerException) {
      return { status: 429, body: { code: 'TOO_MANY_REQUESTS', message: DEFAULT_CODES[429][1] } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const r = exception.getResponse();
      if (typeof r === 'object' && r !== null && 'code' in r && typeof (r as { code: unknown }).code === 'string') {
        return { status, body: r as Record<string, unknown> };
      }
      // Multer's size limit, the JSON parser's errors and the like arrive as plain HttpExceptions.
      const raw = typeof r === 'object' && r !== null ? String((r as { message?: unknown }).message ?? '') : String(r);
      if (status === 400 && /JSON/i.test(raw)) return { status, body: { code: 'MALFORMED_JSON', message: '请求体不是合法的 JSON' } };
      const [code, message] = DEFAULT_CODES[status] ?? ['ERROR', '请求失败'];
      return { status, body: { code, message } };
    }
    const fromTemporal = temporalErrorToApi(exception);
    if (fromTemporal) return fromTemporal;
    if (unstorableText(exception)) {
      return { status: 400, body: { code: 'INVALID_INPUT', message: '请求中含有无法保存的字符（如 NUL 控制字符）' } };
    }
    if (databaseUnavailable(exception)) {
      return { status: 503, body: { code: 'DATABASE_UNAVAILABLE', message: '数据库暂时不可用，请稍后重试（操作请使用相同的幂等键）' } };
    }
    const e = exception as { type?: string; status?: number; statusCode?: number };
    // body-parser errors (malformed JSON, too large) carry a status.
    const status = e?.statusCode ?? e?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const [code, message] =
        e.type === 'entity.parse.failed'
          ? ['MALFORMED_JSON', '请求体不是合法的 JSON']
          : e.type === 'entity.too.deep'
            ? ['JSON_TOO_DEEP', `请求体嵌套层级过深（最多 ${MAX_JSON_DEPTH} 层）`]
            : (DEFAULT_CODES[status] ?? ['BAD_REQUEST', '请求内容不符合要求']);
      return { status, body: { code, message } };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试' } };
  }
}

/** PostgreSQL away (stopped, restarting, refusing connections): the client should retry, not report a bug. */
const DB_UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
export function databaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; driverError?: { code?: unknown; message?: unknown } } | null;
  if (!e || typeof e !== 'object') return false;
  const codes = [e.code, e.driverError?.code].filter((c): c is string => typeof c === 'string');
  if (codes.some((c) => DB_UNAVAILABLE_CODES.has(c))) return true;
  const text = `${String(e.message ?? '')} ${String(e.driverError?.message ?? '')}`;
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|the database system is (starting up|shutting down)/i.test(text);
}

/** Text PostgreSQL cannot hold (a NUL character, an invalid byte sequence): the client's input, a 400. */
export function unstorableText(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  if (!e || typeof e !== 'object') return false;
  return [e.code, e.driverError?.code].some((c) => c === '22021' || c === '22P05');
}
