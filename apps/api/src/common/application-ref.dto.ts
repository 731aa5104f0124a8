
/** Which application a row of a list or a preview is about: its number, the project and the organisation. */
export class ApplicationRefDto {
  applicationId!: string;
  projectName!: string;
  orgName!: string;
}

/** An application row with its task (code and name), for per-task lists. */
export class ApplicationTaskRefDto extends ApplicationRefDto {
  taskCode!: string;
  taskName!: string;
}
