import { Alert, Progress, Radio, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { formatRemaining, formatShanghai, STAGE_LABELS, type Stage } from '@jiebang/domain';
import type { ApiError, Schemas } from '../api/client';

const STAGE_COLORS: Partial<Record<Stage, string>> = {
  DRAFT: 'default',
  COUNTY_REVIEW: 'processing',
  CITY_REVIEW: 'processing',
  RECOMMENDED: 'cyan',
  RETURNED: 'warning',
  CLOSED_EXPIRED: 'default',
  CLOSED_NOT_RECOMMENDED: 'default',
  PROVINCIAL_REVIEW: 'blue',
  CLOSED_NOT_SELECTED: 'default',
  PUBLICITY: 'purple',
  IMPLEMENTATION: 'geekblue',
  ACCEPTANCE: 'gold',
  ACCEPTED: 'success',
  ACCEPTANCE_FAILED: 'error',
  TERMINATED: 'error',
};

export function StageTag({ stage }: { stage: string }) {
  return (
    <Tag color={STAGE_COLORS[stage as Stage] ?? 'default'} data-testid="stage-tag">
      {STAGE_LABELS[stage as Stage] ?? stage}
    </Tag>
  );
}

/** Time left to a deadline (instant shown in Asia/Shanghai); red within 24 hours. */
export function Countdown({ at, label }: { at: string | null | undefined; label?: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  if (!at) return null;
  const ms = new Date(at).getTime() - now;
  const color = ms <= 0 ? 'default' : ms < 24 * 3_600_000 ? 'red' : ms < 72 * 3_600_000 ? 'orange' : 'green';
  return (
    <Tooltip title={`${label ?? '截止时间'}：${formatShanghai(new Date(at).getTime())}（北京时间）`}>
      <Tag color={color} data-testid="countdown">
        {ms <= 0 ? '已截止' : `剩余 ${formatRemaining(ms)}`}
      </Tag>
    </Tooltip>
  );
}

export function when(at: string | null | undefined): string {
  return at ? formatShanghai(new Date(at).getTime()) : '—';
}

/** The city's quota: used + reserved of total, with recommendations awaiting finance. */
export function QuotaGauge({ usage }: { usage: Schemas['QuotaUsageDto'] }) {
  const taken = usage.used + usage.reserved;
  const percent = usage.total ? Math.round((taken / usage.total) * 100) : 100;
  const pendingPercent = usage.total ? Math.round(((taken + usage.pending) / usage.total) * 100) : 100;
  return (
    <div data-testid="quota-gauge" style={{ width: '100%', maxWidth: 480 }}>
      <Space direction="vertical" size={2} style={{ width: '100%' }}>
        <Typography.Text strong>
          {usage.cityName}推荐名额：已占用 <span data-testid="quota-taken">{taken}</span> / {usage.total}
        </Typography.Text>
        <Progress aria-label={`推荐名额占用 ${taken} / ${usage.total}`} percent={pendingPercent} success={{ percent }} showInfo={false} status={taken >= usage.total ? 'exception' : 'normal'} />
        <Typography.Text type="secondary">
          已推荐（可撤销）{usage.reserved}，已报送省厅 {usage.used}，待财政会签 {usage.pending}，不占名额（央企/省属国企）{usage.exempt}，剩余 {usage.remaining}
        </Typography.Text>
      </Space>
    </div>
  );
}

export function ErrorAlert({ error }: { error: ApiError | Error | null }) {
  if (!error) return null;
  return <Alert type="error" showIcon message={error.message} data-testid="error-alert" style={{ marginBottom: 12 }} />;
}

/**
 * A table that scrolls sideways (on a phone) reachable by keyboard: its scrolling box becomes a
 * focusable, named region (WCAG 2.1.1; axe scrollable-region-focusable) when its rows hold nothing
 * focusable of their own.
 */
export function KeyboardScroll({ label, children }: { label: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    for (const el of box.current?.querySelectorAll<HTMLElement>('.ant-table-content, .ant-table-body') ?? []) {
      el.tabIndex = 0;
      el.setAttribute('role', 'region');
      el.setAttribute('aria-label', label);
    }
  });
  return <div ref={box}>{children}</div>;
}

/** A decision taken by one of a few buttons (通过 / 不通过, 确认 / 不同意): `options` as [value, label]. */
export function DecisionButtons<V extends string>({ value, onChange, options, ...rest }: { value: V; onChange: (v: V) => void; options: Array<[V, string]>; 'aria-label'?: string }) {
  return <Radio.Group value={value} onChange={(e) => onChange(e.target.value as V)} optionType="button" buttonStyle="solid" options={options.map(([v, label]) => ({ value: v, label }))} {...rest} />;
}
