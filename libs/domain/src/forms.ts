/**
 * The labels of the notice's two forms (项目基本信息表, 申报单位信息表), written once: the API names
 * a refused field by them, the console labels its controls and the detail page with them.
 */
export const PROJECT_FIELD_LABELS = {
  summary: '项目简介',
  content: '主要建设内容',
  goals: '预期目标及考核指标',
  scenario: '应用场景/所属行业',
  startDate: '实施开始日期',
  endDate: '实施结束日期',
  totalInvestment: '项目总投资（万元）',
  itInvestment: '其中软硬件投入（万元）',
  partners: '联合申报单位',
  contactName: '项目联系人',
  contactPhone: '联系电话',
} as const;

export const UNIT_FIELD_LABELS = {
  legalRepresentative: '法定代表人',
  registeredCapital: '注册资本（万元）',
  establishedDate: '成立日期',
  employees: '职工人数',
  revenueLastYear: '上年度营业收入（万元）',
  rdLastYear: '上年度研发投入（万元）',
  address: '通讯地址',
  mainBusiness: '主营业务',
  honours: '资质荣誉',
} as const;

export type ProjectField = keyof typeof PROJECT_FIELD_LABELS;
export type UnitField = keyof typeof UNIT_FIELD_LABELS;

/** The application's own fields beside the two forms. */
export const APPLICATION_FIELD_LABELS = {
  campaignId: '申报批次',
  taskCode: '揭榜任务',
  projectName: '项目名称',
  project: '项目基本信息表',
  unit: '申报单位信息表',
} as const;

/** A text field's length limit, or a number's range and decimals: the API refuses beyond them, the form says so first. */
export type FieldLimit = { text: number } | { min: number; max: number; decimals: number };

export const PROJECT_FIELD_LIMITS: Record<Exclude<ProjectField, 'startDate' | 'endDate' | 'contactPhone' | 'partners'>, FieldLimit> = {
  summary: { text: 2000 },
  content: { text: 5000 },
  goals: { text: 3000 },
  scenario: { text: 200 },
  totalInvestment: { min: 0, max: 10_000_000, decimals: 2 },
  itInvestment: { min: 0, max: 10_000_000, decimals: 2 },
  contactName: { text: 50 },
};

export const UNIT_FIELD_LIMITS: Record<Exclude<UnitField, 'establishedDate'>, FieldLimit> = {
  legalRepresentative: { text: 50 },
  registeredCapital: { min: 0, max: 100_000_000, decimals: 2 },
  employees: { min: 0, max: 10_000_000, decimals: 0 },
  revenueLastYear: { min: 0, max: 1_000_000_000, decimals: 2 },
  rdLastYear: { min: 0, max: 1_000_000_000, decimals: 2 },
  address: { text: 200 },
  mainBusiness: { text: 1000 },
  honours: { text: 2000 },
};

export const PROJECT_NAME_MAX = 200;
/** 联系电话: 7–20 of digits, + - ( ) and spaces. */
export const PHONE_PATTERN = /^[0-9+\-() ]{7,20}$/;

/** What a submission requires of the two forms (the materials PROJECT_INFO and UNIT_INFO are present when these are filled). */
export const PROJECT_REQUIRED: readonly ProjectField[] = ['summary', 'content', 'goals', 'startDate', 'endDate', 'totalInvestment', 'contactName', 'contactPhone'];
export const UNIT_REQUIRED: readonly UnitField[] = ['legalRepresentative', 'employees', 'revenueLastYear', 'address', 'mainBusiness'];
