/** Filing and the county's review: submit, withdraw, approve, return, resubmit. */
import type { SubmitPayload } from '../actions';
import { needsParentLetter } from '../limits';
import { returnDeadline, withdrawDeadline } from '../reasons';
import { refuse, type Refusal } from '../refusals';
import { ATTESTATIONS, MATERIALS, type MaterialKind } from '../reference/tasks';
import type { ApplicationState } from '../state';
import { notify, refused, when } from '../step';
import type { ActionRule, SomeRules } from './rule';

/** The materials a submission must carry for this applicant. */
export function requiredMaterials(state: Pick<ApplicationState, 'org'>): MaterialKind[] {
  const kinds: MaterialKind[] = MATERIALS.filter((m) => m.required).map((m) => m.kind);
  if (needsParentLetter(state.org)) kinds.push('PARENT_LETTER');
  return kinds;
}

function checkSubmission(state: ApplicationState, p: SubmitPayload): Refusal | null {
  const attestations = p.attestations ?? {};
  const missingAttestation = ATTESTATIONS.find((a) => attestations[a.key] !== true);
  if (missingAttestation) {
    return refuse('ATTESTATION_MISSING', `请确认申报承诺：${missingAttestation.label}`, `attestations.${missingAttestation.key}`);
  }
  const present = new Set(p.materials ?? []);
  const missing = requiredMaterials(state).filter((k) => !present.has(k));
  if (missing.length > 0) {
    const labels = missing.map((k) => MATERIALS.find((m) => m.kind === k)?.label ?? k);
    return refuse('MATERIAL_MISSING', `申报材料不完整，缺少：${labels.join('、')}`, `materials.${missing[0]}`);
  }
  return null;
}

/** A submission, first or after a return: to the county, holding one of the applicant's places. */
function submission<A extends 'submit' | 'resubmit'>(message: string): ActionRule<A> {
  return {
    decide: ({ s, command, now, step }) => {
      const bad = checkSubmission(s, command);
      if (bad) return refused(bad);
      // The attestations go with the step's event: the step's transaction records them on the
      // application, so only a submission that is taken changes them.
      return step(
        { stage: 'COUNTY_REVIEW', slotHeld: true, submittedAt: now },
        (seq) => [...when(!s.slotHeld, 'CLAIM_SLOT'), notify(s, seq, 'COUNTY_REVIEWER', 'TODO', message)],
        { attestations: { ...(command as SubmitPayload).attestations } },
      );
    },
  };
}

export const FILING_RULES: SomeRules<'submit' | 'resubmit' | 'withdraw' | 'countyApprove' | 'countyReturn'> = {
  submit: submission<'submit'>('有新的申报项目待县级审核'),
  resubmit: submission<'resubmit'>('退回修改的申报项目已重新提交，待县级审核'),
  withdraw: {
    pre: (_s, _actor, now, rules) => withdrawDeadline(rules, now),
    decide: ({ s, step }) =>
      step({ stage: 'DRAFT', slotHeld: false }, (seq) => [...when(s.slotHeld, 'RELEASE_SLOT'), notify(s, seq, 'COUNTY_REVIEWER', 'INFO', '申报单位已撤回申报')]),
  },
  countyApprove: {
    decide: ({ s, step }) => step({ stage: 'CITY_REVIEW' }, (seq) => [notify(s, seq, 'CITY_IT', 'TODO', '有新的申报项目待市级审核推荐')]),
  },
  countyReturn: {
    decide: ({ s, command, actor, now, rules, step, reason }) => {
      const bad = reason() ?? returnDeadline(rules, now);
      if (bad) return refused(bad);
      const why = command.comment!.trim();
      return step({ stage: 'RETURNED', lastReturn: { byRole: actor.role, byName: actor.displayName, at: now, reason: why } }, (seq) => [
        notify(s, seq, 'APPLICANT', 'RETURN', `县级审核退回修改：${why}`),
      ]);
    },
  },
};
