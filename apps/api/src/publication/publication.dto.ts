import { ApiProperty } from '@nestjs/swagger';

export class ReservePoolEntryDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty() orgName!: string;
  @ApiProperty() creditCode!: string;
  @ApiProperty() taskName!: string;
  @ApiProperty() cityName!: string;
  @ApiProperty() stage!: string;
  @ApiProperty() addedAt!: string;
}
