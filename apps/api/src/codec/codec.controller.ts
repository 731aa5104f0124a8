import { Body, Headers } from '@nestjs/common';
import { CurrentUser, Meta } from '../auth/decorators';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { CodecPayloadsDto } from './codec.dto';
import { CodecService } from './codec.service';

/** Province staff (and the system administrator, who opens histories for repairs) only. */
const CODEC_ROLES = ['PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN'] as const;

/**
 * Temporal's codec server protocol (POST …/decode, …/encode with `{ payloads }`), for the
 * Temporal UI ("Data Encoder": this URL, access token passed) and the CLI
 * (`temporal workflow show --codec-endpoint https://…/api/v1/temporal-codec --codec-auth "Bearer <token>"`).
 */
@ApiController('temporal-codec', 'api/v1/temporal-codec')
export class CodecController {
  constructor(private readonly codec: CodecService) {}

  @Endpoint('POST', 'decode', { roles: [...CODEC_ROLES], status: 200, summary: 'PROVINCE_IT, PROVINCE_FINANCE, ADMIN: decrypt Temporal payloads for the Temporal UI or CLI (audited)', ok: CodecPayloadsDto, errors: [400, 401, 403, 422] })
  async decode(@Body() body: CodecPayloadsDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta, @Headers('x-namespace') namespace?: string): Promise<CodecPayloadsDto> {
    return { payloads: await this.codec.decode(body.payloads, user, meta, typeof namespace === 'string' ? namespace.slice(0, 100) : null) };
  }

  @Endpoint('POST', 'encode', { roles: [...CODEC_ROLES], status: 200, summary: 'PROVINCE_IT, PROVINCE_FINANCE, ADMIN: encrypt payloads the Temporal UI sends', ok: CodecPayloadsDto, errors: [400, 401, 403] })
  async encode(@Body() body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    return { payloads: await this.codec.encode(body.payloads) };
  }
}
