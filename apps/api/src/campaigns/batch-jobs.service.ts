import { Injectable } from '@nestjs/common';
import { Repositories } from '@jiebang/db';
import { notFound } from '../common/errors';
import { iso } from '../common/time';
import type { BatchJobDto } from './campaigns.dto';

/** Batch jobs (deadline fan-out, batch signal) as their requesters follow them. */
@Injectable()
export class BatchJobsService {
  constructor(private readonly db: Repositories) {}

  async get(id: string): Promise<BatchJobDto> {
    const j = await this.db.batchJobs.get(id);
    if (!j) throw notFound('批量任务');
    // batch_jobs keeps the requester's id only: the name is read through the users repository.
    const [by] = j.requested_by ? await this.db.users.displayNames([j.requested_by]) : [];
    return {
      id: j.id,
      kind: j.kind,
      campaignId: j.campaign_id,
      status: j.status,
      total: j.total,
      done: j.done,
      skipped: j.skipped,
      failed: j.failed,
      errors: j.errors,
      reason: j.reason,
      requestedByName: by?.display_name ?? null,
      createdAt: iso(j.created_at)!,
      finishedAt: iso(j.finished_at),
    };
  }
}
