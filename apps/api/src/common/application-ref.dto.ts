import { findTask, STAGE_LABELS, type Stage } from '@jiebang/domain';
import { regionName } from '@jiebang/domain/reference/regions';

/** Which application a row of a list or a preview is about: its number, the project and the organisation. */
export class ApplicationRefDto {
  applicationId!: string;
  projectName!: string;
  orgName!: string;
}

/**
 * An application row (projection columns) as a list names it: number, project, organisation, city,
 * task and stage, in words. The task's name is the campaign's (`task_name`, when the row carries
 * it), else the 2026 seed's.
 */
export function applicationRowRef(r: { application_id: string; project_name: string; org_name: string; city_code: string; task_code: string; task_name?: string | null; stage: string }) {
  const stageLabel = STAGE_LABELS[r.stage as Stage] ?? r.stage;
  const taskName = r.task_name ?? findTask(r.task_code)?.name ?? r.task_code;
  return { applicationId: r.application_id, projectName: r.project_name, orgName: r.org_name, cityName: regionName(r.city_code), taskName, stage: r.stage, stageLabel };
}

/** An application row with its task (code and name), for per-task lists. */
export class ApplicationTaskRefDto extends ApplicationRefDto {
  taskCode!: string;
  taskName!: string;
}
