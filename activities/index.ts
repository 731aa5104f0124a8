import type { DataSource } from 'typeorm';
import { createApplicationActivities } from './application.activities';
import { createCampaignActivities } from './campaign.activities';

export * from './application.activities';
export * from './campaign.activities';

/** Every activity of the worker, bound to one database. */
export function createActivities(ds: DataSource) {
  return { ...createApplicationActivities(ds), ...createCampaignActivities(ds) };
}

export type Activities = ReturnType<typeof createActivities>;
