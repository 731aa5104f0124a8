import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Label } from '../common/labels';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A Temporal payload as the codec server protocol carries it: metadata values and data in base64. */
export class CodecPayloadDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'metadata, each value base64' })
  @Label('数据元信息')
  @IsObject()
  metadata!: Record<string, string>;

  @ApiProperty({ description: 'base64' })
  @Label('数据内容')
  @IsString()
  @MaxLength(8 * 1024 * 1024)
  @Matches(BASE64, { message: '须为 base64 编码' })
  data!: string;
}

export class CodecPayloadsDto {
  @ApiProperty({ type: [CodecPayloadDto] })
  @Label('待解密的数据')
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => CodecPayloadDto)
  payloads!: CodecPayloadDto[];
}
