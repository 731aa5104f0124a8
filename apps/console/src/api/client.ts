import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type ApplicationSummary = Schemas['ApplicationSummaryDto'];
export type ApplicationDetail = Schemas['ApplicationDetailDto'];
export type Me = Schemas['MeDto'];
export type TaskCode = Schemas['CreateApplicationDto']['taskCode'];

/** An error answer of the API: a stable code, a Chinese message, the field when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly body?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'jiebang.token';
let token: string | null = sessionStorage.getItem(TOKEN_KEY);
let onUnauthenticated: (message: string) => void = () => {};

export function setToken(t: string | null): void {
  token = t;
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function getToken(): string | null {
  return token;
}

export function onSessionEnded(fn: (message: string) => void): void {
  onUnauthenticated = fn;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  async onResponse({ response, request }) {
    if (response.status === 401 && !request.url.includes('/auth/login')) {
      const body = await response.clone().json().catch(() => ({}));
      setToken(null);
      onUnauthenticated((body as { message?: string }).message ?? '会话已结束，请重新登录');
    }
    return response;
  },
};

/** The typed client, generated from the API's OpenAPI document (npm run openapi). */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** The data of a call, or its error as ApiError. */
export async function unwrap<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p;
  if (error !== undefined || !response.ok) {
    const e = (error ?? {}) as { code?: string; message?: string; field?: string };
    throw new ApiError(response.status, e.code ?? 'ERROR', e.message ?? `请求失败（${response.status}）`, e.field, e as Record<string, unknown>);
  }
  return data as T;
}

/** A fresh idempotency key for one intended action (kept across retries of that action). */
export function newKey(): string {
  return `c-${crypto.randomUUID()}`;
}

/** Fetch a binary or HTML download with the token and hand it to the browser. */
export async function download(url: string, open = false): Promise<void> {
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new ApiError(res.status, (body as { code?: string }).code ?? 'ERROR', (body as { message?: string }).message ?? '下载失败');
  }
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  if (open) {
    window.open(href, '_blank');
    return;
  }
  const cd = res.headers.get('Content-Disposition') ?? '';
  const name = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(cd)?.[1] ?? 'download');
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Multipart upload with the token (antd's Upload customRequest). */
export async function uploadFile(url: string, file: File, fields: Record<string, string>): Promise<Schemas['FileDto']> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', file);
  const res = await fetch(url, { method: 'POST', body: form, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body.code ?? 'ERROR', body.message ?? '上传失败', body.field);
  return body as Schemas['FileDto'];
}
