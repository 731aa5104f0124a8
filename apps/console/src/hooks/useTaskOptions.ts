import { useEffect, useState } from 'react';
import { taskLabel } from '@jiebang/domain';
import { api, unwrap } from '../api/client';

/** The 榜单 of a campaign as a chooser's options ("3. 工业互联网平台+大模型…"): each campaign has its own. */
export function useTaskOptions(campaignId: string | null | undefined): Array<{ value: string; label: string }> {
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  useEffect(() => {
    let current = true;
    if (!campaignId) return setOptions([]);
    unwrap(api.GET('/api/v1/campaigns/{id}/tasks', { params: { path: { id: campaignId } } }))
      .then((v) => current && setOptions(v.tasks.map((t) => ({ value: t.code, label: taskLabel(t.code, t.name) }))))
      .catch(() => current && setOptions([]));
    return () => {
      current = false;
    };
  }, [campaignId]);
  return options;
}

/**
 * The task a per-task page (专家评审, 入围名单) shows: the one picked in this campaign, else none
 * (the API then answers with the first task of the campaign's own 榜单 — no task is assumed).
 */
export function useCampaignTask(campaignId: string | null | undefined): {
  tasks: Array<{ value: string; label: string }>;
  picked: string | undefined;
  pick: (code: string) => void;
} {
  const tasks = useTaskOptions(campaignId);
  const [choice, setChoice] = useState<{ campaignId: string; code: string } | null>(null);
  const picked = choice && choice.campaignId === campaignId ? choice.code : undefined;
  return { tasks, picked, pick: (code) => campaignId && setChoice({ campaignId, code }) };
}
