import createClient, { type Middleware } from 'openapi-fetch';
import type { ActionType } from '@jiebang/domain';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type ApplicationSummary = Schemas['ApplicationSummaryDto'];
export type ApplicationDetail = Schemas['ApplicationDetailDto'];
export type Me = Schemas['MeDto'];
export type TaskCode = Schemas['CreateApplicationDto']['taskCode'];
/** The filters, view and order of a list of applications (GET /applications, its counts and export). */
export type ListQuery = NonNullable<paths['/api/v1/applications']['get']['parameters']['query']>;

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
  // No answer at all (the connection dropped, the server unreachable): a Chinese message, and an
  // ApiError without a status, so AttemptKeys treats sending it again as a retry (the same key).
  onError({ error }) {
    if (error instanceof DOMException && error.name === 'AbortError') return error;
    return new ApiError(0, 'NETWORK', '网络连接中断，未收到服务器的答复，请检查网络后重试');
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

/**
 * The idempotency key of each attempt at a request. Sending the same request again after it got no
 * answer (a network error, 5xx) is a retry: the same key, so it applies once. Once the API has
 * answered — done or refused — the next attempt is a new request (corrected, or sent again after
 * the cause was fixed): a new key, so a corrected dialog is never refused as a reused key.
 */
export class AttemptKeys {
  private last: { request: string; key: string; answered: boolean } | null = null;

  /** The key to send `request` with. */
  for(request: unknown): string {
    const text = JSON.stringify(request);
    if (!this.last || this.last.answered || this.last.request !== text) this.last = { request: text, key: newKey(), answered: false };
    return this.last.key;
  }

  /** How the attempt ended: without an error, or with one the API answered (4xx), the key is spent. */
  ended(error?: unknown): void {
    if (!this.last) return;
    this.last.answered = !error || (error instanceof ApiError && error.status >= 400 && error.status < 500);
  }
}

type ActionPath<A extends ActionType> = `/api/v1/applications/{id}/actions/${A}`;
/** The body of an action, as the API document types it. */
export type ActionBody<A extends ActionType> = NonNullable<paths[ActionPath<A>]['post']['requestBody']>['content']['application/json'];
export type ActionResult = Schemas['ActionResultDto'];

/**
 * One action on an application, through the typed client (its token and 401 handling): the
 * application's new position, or the refusal as ApiError (code, Chinese message, field). `key`
 * is the Idempotency-Key of the intended action, kept across its retries.
 */
export function act<A extends ActionType>(id: string, action: A, body: ActionBody<A>, key: string): Promise<ActionResult> {
  const path = `/api/v1/applications/{id}/actions/${action}` as ActionPath<'countyApprove'>;
  return unwrap(api.POST(path, { params: { path: { id }, header: { 'Idempotency-Key': key } }, body: body as ActionBody<'countyApprove'> }));
}

/** What the console downloads or opens: exports, print views and files. */
type DownloadPath =
  | '/api/v1/audit/export'
  | '/api/v1/exports/recommendation-summary'
  | '/api/v1/campaigns/{id}/ranking/export'
  | '/api/v1/campaigns/{id}/reserve-pool/export'
  | '/api/v1/campaigns/{id}/city-reports/{reportId}/file'
  | '/api/v1/campaigns/{id}/city-reports/{reportId}/summary'
  | '/api/v1/exports/applications'
  | '/api/v1/applications/{id}/exports/{form}'
  | '/api/v1/applications/{id}/print/{form}'
  | '/api/v1/applications/{id}/files/{fileId}'
  | '/api/v1/imports/{kind}/template';

/** One file of an application as a Blob (for the preview), through the typed client. */
export async function fileBlob(id: string, fileId: string): Promise<Blob> {
  const { data, error, response } = await api.GET('/api/v1/applications/{id}/files/{fileId}', { params: { path: { id, fileId } }, parseAs: 'blob' });
  if (error !== undefined || !response.ok || !data) {
    const e = (error ?? {}) as { code?: string; message?: string };
    throw new ApiError(response.status, e.code ?? 'ERROR', e.message ?? '文件读取失败');
  }
  return data as Blob;
}

/** Fetch a binary or HTML download through the typed client and hand it to the browser. */
export async function download<P extends DownloadPath>(path: P, params: paths[P]['get']['parameters'], open = false): Promise<void> {
  const { data, error, response } = await api.GET(path as '/api/v1/audit/export', { params: params as paths['/api/v1/audit/export']['get']['parameters'], parseAs: 'blob' });
  if (error !== undefined || !response.ok || !data) {
    const e = (error ?? {}) as { code?: string; message?: string };
    throw new ApiError(response.status, e.code ?? 'ERROR', e.message ?? '下载失败');
  }
  const href = URL.createObjectURL(data as Blob);
  if (open) {
    window.open(href, '_blank');
    return;
  }
  const cd = response.headers.get('Content-Disposition') ?? '';
  const name = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(cd)?.[1] ?? 'download');
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

type UploadBody = NonNullable<paths['/api/v1/applications/{id}/files']['post']['requestBody']>['content']['multipart/form-data'];

/** Multipart upload of one file of the application, through the typed client (antd's Upload customRequest). */
export function uploadFile(id: string, file: File, kind: UploadBody['kind']): Promise<Schemas['FileDto']> {
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', file);
  // openapi-fetch sends FormData as it is (the browser sets the multipart boundary).
  return unwrap(api.POST('/api/v1/applications/{id}/files', { params: { path: { id } }, body: form as unknown as UploadBody }));
}

type CityReportBody = NonNullable<paths['/api/v1/campaigns/{id}/city-reports']['post']['requestBody']>['content']['multipart/form-data'];

/** The city's joint recommendation document (推荐上报), multipart through the typed client. */
export function uploadCityReport(campaignId: string, file: File, note: string): Promise<Schemas['CityReportDto']> {
  const form = new FormData();
  form.append('file', file);
  if (note) form.append('note', note);
  return unwrap(api.POST('/api/v1/campaigns/{id}/city-reports', { params: { path: { id: campaignId } }, body: form as unknown as CityReportBody }));
}

type ImportPath = paths['/api/v1/imports/{kind}/{step}']['post'];
export type ImportKind = ImportPath['parameters']['path']['kind'];
export type ImportReport = Schemas['ImportReportDto'];

/** One step of an import (dry-run or apply) with its xlsx file, multipart through the typed client. */
export function runImport(kind: ImportKind, step: 'dry-run' | 'apply', file: File, campaignId: string | null): Promise<ImportReport> {
  const form = new FormData();
  form.append('file', file);
  return unwrap(
    api.POST('/api/v1/imports/{kind}/{step}', {
      params: { path: { kind, step }, query: campaignId ? { campaignId } : {} },
      body: form as unknown as NonNullable<ImportPath['requestBody']>['content']['multipart/form-data'],
    }),
  );
}
