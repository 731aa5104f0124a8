import type { Client, WorkflowHandle } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Actor, CampaignDeadlines, Stage } from '@jiebang/domain';
import { act, castFor, createApplication, fullSubmission, seedOrg, viewOf, type TestApplication } from './fixtures';
import { eventually } from './stack';

export interface Cast {
  applicant: Actor;
  county: Actor;
  cityIt: Actor;
  cityFinance: Actor;
  province: Actor;
  provinceFinance: Actor;
  expert1: Actor;
  expert2: Actor;
}

/** Wait until the workflow reports `stage` (queries, no fixed sleep). */
export async function waitStage(handle: WorkflowHandle, stage: Stage, timeoutMs = 30_000): Promise<void> {
  await eventually(`${handle.workflowId} to reach ${stage}`, async () => (await viewOf(handle)).state.stage === stage, timeoutMs, 150);
}

/** Wait until the projection row shows `stage`. */
export async function waitRow(ds: DataSource, id: string, stage: Stage, timeoutMs = 30_000): Promise<void> {
  await eventually(
    `row ${id} to show ${stage}`,
    async () => {
      const [row] = await ds.query('select stage from applications where id = $1', [id]);
      return row?.stage === stage;
    },
    timeoutMs,
    100,
  );
}

export async function toCountyReview(h: WorkflowHandle, c: Cast): Promise<void> {
  await act(h, 'submit', c.applicant, fullSubmission());
}

export async function toCityReview(h: WorkflowHandle, c: Cast): Promise<void> {
  await toCountyReview(h, c);
  await act(h, 'countyApprove', c.county, { comment: '材料齐全' });
}

export async function toRecommended(h: WorkflowHandle, c: Cast): Promise<void> {
  await toCityReview(h, c);
  await act(h, 'cityOpinion', c.cityIt, { decision: 'RECOMMEND', comment: '同意推荐' });
  await act(h, 'cityFinanceConcurrence', c.cityFinance, { decision: 'CONCUR' });
}

/** In PROVINCIAL_REVIEW up to the selection: paper, formal check, two experts and (unless `scores` is empty) their scores. */
export async function toScored(h: WorkflowHandle, c: Cast, scores: [number, number] | [] = [86, 90]): Promise<void> {
  await act(h, 'paperReceived', c.province, {});
  await act(h, 'formalCheck', c.province, { decision: 'PASS' });
  await act(h, 'assignExperts', c.province, { expertIds: [c.expert1.userId, c.expert2.userId] });
  if (scores.length === 0) return;
  await act(h, 'expertScore', c.expert1, { score: scores[0], comment: '技术路线清晰' });
  await act(h, 'expertScore', c.expert2, { score: scores[1], comment: '示范效果好' });
}

/** From PROVINCIAL_REVIEW to a concurred selection: paper, formal check, experts, scores, proposal, concurrence. */
export async function toSelected(h: WorkflowHandle, c: Cast): Promise<void> {
  await toScored(h, c);
  await act(h, 'provinceSelection', c.province, { decision: 'SELECT', comment: '拟入围' });
  await act(h, 'provinceFinanceConcurrence', c.provinceFinance, { decision: 'CONCUR' });
}

/**
 * `count` applications of task `taskCode`, each from a new organisation with its own cast, taken
 * to RECOMMENDED side by side; in application-number order.
 */
export async function recommendedSet(
  stack: { db: { ds: DataSource }; env: { client: Client }; worker: { taskQueue: string } },
  deadlines: CampaignDeadlines,
  count: number,
  taskCode: string,
): Promise<Array<{ app: TestApplication; cast: Cast }>> {
  const made = await Promise.all(
    Array.from({ length: count }, async () => {
      const org = await seedOrg(stack.db.ds);
      const cast = await castFor(stack.db.ds, org);
      const app = await createApplication(stack.db.ds, stack.env.client, stack.worker.taskQueue, deadlines, org, { taskCode });
      await toRecommended(app.handle, cast);
      return { app, cast };
    }),
  );
  return made.sort((a, b) => a.app.id.localeCompare(b.app.id));
}
