export const STAGES = [
  'DRAFT',
  'COUNTY_REVIEW',
  'CITY_REVIEW',
  'RECOMMENDED',
  'RETURNED',
  'CLOSED_EXPIRED',
  'CLOSED_NOT_RECOMMENDED',
  'PROVINCIAL_REVIEW',
  'CLOSED_FORMAL_CHECK_FAILED',
  'CLOSED_NOT_SELECTED',
  'PUBLICITY',
  'IMPLEMENTATION',
  'ACCEPTANCE',
  'ACCEPTED',
  'ACCEPTANCE_FAILED',
  'TERMINATED',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  DRAFT: '草稿',
  COUNTY_REVIEW: '县级审核',
  CITY_REVIEW: '市级审核推荐',
  RECOMMENDED: '已推荐（待省级评审）',
  RETURNED: '已退回修改',
  CLOSED_EXPIRED: '已截止（未提交）',
  CLOSED_NOT_RECOMMENDED: '未推荐',
  PROVINCIAL_REVIEW: '省级评审',
  CLOSED_FORMAL_CHECK_FAILED: '形式审查未通过',
  CLOSED_NOT_SELECTED: '未入围',
  PUBLICITY: '公示中',
  IMPLEMENTATION: '项目实施',
  ACCEPTANCE: '验收评估',
  ACCEPTED: '验收通过',
  ACCEPTANCE_FAILED: '验收未通过',
  TERMINATED: '已终止',
};

/** Stages that the provincial shutdown (or a regional cut-off) closes. */
export const PRE_SHUTDOWN_STAGES: readonly Stage[] = ['DRAFT', 'RETURNED', 'COUNTY_REVIEW', 'CITY_REVIEW', 'RECOMMENDED'];

export const TERMINAL_STAGES: readonly Stage[] = [
  'CLOSED_EXPIRED',
  'CLOSED_NOT_RECOMMENDED',
  'CLOSED_FORMAL_CHECK_FAILED',
  'CLOSED_NOT_SELECTED',
  'ACCEPTED',
  'ACCEPTANCE_FAILED',
  'TERMINATED',
];

/** Where the applicant may still edit materials. */
export const EDITABLE_STAGES: readonly Stage[] = ['DRAFT', 'RETURNED'];

/**
 * Recommended to the province and still live, or accepted: the materials are frozen
 * (原则上不能更改, DESIGN.md); only a return before the shutdown reopens them.
 */
export const MATERIALS_FROZEN_STAGES: readonly Stage[] = ['RECOMMENDED', 'PROVINCIAL_REVIEW', 'PUBLICITY', 'IMPLEMENTATION', 'ACCEPTANCE', 'ACCEPTED'];

export function isTerminal(stage: Stage): boolean {
  return TERMINAL_STAGES.includes(stage);
}

export function isPreShutdown(stage: Stage): boolean {
  return PRE_SHUTDOWN_STAGES.includes(stage);
}

/** What a stage becomes when its cut-off passes (DESIGN.md, "At the shutdown"). */
export function closingStageAtCutoff(stage: Stage): Stage | null {
  switch (stage) {
    case 'DRAFT':
    case 'RETURNED':
      return 'CLOSED_EXPIRED';
    case 'COUNTY_REVIEW':
    case 'CITY_REVIEW':
      return 'CLOSED_NOT_RECOMMENDED';
    case 'RECOMMENDED':
      return 'PROVINCIAL_REVIEW';
    default:
      return null;
  }
}
