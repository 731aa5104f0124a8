import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ApiError } from './errors';

/** Deeper JSON than any of the API's bodies needs (the deepest is 4); refused before validation walks it. */
export const MAX_JSON_DEPTH = 32;
/** Where @ApiConsumes keeps its media types (@nestjs/swagger's API_CONSUMES, not exported by the package). */
const API_CONSUMES = 'swagger/apiConsumes';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The body parser's check (before JSON.parse): nesting depth counted over the raw bytes, strings
 * skipped. Throws a 400 the error filter answers as JSON_TOO_DEEP.
 */
export function assertJsonDepth(body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw Object.assign(new Error('JSON too deep'), { status: 400, type: 'entity.too.deep' });
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
}

function hasBody(req: Request): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return length > 0 || req.headers['transfer-encoding'] !== undefined;
}

/**
 * What every request's shape must be before validation looks at it:
 * - a body in the media type the operation consumes: JSON, or multipart where the OpenAPI
 *   document says so (`@ApiConsumes('multipart/form-data')`); anything else is a 415, never an
 *   empty edit;
 * - JSON at most MAX_JSON_DEPTH deep (class-transformer recurses: 10,000 levels were a 500);
 * - text that is valid Unicode: a lone surrogate (it cannot be stored as UTF-8) is a 400 naming
 *   the field, in the body, the query or the path.
 * The walk is iterative, so no input can exhaust the stack here.
 */
@Injectable()
export class RequestShapeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    if (hasBody(req)) {
      const consumes = this.reflector.get<string[] | undefined>(API_CONSUMES, context.getHandler()) ?? ['application/json', 'application/*+json'];
      if (!req.is(consumes)) {
        const multipart = consumes.includes('multipart/form-data');
        throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', multipart ? '请以 multipart/form-data 上传文件' : '请求体须为 JSON（Content-Type: application/json）', 'Content-Type');
      }
    }
    checkText(req.params, 'path');
    checkText(req.query, 'query');
    checkJson(req.body);
    return next.handle();
  }
}

function checkText(values: unknown, where: string): void {
  if (!values || typeof values !== 'object') return;
  for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
    for (const s of Array.isArray(v) ? v : [v]) {
      if (typeof s === 'string' && LONE_SURROGATE.test(s)) throw invalidText(k, where);
    }
  }
}

function invalidText(field: string, where = 'body'): ApiError {
  return new ApiError(400, 'INVALID_TEXT', `${field}含有无效的字符（不成对的 Unicode 代理字符）${where === 'body' ? '' : '，见请求地址'}`, field);
}

function checkJson(body: unknown): void {
  if (!body || typeof body !== 'object') return;
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: body, path: '', depth: 1 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (depth > MAX_JSON_DEPTH) throw new ApiError(400, 'JSON_TOO_DEEP', `请求体嵌套层级过深（最多 ${MAX_JSON_DEPTH} 层）`, path || undefined);
    const entries: Array<[string, unknown]> = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v as Record<string, unknown>);
    for (const [k, x] of entries) {
      const p = path ? (Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`) : k;
      if (LONE_SURROGATE.test(k)) throw invalidText(p);
      if (typeof x === 'string') {
        if (LONE_SURROGATE.test(x)) throw invalidText(p);
      } else if (x && typeof x === 'object') {
        stack.push({ v: x, path: p, depth: depth + 1 });
      }
    }
  }
}
