import { Body, Controller, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../auth/auth.types';
import { Meta, Public } from '../auth/decorators';
import { Endpoint } from '../common/endpoint.decorator';
import { CreditCodeQueryDto, RegionProposalDto, RegisterDto, RegistrationOptionsDto, RegistrationResultDto } from './registration.dto';
import { RegistrationService } from './registration.service';

/**
 * Public registration of an applicant organisation (no login). Its first account is activated by its
 * owner through the link AccountLinks mails (POST /api/v1/auth/activate, the console's /activate).
 */
@ApiTags('registration')
@Controller('api/v1/registration')
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  @Public()
  @Endpoint('GET', 'options', { summary: 'Public: the choices of the registration form (Shandong’s cities and counties, applicant types)', ok: RegistrationOptionsDto, errors: [429] })
  options(): RegistrationOptionsDto {
    return this.registration.options();
  }

  @Public()
  @Endpoint('GET', 'region', {
    summary: 'Public: check a 统一社会信用代码 (GB 32100-2015) and the county its characters 3–8 propose (throttled per client)',
    ok: RegionProposalDto,
    errors: [400, 422, 429],
  })
  region(@Query() q: CreditCodeQueryDto, @Meta() meta: RequestMeta): Promise<RegionProposalDto> {
    return this.registration.proposal(q.creditCode, meta);
  }

  @Public()
  @Endpoint('POST', '', {
    summary: 'Public: register an organisation (pending its county’s verification); its contact becomes the first APPLICANT account, activated from a mail. 409 with the masked existing contact when the code is registered; throttled per client and per email',
    created: RegistrationResultDto,
    errors: [400, 409, 422, 429],
  })
  register(@Body() dto: RegisterDto, @Meta() meta: RequestMeta): Promise<RegistrationResultDto> {
    return this.registration.register(dto, meta);
  }
}
