import { ApiProperty } from '@nestjs/swagger';

/** Which application a row of a list or a preview is about: its number, the project and the organisation. */
export class ApplicationRefDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty() orgName!: string;
}
