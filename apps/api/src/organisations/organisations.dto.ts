import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { UserDto } from '../users/users.dto';
import { IsString, MaxLength } from 'class-validator';
import { EmailField } from '../common/fields';
import { APPLICANT_TYPES, ORGANISATION_HISTORY_ACTIONS, ORGANISATION_STATUSES, type ApplicantType, type OrganisationHistoryAction, type OrganisationStatus } from '@jiebang/domain';
import { Label } from '../common/labels';
import { IsOptional, NotBlank } from '../common/validation';

export class OrganisationHistoryDto {
  id!: string;
  @ApiProperty({ enum: ORGANISATION_HISTORY_ACTIONS }) action!: OrganisationHistoryAction;
  actionLabel!: string;
  actorName!: string | null;
  reason!: string | null;
  occurredAt!: string;
}

/** The declared values (verified or waiting for the county), with Chinese names of codes. */
export class OrganisationClaimViewDto {
  name!: string;
  @ApiProperty({ enum: APPLICANT_TYPES }) applicantType!: ApplicantType;
  applicantTypeLabel!: string;
  buildsCarrier!: boolean;
  isCentralSoe!: boolean;
  isProvincialSoe!: boolean;
  isSubsidiary!: boolean;
  parentName!: string | null;
  parentCreditCode!: string | null;
  groupParentCreditCode!: string | null;
  groupName!: string | null;
  cityCode!: string;
  cityName!: string;
  countyCode!: string;
  countyName!: string;
  address!: string | null;
}

export class OrganisationDto {
  id!: string;
  creditCode!: string;
  @ApiProperty({ enum: ORGANISATION_STATUSES }) status!: OrganisationStatus;
  statusLabel!: string;
  @ApiProperty({ type: OrganisationClaimViewDto, description: 'What the county verified (for a new organisation: its name, type and region only)' }) verified!: OrganisationClaimViewDto;
  @ApiPropertyOptional({ type: OrganisationClaimViewDto, nullable: true, description: 'What waits for the county (or was rejected)' }) claim!: OrganisationClaimViewDto | null;
  rejectionReason!: string | null;
  verifiedAt!: string | null;
  @ApiProperty({ description: 'The contact person (the caller is in scope: its county or its own applicants)' }) contactName!: string;
  contactMobile!: string;
  @ApiProperty({ type: [OrganisationHistoryDto] }) history!: OrganisationHistoryDto[];
  @ApiProperty({ description: 'The version a decision names (seenVersion): when it was last changed' }) version!: string;
}

export class PendingOrganisationDto {
  id!: string;
  creditCode!: string;
  name!: string;
  applicantTypeLabel!: string;
  @ApiProperty({ description: 'A change of a verified organisation (else a new registration)' }) isChange!: boolean;
  @ApiProperty({ description: 'Claims 中央驻鲁企业 or 省属国企' }) claimsExemption!: boolean;
  submittedAt!: string;
}

export class PendingOrganisationsDto {
  @ApiProperty({ type: [PendingOrganisationDto] }) items!: PendingOrganisationDto[];
  total!: number;
}


export class VerifyOrganisationDto {
  @ApiPropertyOptional({ description: '核验时看到的版本（单位信息的更新时间）：其后单位又有修改时拒绝，请刷新后再核验' })
  @Label('单位信息版本')
  @IsOptional()
  @IsString()
  @MaxLength(40)
  seenVersion?: string;
}

export class RejectOrganisationBodyDto extends VerifyOrganisationDto {
  @ApiProperty({ description: '未通过核验的原因（申报单位可见）' }) @Label('未通过原因') @IsString() @NotBlank() @MaxLength(500) reason!: string;
}

export class InviteColleagueDto {
  @ApiProperty({ description: "The colleague's name" }) @Label('同事姓名') @IsString() @NotBlank() @MaxLength(50) name!: string;
  @EmailField('同事邮箱', "The colleague's own address: the activation link goes there; it is also the login name", 254) email!: string;
}

/** A colleague's account as the organisation's applicants see it. */
export class OrganisationColleagueDto extends PickType(UserDto, ['id', 'username', 'displayName', 'email', 'activated', 'disabled'] as const) {}
