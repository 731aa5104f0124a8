import { ApiProperty } from '@nestjs/swagger';
import { ApplicationRefDto } from '../common/application-ref.dto';

export class ReservePoolEntryDto extends ApplicationRefDto {
  @ApiProperty() creditCode!: string;
  @ApiProperty() taskName!: string;
  @ApiProperty() cityName!: string;
  @ApiProperty() stage!: string;
  @ApiProperty() addedAt!: string;
}
