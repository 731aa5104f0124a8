import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { APPLICANT_TYPES, MOBILE_PATTERN, ORGANISATION_STATUSES, type ApplicantType, type OrganisationStatus } from '@jiebang/domain';
import { EmailField } from '../common/fields';
import { Label } from '../common/labels';
import { IsOptional, NotBlank } from '../common/validation';

/** What the applicant declares about the organisation: at registration, in a correction, in a change. */
export class OrganisationClaimDto {
  @ApiProperty({ description: '单位名称（与营业执照一致）' }) @Label('单位名称') @IsString() @NotBlank() @MaxLength(100) name!: string;
  @ApiProperty({ enum: APPLICANT_TYPES, description: '申报主体类型' }) @Label('申报主体类型') @IsIn(APPLICANT_TYPES) applicantType!: ApplicantType;
  @ApiProperty({ description: '是否建设数字化转型公共服务载体（任务9）' }) @Label('是否建设公共服务载体') @IsBoolean() buildsCarrier!: boolean;
  @ApiProperty({ description: '中央驻鲁企业' }) @Label('中央驻鲁企业') @IsBoolean() isCentralSoe!: boolean;
  @ApiProperty({ description: '省属国企' }) @Label('省属国企') @IsBoolean() isProvincialSoe!: boolean;
  @ApiProperty({ description: '是否为中央驻鲁企业或省属国企的下属企业' }) @Label('下属企业') @IsBoolean() isSubsidiary!: boolean;
  @ApiPropertyOptional({ description: '上级企业名称（下属企业填写）' }) @Label('上级企业名称') @IsOptional() @IsString() @NotBlank() @MaxLength(100) parentName?: string;
  @ApiPropertyOptional({ description: '上级企业统一社会信用代码（下属企业填写）' }) @Label('上级企业统一社会信用代码') @IsOptional() @IsString() @MaxLength(30) parentCreditCode?: string;
  @ApiPropertyOptional({ description: '所属集团母公司的统一社会信用代码' }) @Label('集团母公司统一社会信用代码') @IsOptional() @IsString() @MaxLength(30) groupParentCreditCode?: string;
  @ApiPropertyOptional({ description: '所属集团名称' }) @Label('集团名称') @IsOptional() @IsString() @NotBlank() @MaxLength(100) groupName?: string;
  @ApiProperty({ description: '注册所在县（市、区）的行政区划代码（由信用代码第3–8位建议，可更改，须在山东省内）' })
  @Label('注册所在县（市、区）')
  @Matches(/^\d{6}$/, { message: '须为6位行政区划代码' })
  countyCode!: string;
  @ApiPropertyOptional({ description: '注册地址' }) @Label('注册地址') @IsOptional() @IsString() @NotBlank() @MaxLength(200) address?: string;
}

export class RegisterDto extends OrganisationClaimDto {
  @ApiProperty({ description: '统一社会信用代码（18位）', example: '91370102MA3C00001X' }) @Label('统一社会信用代码') @IsString() @IsNotEmpty() @MaxLength(30) creditCode!: string;
  @ApiProperty({ description: '联系人姓名（成为本单位的第一个申报账号）' }) @Label('联系人姓名') @IsString() @NotBlank() @MaxLength(30) contactName!: string;
  @ApiProperty({ description: '联系人手机号' }) @Label('联系人手机号') @IsString() @Matches(MOBILE_PATTERN, { message: '须为11位手机号码' }) contactMobile!: string;
  @EmailField('联系人邮箱', '联系人邮箱（接收激活邮件，并作为登录用户名）', 64)
  contactEmail!: string;
}

export class RegionOptionDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['CITY', 'COUNTY'] }) level!: 'CITY' | 'COUNTY';
  @ApiPropertyOptional({ nullable: true, type: String }) parentCode!: string | null;
}

export class RegistrationOptionsDto {
  @ApiProperty({ type: [RegionOptionDto], description: "Shandong's cities and their county-level divisions" }) regions!: RegionOptionDto[];
  @ApiProperty({ type: Object, description: 'Applicant types and their Chinese labels' }) applicantTypes!: Record<string, string>;
}

export class CreditCodeQueryDto {
  @ApiProperty() @Label('统一社会信用代码') @IsString() @IsNotEmpty() @MaxLength(30) creditCode!: string;
}

export class RegionProposalDto {
  @ApiProperty({ description: 'The code as read (upper case, no blanks)' }) creditCode!: string;
  @ApiProperty({ description: 'Characters 3–8: the registration authority’s division code' }) divisionCode!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) cityCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) cityName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) countyCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) countyName!: string | null;
  @ApiProperty({ description: 'For people: what was proposed and what to confirm' }) message!: string;
}

export class RegistrationResultDto {
  @ApiProperty() organisationId!: string;
  @ApiProperty() creditCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ORGANISATION_STATUSES }) status!: OrganisationStatus;
  @ApiProperty() statusLabel!: string;
  @ApiProperty({ description: 'The county that verifies it' }) countyName!: string;
  @ApiProperty({ description: 'The activation mail went to this address (masked)' }) maskedEmail!: string;
  @ApiProperty({ description: 'For people: what happens next' }) message!: string;
}
