import { ApiProperty } from '@nestjs/swagger';

/** Which application a row of a list or a preview is about: its number, the project and the organisation. */
export class ApplicationRefDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty() orgName!: string;
}

/** An application row with its task (code and name), for per-task lists. */
export class ApplicationTaskRefDto extends ApplicationRefDto {
  @ApiProperty() taskCode!: string;
  @ApiProperty() taskName!: string;
}
