/** The city's review: the opinion of 工信局, the concurrence of 财政局, revoking a recommendation. */
import { returnDeadline } from '../reasons';
import { refuse } from '../refusals';
import { notify, opinion, refused, when } from '../step';
import type { SomeRules } from './rule';

export const CITY_RULES: SomeRules<'cityOpinion' | 'cityFinanceConcurrence' | 'revokeRecommendation'> = {
  cityOpinion: {
    decide: ({ s, command, actor, now, rules, step, reason }) => {
      const d = command.decision;
      if (s.stage === 'RECOMMENDED' && d !== 'RETURN') {
        return refused(refuse('WRONG_STAGE', '该项目已推荐，如需改变意见请先撤销推荐或退回修改', 'decision'));
      }
      if (d === 'RECOMMEND') {
        if (s.pendingCityOpinion) return refused(refuse('AWAITING_CONCURRENCE', '推荐意见已提出，等待市财政局会签'));
        return step(
          { pendingCityOpinion: opinion(d, actor, now, command.comment) },
          (seq) => [notify(s, seq, 'CITY_FINANCE', 'TODO', '市工信局已提出推荐意见，待市财政局会签')],
          { decision: d },
        );
      }
      const bad = reason() ?? (d === 'RETURN' ? returnDeadline(rules, now) : null);
      if (bad) return refused(bad);
      const why = command.comment!.trim();
      if (d === 'NOT_RECOMMEND') {
        return step(
          { stage: 'CLOSED_NOT_RECOMMENDED', pendingCityOpinion: null, slotHeld: false, closedAt: now },
          (seq) => [...when(s.slotHeld, 'RELEASE_SLOT'), notify(s, seq, 'APPLICANT', 'RESULT', `市级审核未推荐：${why}`)],
          { decision: d },
        );
      }
      return step(
        { stage: 'RETURNED', pendingCityOpinion: null, quotaHeld: false, recommendedAt: null, lastReturn: { byRole: actor.role, byName: actor.displayName, at: now, reason: why } },
        (seq) => [...when(s.quotaHeld, 'RELEASE_QUOTA'), notify(s, seq, 'APPLICANT', 'RETURN', `市级审核退回修改：${why}`)],
        { decision: d },
      );
    },
  },
  cityFinanceConcurrence: {
    pre: (s) => (s.pendingCityOpinion ? null : refuse('NOTHING_TO_CONCUR', '市工信局尚未提出推荐意见，暂无需会签')),
    decide: ({ s, command, now, step, reason }) => {
      const d = command.decision;
      const bad = reason();
      if (bad) return refused(bad);
      if (d === 'DISAGREE') {
        return step({ pendingCityOpinion: null }, (seq) => [notify(s, seq, 'CITY_IT', 'INFO', `市财政局不同意推荐：${command.comment!.trim()}`)], { decision: d });
      }
      const exempt = s.org.isCentralSoe || s.org.isProvincialSoe;
      return step(
        { stage: 'RECOMMENDED', pendingCityOpinion: null, quotaHeld: !exempt, recommendedAt: now },
        (seq) => [
          ...when(!exempt, 'RESERVE_QUOTA'),
          notify(s, seq, 'APPLICANT', 'RESULT', '市工信局、市财政局已联合推荐至省工业和信息化厅'),
          notify(s, seq, 'CITY_IT', 'INFO', '市财政局已会签，推荐生效'),
        ],
        { decision: d, quotaExempt: exempt },
      );
    },
  },
  revokeRecommendation: {
    decide: ({ s, command, step, reason }) => {
      const bad = reason();
      if (bad) return refused(bad);
      return step({ stage: 'CITY_REVIEW', quotaHeld: false, recommendedAt: null }, (seq) => [
        ...when(s.quotaHeld, 'RELEASE_QUOTA'),
        notify(s, seq, 'APPLICANT', 'INFO', `市级推荐已撤销：${command.comment!.trim()}`),
      ]);
    },
  },
};
