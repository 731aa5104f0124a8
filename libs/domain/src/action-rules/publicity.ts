/** Publicity: opening it, objections filed during it and their resolution. */
import { ACTIONS } from '../actions';
import { publicityEnded } from '../reasons';
import { refuse } from '../refusals';
import type { Objection } from '../state';
import { notify, refused, when } from '../step';
import { formatShanghai } from '../time';
import type { SomeRules } from './rule';

const ENDS_AT = ACTIONS.openPublicity.payload.fields.endsAt;

export const PUBLICITY_RULES: SomeRules<'openPublicity' | 'fileObjection' | 'resolveObjection'> = {
  openPublicity: {
    pre: (s) => (s.selected ? null : refuse('PRECONDITION', '项目尚未经省财政厅会签确定入围')),
    decide: ({ s, command, now, step }) => {
      const endsAt = command.endsAt;
      if (typeof endsAt !== 'number' || !Number.isFinite(endsAt) || endsAt <= now) {
        return refused(refuse('INVALID_INPUT', `${ENDS_AT.label}须晚于当前时间`, 'endsAt'));
      }
      return step(
        { stage: 'PUBLICITY', publicity: { openedAt: now, endsAt }, objections: [] },
        (seq) => [notify(s, seq, 'APPLICANT', 'INFO', `项目已入围并开始公示，公示期至 ${formatShanghai(endsAt)}`)],
        { endsAt },
      );
    },
  },
  fileObjection: {
    pre: (s, _actor, now) => (s.publicity && now >= s.publicity.endsAt ? publicityEnded(s.publicity.endsAt) : null),
    decide: ({ s, command, actor, now, step, reason }) => {
      const bad = reason();
      if (bad) return refused(bad);
      const id = `OBJ-${s.objections.length + 1}`;
      return step(
        { objections: [...s.objections, { id, filedAt: now, filedBy: actor.userId, comment: command.comment!.trim(), status: 'OPEN' }] },
        (seq) => [notify(s, seq, 'APPLICANT', 'INFO', '项目公示期间收到异议，省工信厅正在核查')],
        { objectionId: id },
      );
    },
  },
  /** Upheld, an objection supersedes every other open one: the application leaves publicity. */
  resolveObjection: {
    pre: (s) => (s.objections.some((o) => o.status === 'OPEN') ? null : refuse('PRECONDITION', '没有待处理的公示异议')),
    decide: ({ s, command, now, step, reason }) => {
      const r = command.resolution;
      const target = s.objections.find((o) => o.id === command.objectionId);
      if (!target) return refused(refuse('INVALID_INPUT', `异议 ${String(command.objectionId)} 不存在`, 'objectionId'));
      if (target.status !== 'OPEN') return refused(refuse('ALREADY_DONE', '该异议已处理'));
      const bad = reason();
      if (bad) return refused(bad);
      const why = command.comment!.trim();
      const resolved = (o: Objection): Objection =>
        o.id === target.id
          ? { ...o, status: r === 'DISMISS' ? 'DISMISSED' : 'UPHELD', resolvedAt: now, resolution: r, resolutionComment: why }
          : r !== 'DISMISS' && o.status === 'OPEN'
            ? { ...o, status: 'SUPERSEDED', resolvedAt: now }
            : o;
      const objections = s.objections.map(resolved);
      const detail = { objectionId: target.id, resolution: r };
      if (r === 'DISMISS') return step({ objections }, () => [], detail);
      if (r === 'UPHOLD_REVIEW') {
        return step(
          { stage: 'PROVINCIAL_REVIEW', objections, selected: false, publicity: null },
          (seq) => [notify(s, seq, 'APPLICANT', 'RESULT', `公示异议成立，项目退回省级重新评审：${why}`)],
          detail,
        );
      }
      return step(
        { stage: 'CLOSED_NOT_SELECTED', objections, selected: false, slotHeld: false, closedAt: now },
        (seq) => [...when(s.slotHeld, 'RELEASE_SLOT'), notify(s, seq, 'APPLICANT', 'RESULT', `公示异议成立，取消入围资格：${why}`)],
        detail,
      );
    },
  },
};
