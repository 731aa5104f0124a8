import { ApiProperty } from '@nestjs/swagger';
import { findTask, STAGE_LABELS, type Stage } from '@jiebang/domain';
import { regionName } from '@jiebang/domain/reference/regions';

/** Which application a row of a list or a preview is about: its number, the project and the organisation. */
export class ApplicationRefDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty() orgName!: string;
}

/** An application row (projection columns) as a list names it: number, project, organisation, city, task and stage, in words. */
export function applicationRowRef(r: { application_id: string; project_name: string; org_name: string; city_code: string; task_code: string; stage: string }) {
  const stageLabel = STAGE_LABELS[r.stage as Stage] ?? r.stage;
  return { applicationId: r.application_id, projectName: r.project_name, orgName: r.org_name, cityName: regionName(r.city_code), taskName: findTask(r.task_code)?.name ?? r.task_code, stage: r.stage, stageLabel };
}

/** An application row with its task (code and name), for per-task lists. */
export class ApplicationTaskRefDto extends ApplicationRefDto {
  @ApiProperty() taskCode!: string;
  @ApiProperty() taskName!: string;
}
