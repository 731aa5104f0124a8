/** Directions and tasks (榜单) of the 2026 notice, 附件1. */
export const DIRECTIONS = [
  { code: 'TECH', name: '技术赋能' },
  { code: 'CHAIN', name: '链式转型' },
  { code: 'CARRIER', name: '载体赋能' },
] as const;
export type DirectionCode = (typeof DIRECTIONS)[number]['code'];

export interface TaskDef {
  code: string;
  direction: DirectionCode;
  name: string;
  /** Winners also enter the provincial reserve pool (省级制造业数字化转型促进中心储备库). */
  entersReservePool: boolean;
}

export const TASKS: readonly TaskDef[] = [
  { code: 'T1', direction: 'TECH', name: '5G工厂（产线/车间）', entersReservePool: false },
  { code: 'T2', direction: 'TECH', name: '“工业机器人+”典型场景', entersReservePool: false },
  { code: 'T3', direction: 'TECH', name: '工业互联网平台+大模型（生产制造方向）', entersReservePool: false },
  { code: 'T4', direction: 'TECH', name: '工业互联网平台+大模型（供应链协同方向）', entersReservePool: false },
  { code: 'T5', direction: 'TECH', name: '工业互联网平台+大模型（安全生产方向）', entersReservePool: false },
  { code: 'T6', direction: 'TECH', name: '工业互联网平台+大模型（绿色低碳方向）', entersReservePool: false },
  { code: 'T7', direction: 'TECH', name: '“万兆+人工智能（AI）”能力提升', entersReservePool: false },
  { code: 'T8', direction: 'CHAIN', name: '产业链链式转型', entersReservePool: false },
  { code: 'T9', direction: 'CARRIER', name: '数字化转型公共服务载体赋能', entersReservePool: true },
];

export const TASK_CODES = TASKS.map((t) => t.code);

export function findTask(code: string): TaskDef | undefined {
  return TASKS.find((t) => t.code === code);
}

export const APPLICANT_TYPES = ['SERVICE_PROVIDER', 'MANUFACTURER'] as const;
export type ApplicantType = (typeof APPLICANT_TYPES)[number];
export const APPLICANT_TYPE_LABELS: Record<ApplicantType, string> = {
  SERVICE_PROVIDER: '数字化转型服务商',
  MANUFACTURER: '制造业企业',
};

/** The five eligibility attestations of the notice (二、基本申报条件). */
export const ATTESTATIONS = [
  { key: 'normalOperation', label: '经营状态正常、符合产业发展方向' },
  { key: 'noMajorSafetyAccident', label: '近三年内未发生过较大以上安全生产事故' },
  { key: 'noSeriousDishonesty', label: '无严重失信记录' },
  { key: 'notAbnormalListed', label: '未被列入经营异常名录' },
  { key: 'greenThreshold', label: '符合财政涉企资金“绿色门槛”制度要求' },
] as const;
export type AttestationKey = (typeof ATTESTATIONS)[number]['key'];
export const ATTESTATION_KEYS: AttestationKey[] = ATTESTATIONS.map((a) => a.key);

/** Material kinds: the required set of the notice plus optional ones. */
export const MATERIALS = [
  { kind: 'PROJECT_INFO', label: '项目基本信息表', required: true, byUpload: false },
  { kind: 'UNIT_INFO', label: '申报单位信息表', required: true, byUpload: false },
  { kind: 'FEASIBILITY_REPORT', label: '项目可行性报告（附件3模板）', required: true, byUpload: true },
  { kind: 'SUPPORTING', label: '证明材料及相关附件', required: true, byUpload: true },
  { kind: 'PAPER_SCAN', label: '申报书纸质版盖章扫描件', required: true, byUpload: true },
  { kind: 'PARENT_LETTER', label: '省级公司推荐函', required: false, byUpload: true },
  { kind: 'ARCHIVE', label: '项目实施过程档案', required: false, byUpload: true },
  { kind: 'CITY_REPORT', label: '工信与财政联合推荐文件（盖章扫描件）', required: false, byUpload: true },
] as const;
export type MaterialKind = (typeof MATERIALS)[number]['kind'];
export const MATERIAL_KINDS: MaterialKind[] = MATERIALS.map((m) => m.kind);

export function materialLabel(kind: string): string {
  return MATERIALS.find((m) => m.kind === kind)?.label ?? kind;
}
