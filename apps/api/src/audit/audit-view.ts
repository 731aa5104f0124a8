import {
  APPLICATION_FIELD_LABELS,
  AUDIT_DETAIL_LABELS,
  AUDIT_DETAIL_VALUES,
  AUDIT_OUTCOME_LABELS,
  auditEventLabel,
  DECISION_LABELS,
  findTask,
  formatShanghai,
  PROJECT_FIELD_LABELS,
  REFUSALS,
  ROLE_LABELS,
  STAGE_LABELS,
  taskLabel,
  UNIT_FIELD_LABELS,
  type ActorRole,
  type AuditOutcome,
  type Stage,
} from '@jiebang/domain';

/** One line of an audit row's details, for people: a label and a value in words. */
export interface AuditDetailLine {
  label: string;
  value: string;
}

/** A task's name by its code, in the campaign an audit row is about (undefined when it has none). */
export type TaskNamer = (code: string) => string | undefined;

/** Outside any campaign's 榜单: the 2026 seed's names. */
const seedTaskName: TaskNamer = (code) => findTask(code)?.name;

const FIELD_NAMES: Record<string, string> = { ...APPLICATION_FIELD_LABELS, ...PROJECT_FIELD_LABELS, ...UNIT_FIELD_LABELS };
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function word(key: string, v: unknown, taskName: TaskNamer): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map((x) => word(key, x, taskName)).join('、') || '—';
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => `${detailLabel(k)}：${word(k, x, taskName)}`)
      .join('；');
  }
  const s = String(v);
  if (key === 'code' && s in REFUSALS) return REFUSALS[s as keyof typeof REFUSALS].message;
  if (key === 'fields' && FIELD_NAMES[s]) return FIELD_NAMES[s];
  if (key === 'role' && s in ROLE_LABELS) return ROLE_LABELS[s as ActorRole];
  if (key === 'taskCode') return taskLabel(s, taskName(s));
  if (s in STAGE_LABELS) return STAGE_LABELS[s as Stage];
  if (s in DECISION_LABELS) return DECISION_LABELS[s];
  if (AUDIT_DETAIL_VALUES[s]) return AUDIT_DETAIL_VALUES[s];
  if (INSTANT.test(s) && Number.isFinite(Date.parse(s))) return `${formatShanghai(Date.parse(s))}（北京时间）`;
  return s;
}

function detailLabel(key: string): string {
  return AUDIT_DETAIL_LABELS[key] ?? FIELD_NAMES[key] ?? '其他信息';
}

/**
 * An audit row's details as lines of label and value (a refusal's code is left out when its
 * message is there; the message says the same in words). Task codes are named by `taskName`:
 * the 榜单 of the row's campaign (each campaign has its own), the 2026 seed's by default.
 */
export function auditDetails(detail: Record<string, unknown> | null, taskName: TaskNamer = seedTaskName): AuditDetailLine[] {
  if (!detail) return [];
  return Object.entries(detail)
    .filter(([k, v]) => v !== null && v !== undefined && !(k === 'code' && typeof detail.message === 'string'))
    .map(([k, v]) => ({ label: detailLabel(k), value: word(k, v, taskName) }));
}

/** The names an audit row is read by. */
export function auditNames(row: { eventType: string; outcome: string; role: string | null }): { eventLabel: string; outcomeLabel: string; roleLabel: string | null } {
  return {
    eventLabel: auditEventLabel(row.eventType),
    outcomeLabel: AUDIT_OUTCOME_LABELS[row.outcome as AuditOutcome] ?? '其他',
    roleLabel: row.role ? (ROLE_LABELS[row.role as ActorRole] ?? '其他角色') : null,
  };
}
