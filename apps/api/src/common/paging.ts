import { ApiProperty } from '@nestjs/swagger';
import { PageParam } from './validation';

export class PageQueryDto {
  @PageParam(1, 100000) page: number = 1;
  @PageParam(20, 200) pageSize: number = 20;
}

export class PageMetaDto {
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}
