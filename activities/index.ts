import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { createApplicationActivities } from './application.activities';
import { createBatchActivities } from './batch.activities';
import { createCampaignActivities } from './campaign.activities';

export * from './application.activities';
export * from './batch.activities';
export * from './campaign.activities';

/** Every activity of the worker, bound to one database (and a Temporal client for batch signals). */
export function createActivities(ds: DataSource, client: () => Client) {
  return { ...createApplicationActivities(ds), ...createCampaignActivities(ds), ...createBatchActivities(ds, client) };
}

export type Activities = ReturnType<typeof createActivities>;
