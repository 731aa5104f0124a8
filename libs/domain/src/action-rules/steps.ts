/**
 * The rules of the step actions (actions-steps.ts): the task of a draft, the formal check, and
 * the supplement window (补正) in provincial review.
 */
import { ACTIONS, SUPPLEMENT_KINDS, SUPPLEMENT_MAX_DAYS } from '../actions';
import { refuse, type Refusal } from '../refusals';
import { campaignTask } from '../campaign-setup';
import { materialLabel, type MaterialKind } from '../reference/tasks';
import type { ApplicationState } from '../state';
import { notify, refused, when } from '../step';
import { DAY_MS, formatShanghai } from '../time';
import type { SomeRules } from './rule';

const TASK = ACTIONS.changeTask.payload.fields.taskCode;
const { kinds: KINDS, endsAt: ENDS } = ACTIONS.openSupplement.payload.fields;

/** The formal check comes first: nothing is selected that has not passed it (runs that know it). */
export function formalCheckPassed(s: ApplicationState): Refusal | null {
  if (s.formalCheck === undefined) return null;
  return s.formalCheck?.result === 'PASS' ? null : refuse('PRECONDITION', '尚未通过形式审查');
}

/** The supplement window as the workflow's clock sees it: open, and not past its end. */
export function supplementOpen(s: ApplicationState, now: number): Refusal | null {
  if (!s.supplement) return refuse('MATERIALS_FROZEN', '项目已推荐至省厅，申报材料原则上不能更改；当前没有开启中的材料补正');
  if (now >= s.supplement.endsAt) return refuse('AFTER_DEADLINE', `材料补正已于 ${formatShanghai(s.supplement.endsAt)} 截止`);
  return null;
}

function labels(kinds: readonly string[]): string {
  return kinds.map(materialLabel).join('、');
}

/** The kinds of a payload: known replaceable kinds, each once. */
function kindsOf(value: unknown, label: string, field: string): { kinds: MaterialKind[] } | { refusal: Refusal } {
  const list = Array.isArray(value) ? value : [];
  const unknown = list.find((k) => !(SUPPLEMENT_KINDS as readonly unknown[]).includes(k));
  if (list.length === 0) return { refusal: refuse('INVALID_INPUT', `请选择${label}`, field) };
  if (unknown !== undefined) return { refusal: refuse('INVALID_INPUT', `${label}须为${labels(SUPPLEMENT_KINDS)}之一`, field) };
  return { kinds: [...new Set(list as MaterialKind[])] };
}

export const STEP_RULES: SomeRules<'changeTask' | 'formalCheck' | 'openSupplement' | 'replaceMaterial' | 'closeSupplement'> = {
  changeTask: {
    decide: ({ s, command, step, rules }) => {
      const code = typeof command.taskCode === 'string' ? command.taskCode.trim() : '';
      const task = campaignTask(rules.tasks, code);
      if (!task) return refused(refuse('INVALID_INPUT', `${TASK.label}不存在：${code || '（未填写）'}`, 'taskCode'));
      if (task.code === s.taskCode) return refused(refuse('ALREADY_DONE', `${TASK.label}未变化`, 'taskCode'));
      return step({ taskCode: task.code }, () => [], { from: s.taskCode, to: task.code });
    },
  },
  formalCheck: {
    pre: (s, _actor, now, rules) => {
      if (now < rules.shutdownAt) return refuse('PRECONDITION', `形式审查在全省系统关闭（${formatShanghai(rules.shutdownAt)}）后开展`);
      if (s.formalCheck) return refuse('ALREADY_DONE', '形式审查已完成');
      if (s.pendingSelection || s.selected) return refuse('WRONG_STAGE', '入围意见已提出，不再进行形式审查');
      return null;
    },
    decide: ({ s, command, actor, now, step, reason }) => {
      const d = command.decision;
      const done = { result: d, at: now, byUserId: actor.userId, ...(command.comment?.trim() ? { comment: command.comment.trim() } : {}) };
      if (d === 'PASS') {
        return step({ formalCheck: done }, (seq) => [notify(s, seq, 'APPLICANT', 'INFO', '项目已通过形式审查，进入专家评审')], { decision: d });
      }
      const bad = reason();
      if (bad) return refused(bad);
      const why = command.comment!.trim();
      return step(
        { stage: 'CLOSED_FORMAL_CHECK_FAILED', formalCheck: done, supplement: null, slotHeld: false, closedAt: now },
        (seq) => [...when(s.slotHeld, 'RELEASE_SLOT'), notify(s, seq, 'APPLICANT', 'RESULT', `形式审查未通过，申报已关闭：${why}`)],
        { decision: d },
      );
    },
  },
  openSupplement: {
    pre: (s) => {
      if (s.supplement) return refuse('ALREADY_DONE', `材料补正已开启，截止 ${formatShanghai(s.supplement.endsAt)}`);
      if (s.pendingSelection || s.selected) return refuse('WRONG_STAGE', '入围意见已提出，不再开启材料补正');
      return null;
    },
    decide: ({ s, command, now, step, reason }) => {
      const k = kindsOf(command.kinds, KINDS.label, 'kinds');
      if ('refusal' in k) return refused(k.refusal);
      const endsAt = command.endsAt;
      if (typeof endsAt !== 'number' || !Number.isFinite(endsAt) || endsAt <= now) return refused(refuse('INVALID_INPUT', `${ENDS.label}须晚于当前时间`, 'endsAt'));
      if (endsAt > now + SUPPLEMENT_MAX_DAYS * DAY_MS) return refused(refuse('INVALID_INPUT', `${ENDS.label}不得超过开启后${SUPPLEMENT_MAX_DAYS}天`, 'endsAt'));
      const bad = reason();
      if (bad) return refused(bad);
      return step(
        { supplement: { kinds: k.kinds, openedAt: now, endsAt, replaced: 0 } },
        (seq) => [
          notify(s, seq, 'APPLICANT', 'TODO', `省工业和信息化厅要求补正材料：${labels(k.kinds)}，请于 ${formatShanghai(endsAt)} 前上传。补正要求：${command.comment!.trim()}`),
        ],
        { kinds: k.kinds, endsAt },
      );
    },
  },
  replaceMaterial: {
    pre: (s, _actor, now) => supplementOpen(s, now),
    decide: ({ s, command, step }) => {
      const k = kindsOf(command.kinds, '材料类别', 'kinds');
      if ('refusal' in k) return refused(k.refusal);
      const [kind] = k.kinds;
      if (k.kinds.length !== 1) return refused(refuse('INVALID_INPUT', '每次补正一类材料', 'kinds'));
      if (!s.supplement!.kinds.includes(kind)) {
        return refused(refuse('MATERIALS_FROZEN', `本次补正只允许更换：${labels(s.supplement!.kinds)}；${materialLabel(kind)}不在其中`, 'kind'));
      }
      if (typeof command.fileId !== 'string' || command.fileId.length === 0) return refused(refuse('INVALID_INPUT', '请选择补正文件', 'fileId'));
      return step(
        { supplement: { ...s.supplement!, replaced: s.supplement!.replaced + 1 } },
        (seq) => [{ kind: 'REPLACE_MATERIAL', fileId: command.fileId, materialKind: kind }, notify(s, seq, 'PROVINCE_IT', 'INFO', `申报单位已补正材料：${materialLabel(kind)}`)],
        { fileId: command.fileId, kind },
      );
    },
  },
  closeSupplement: {
    pre: (s) => (s.supplement ? null : refuse('PRECONDITION', '没有开启中的材料补正')),
    decide: ({ s, step }) =>
      step({ supplement: null }, (seq) => [notify(s, seq, 'APPLICANT', 'INFO', '省工业和信息化厅已关闭材料补正，申报材料恢复冻结')], { replaced: s.supplement!.replaced }),
  },
};
