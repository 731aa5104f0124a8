/** Implementation and acceptance: archives, early acceptance, the result, rectification. */
import { ACTIONS } from '../actions';
import { refuse } from '../refusals';
import { hasText, notify, refused } from '../step';
import { formatShanghai } from '../time';
import { DECISION_LABELS } from '../vocabulary';
import { rectified, toProvinceFinance } from './province';
import type { SomeRules } from './rule';

/** The latest archives the state keeps (the full list lives in the database). */
const RECENT_ARCHIVES = 5;
const { fileId: FILE, title: TITLE } = ACTIONS.uploadArchive.payload.fields;
const NEW_DUE_AT = ACTIONS.rectify.payload.fields.newDueAt;

export const IMPLEMENTATION_RULES: SomeRules<'uploadArchive' | 'requestEarlyAcceptance' | 'earlyAcceptanceDecision' | 'acceptanceResult' | 'rectify'> = {
  uploadArchive: {
    decide: ({ s, command, now, step }) => {
      if (!hasText(command.fileId)) return refused(refuse('INVALID_INPUT', `请先上传${FILE.label}`, 'fileId'));
      if (!hasText(command.title) || command.title.length > TITLE.maxLength) {
        return refused(refuse('INVALID_INPUT', `请填写${TITLE.label}（不超过${TITLE.maxLength}字）`, 'title'));
      }
      const entry = { fileId: command.fileId, title: command.title.trim(), at: now };
      return step(
        { archiveCount: s.archiveCount + 1, recentArchives: [...s.recentArchives, entry].slice(-RECENT_ARCHIVES) },
        () => [],
        { fileId: command.fileId, title: entry.title },
      );
    },
  },
  requestEarlyAcceptance: {
    pre: (s) => (s.earlyAcceptance?.status === 'REQUESTED' ? refuse('ALREADY_DONE', '提前验收申请已提交，等待审批') : null),
    decide: ({ s, command, now, step, reason }) => {
      const bad = reason();
      if (bad) return refused(bad);
      return step({ earlyAcceptance: { status: 'REQUESTED', at: now, comment: command.comment!.trim() } }, (seq) => [
        notify(s, seq, 'PROVINCE_IT', 'TODO', '申报单位申请提前验收'),
      ]);
    },
  },
  earlyAcceptanceDecision: {
    pre: (s) => (s.earlyAcceptance?.status === 'REQUESTED' ? null : refuse('PRECONDITION', '没有待审批的提前验收申请')),
    decide: ({ s, command, now, step, reason }) => {
      const d = command.decision;
      const bad = reason();
      if (bad) return refused(bad);
      if (d === 'REJECT') {
        return step(
          { earlyAcceptance: { ...s.earlyAcceptance!, status: 'REJECTED', at: now } },
          (seq) => [notify(s, seq, 'APPLICANT', 'RESULT', `提前验收申请未获同意：${command.comment!.trim()}`)],
          { decision: d },
        );
      }
      return step(
        { stage: 'ACCEPTANCE', earlyAcceptance: { ...s.earlyAcceptance!, status: 'APPROVED', at: now }, acceptanceDueAt: now, acceptanceOverdue: false },
        (seq) => [notify(s, seq, 'APPLICANT', 'RESULT', '提前验收申请已同意，项目进入验收评估')],
        { decision: d },
      );
    },
  },
  acceptanceResult: {
    pre: (s) => (s.pendingAcceptance ? refuse('AWAITING_CONCURRENCE', '验收结论待省财政厅会签') : null),
    decide: (c) => toProvinceFinance(c, (o) => ({ pendingAcceptance: o }), `省工信厅提出验收${DECISION_LABELS[c.command.decision]}结论，待省财政厅会签`),
  },
  /**
   * 整改: like pass and fail, the province's conclusion awaits 省财政厅 (pendingAcceptance RECTIFY
   * with the new due time); its concurrence sends the project back to implementation. Histories
   * written before v15 (rules.immediateRectify, set by the workflow) take it at once.
   */
  rectify: {
    pre: (s) => (s.pendingAcceptance ? refuse('AWAITING_CONCURRENCE', '验收结论待省财政厅会签') : null),
    decide: (c) => {
      const { s, command, now, step, reason, rules } = c;
      const due = command.newDueAt;
      if (typeof due !== 'number' || !Number.isFinite(due) || due <= now) {
        return refused(refuse('INVALID_INPUT', `${NEW_DUE_AT.label}须晚于当前时间`, 'newDueAt'));
      }
      if (!rules.immediateRectify) {
        return toProvinceFinance(
          { ...c, command: { decision: 'RECTIFY' as const, comment: command.comment } },
          (o) => ({ pendingAcceptance: { ...o, newDueAt: due } }),
          `省工信厅提出验收整改意见（整改后于 ${formatShanghai(due)} 前再次验收），待省财政厅会签`,
          { newDueAt: due },
        );
      }
      const bad = reason();
      if (bad) return refused(bad);
      return rectified(s, step, due, command.comment!.trim());
    },
  },
};

