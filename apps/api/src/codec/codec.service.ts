import { Injectable } from '@nestjs/common';
import type { Payload } from '@temporalio/common';
import { createPayloadCodec, CryptoError, KeySet, type Sm4PayloadCodec } from '@jiebang/crypto';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { ApiError } from '../common/errors';
import type { CodecPayloadDto } from './codec.dto';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function toPayload(p: CodecPayloadDto, i: number): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) {
    if (typeof v !== 'string' || !BASE64.test(v)) throw new ApiError(400, 'INVALID_INPUT', `第 ${i + 1} 项数据的元数据须为 base64 编码`, `payloads.${i}.metadata`);
    metadata[k] = Buffer.from(v, 'base64');
  }
  return { metadata, data: Buffer.from(p.data, 'base64') };
}

function toDto(p: Payload): CodecPayloadDto {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

/**
 * The codec server of the Temporal UI and CLI (Temporal's codec server protocol): the histories
 * Temporal stores are SM4-encrypted (libs/crypto payload codec), so province staff read them in
 * the clear only through here, authenticated, and every decode is audited.
 */
@Injectable()
export class CodecService {
  private readonly codec: Sm4PayloadCodec;

  constructor(
    keys: KeySet,
    private readonly audit: AuditService,
  ) {
    this.codec = createPayloadCodec(keys);
  }

  async decode(payloads: CodecPayloadDto[], user: AuthUser, meta: RequestMeta, namespace: string | null): Promise<CodecPayloadDto[]> {
    let out: Payload[];
    try {
      out = await this.codec.decode(payloads.map(toPayload));
    } catch (err) {
      if (err instanceof CryptoError) throw new ApiError(422, 'UNDECODABLE_PAYLOAD', '数据无法解密（已被篡改或密钥不可用）', 'payloads');
      throw err;
    }
    await this.audit.record(user, meta, 'ADMIN.TEMPORAL_DECODE', 'SUCCESS', namespace, { count: payloads.length });
    return out.map(toDto);
  }

  /** The UI encodes what it sends (a query's or signal's arguments); nothing is audited for that. */
  async encode(payloads: CodecPayloadDto[]): Promise<CodecPayloadDto[]> {
    return (await this.codec.encode(payloads.map(toPayload))).map(toDto);
  }
}
