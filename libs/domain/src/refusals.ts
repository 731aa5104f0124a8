/**
 * Stable refusal codes. Clients match on `code`; people read `message` (Chinese).
 * `status` is the HTTP status the API answers with.
 */
export const REFUSALS = {
  WRONG_STAGE: { status: 409, message: '当前环节不允许此操作' },
  WRONG_ROLE: { status: 403, message: '您的角色无权执行此操作' },
  OUT_OF_SCOPE: { status: 404, message: '申报项目不存在或不在您的管辖范围内' },
  AFTER_DEADLINE: { status: 409, message: '已超过截止时间，系统已关闭此操作' },
  REASON_REQUIRED: { status: 422, message: '请填写理由' },
  ATTESTATION_MISSING: { status: 422, message: '请确认全部申报承诺事项' },
  MATERIAL_MISSING: { status: 422, message: '申报材料不完整' },
  QUOTA_FULL: { status: 409, message: '本市推荐名额已满' },
  LIMIT_REACHED: { status: 409, message: '已达到申报数量上限' },
  INVALID_INPUT: { status: 422, message: '输入内容不符合要求' },
  NOT_ASSIGNED: { status: 404, message: '该项目未分配给您评审' },
  ALREADY_DONE: { status: 409, message: '该操作已完成，无需重复提交' },
  AWAITING_CONCURRENCE: { status: 409, message: '已有意见待会签，请等待会签结果' },
  NOTHING_TO_CONCUR: { status: 409, message: '当前没有待会签的意见' },
  PRECONDITION: { status: 409, message: '前置条件未满足' },
  OBJECTION_OPEN: { status: 409, message: '存在未处理的公示异议' },
  MATERIALS_FROZEN: { status: 409, message: '项目已推荐至省厅，申报材料不能更改' },
  ORG_NOT_VERIFIED: { status: 409, message: '申报单位尚未通过县级实名核验，核验通过后方可提交申报' },
} as const;

export type RefusalCode = keyof typeof REFUSALS;

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** The input field the refusal is about, when there is one. */
  field?: string;
}

export function refuse(code: RefusalCode, message?: string, field?: string): Refusal {
  const r: Refusal = { code, message: message ?? REFUSALS[code].message };
  if (field) r.field = field;
  return r;
}

export function refusalStatus(code: string): number {
  return (REFUSALS as Record<string, { status: number }>)[code]?.status ?? 409;
}

export function isRefusalCode(code: unknown): code is RefusalCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(REFUSALS, code);
}
