import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Type } from '@nestjs/common';

/** One application's outcome in a bulk run (batch recommendation, formal check). */
export class BulkItemResultDto {
  @ApiProperty() id!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) stage!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) code!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) message!: string | null;
}

/** A bulk operation's preview: per application whether it can be taken now (and why not), and the counts. */
export function BulkPreviewDto<I>(item: Type<I>) {
  class BulkPreview {
    @ApiProperty({ type: [item] }) items!: I[];
    @ApiProperty() eligible!: number;
    @ApiProperty() refused!: number;
  }
  return BulkPreview;
}

/** The answer of a bulk run: the preview it ran, each item's result, and the counts. */
export function BulkResultDto<P, I>(preview: Type<P>, item: Type<I>) {
  class BulkResult {
    @ApiProperty({ type: preview }) preview!: P;
    @ApiProperty({ type: [item] }) results!: I[];
    @ApiProperty() succeeded!: number;
    @ApiProperty() failed!: number;
  }
  return BulkResult;
}
