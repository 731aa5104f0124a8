import { Inject, Injectable } from '@nestjs/common';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ApiConfig } from '@jiebang/runtime';
import type { ActionType, Actor, CampaignDeadlines, NewApplication, PayloadOf, TransitionEvent } from '@jiebang/domain';
import {
  actionUpdates,
  campaignDeadlinesSignal,
  campaignWorkflowId,
  deadlinesChangedSignal,
  nudgeSignal,
  stateQuery,
  timelineQuery,
  type ActionResult,
  type AnyActionUpdate,
  type ApplicationView,
} from '@jiebang/workflows/messages';
import { ensureCampaignWorkflow, startApplicationWorkflow } from './application-client';
import { TEMPORAL_CLIENT } from './temporal.module';

/** The one service that speaks to Temporal about applications and campaigns. */
@Injectable()
export class ApplicationWorkflowService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    private readonly cfg: ApiConfig,
  ) {}

  private handle(applicationId: string): WorkflowHandle {
    return this.client.workflow.getHandle(applicationId);
  }

  start(app: NewApplication, deadlines: CampaignDeadlines): Promise<WorkflowHandle> {
    return startApplicationWorkflow(this.client, this.cfg.TEMPORAL_TASK_QUEUE, app, deadlines);
  }

  /** One action = one Update; the caller's idempotency key is the Update ID. */
  act<A extends ActionType>(applicationId: string, action: A, actor: Actor, payload: PayloadOf<A>, updateId: string): Promise<ActionResult> {
    const def = actionUpdates[action] as unknown as AnyActionUpdate;
    return this.handle(applicationId).executeUpdate(def, { args: [{ actor, payload }], updateId });
  }

  view(applicationId: string): Promise<ApplicationView> {
    return this.handle(applicationId).query(stateQuery);
  }

  timeline(applicationId: string): Promise<TransitionEvent[]> {
    return this.handle(applicationId).query(timelineQuery);
  }

  nudge(applicationId: string, by: string, reason: string): Promise<void> {
    return this.handle(applicationId).signal(nudgeSignal, { by, reason });
  }

  signalDeadlines(applicationId: string, deadlines: CampaignDeadlines): Promise<void> {
    return this.handle(applicationId).signal(deadlinesChangedSignal, deadlines);
  }

  async signalCampaign(deadlines: CampaignDeadlines): Promise<void> {
    await ensureCampaignWorkflow(this.client, this.cfg.TEMPORAL_TASK_QUEUE, deadlines);
    await this.client.workflow.getHandle(campaignWorkflowId(deadlines.campaignId)).signal(campaignDeadlinesSignal, deadlines).catch((err: unknown) => {
      // A campaign whose shutdown has passed has finished its timer: nothing left to move.
      if (!/completed|not found/i.test(String((err as Error)?.message))) throw err;
    });
  }

  terminate(applicationId: string, reason: string): Promise<unknown> {
    return this.handle(applicationId).terminate(reason);
  }

  describe(applicationId: string) {
    return this.handle(applicationId).describe();
  }

  get temporal(): Client {
    return this.client;
  }
}
