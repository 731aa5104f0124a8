import { Badge, Button, Card, Grid, Input, Modal, Result, Select, Space, Switch, Tag, Typography, message, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, download, unwrap, type ApiError, type ApplicationSummary, type ListQuery, type Schemas, type TaskCode } from '../api/client';
import { BulkAction, bulkKindOf } from '../components/BulkAction';
import { Countdown, ErrorAlert, KeyboardScroll, QuotaGauge, StageTag, when } from '../components/common';
import { applicationSelection, ApplicationsTable, idLinkColumn, ListTable } from '../components/ListTable';
import { ResponsiveTabs } from '../components/ResponsiveTabs';
import { PreviewRunModal, usePreviewRun } from '../hooks/usePreviewRun';
import { useTaskOptions } from '../hooks/useTaskOptions';
import { useSession } from '../session';

const PENDING_LABELS: Record<string, string> = { CITY_FINANCE: '待市财政会签', PROVINCE_FINANCE: '待省财政会签', PROVINCE_IT: '待省工信处理' };

type ListSort = NonNullable<ListQuery['sort']>;

/** The sortable columns, each with the direction it starts in (the API's default for it). */
const SORTS: Array<{ value: ListSort; label: string; dir: 'asc' | 'desc' }> = [
  { value: 'deadline', label: '截止时间', dir: 'asc' },
  { value: 'submitted', label: '提交时间', dir: 'desc' },
  { value: 'stage', label: '进入环节时间', dir: 'asc' },
  { value: 'updated', label: '更新时间', dir: 'desc' },
];
const effectiveOrder = (sort: ListSort, order?: 'asc' | 'desc') => order ?? SORTS.find((x) => x.value === sort)?.dir ?? 'desc';
const orderLabel = (sort: ListSort, order?: 'asc' | 'desc') => (effectiveOrder(sort, order) === 'asc' ? '由早到晚' : '由晚到早');

/** An application's stage with what it waits for (finance, the province), quota and overdue marks. */
function StageCell({ r }: { r: ApplicationSummary }) {
  return (
    <Space size={2} wrap>
      <StageTag stage={r.stage} />
      {r.pending ? <Tag color="orange">{PENDING_LABELS[r.pending] ?? r.pending}</Tag> : null}
      {r.quotaExempt ? <Tag>不占名额</Tag> : null}
      {r.acceptanceOverdue ? <Tag color="red">验收逾期</Tag> : null}
    </Space>
  );
}

/**
 * One application of the list on a phone, as a card in a single column: the number (its link) and
 * the deadline, the project's whole name, the applicant, the region, the stage and the assignee —
 * read top to bottom, nothing scrolled sideways.
 */
function InboxCard({ r }: { r: ApplicationSummary }) {
  return (
    <div data-testid="inbox-card" style={{ display: 'flex', flexDirection: 'column', gap: 4, overflowWrap: 'anywhere' }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'center', gap: 4 }}>
        <Link to={`/applications/${r.id}`}>{r.id}</Link>
        <Countdown at={r.deadlineAt} />
      </div>
      <div data-testid="inbox-card-project" style={{ fontWeight: 600 }}>{r.projectName || '（未填写项目名称）'}</div>
      <div data-testid="inbox-card-org">申报单位：{r.orgName || '—'}</div>
      <div>地区：{r.cityName} {r.countyName}</div>
      <StageCell r={r} />
      {r.assigneeName ? <div>经办人：{r.assigneeName}</div> : null}
    </div>
  );
}

/** The list's columns on a wide screen: one fact each, the deadline fixed at the right edge. */
const WIDE_COLUMNS: TableColumnsType<ApplicationSummary> = [
  idLinkColumn('id'),
  { title: '项目名称', dataIndex: 'projectName', ellipsis: true, width: 240 },
  { title: '申报单位', dataIndex: 'orgName', ellipsis: true, width: 200 },
  { title: '地区', render: (_, r) => `${r.cityName} ${r.countyName}`, width: 140 },
  { title: '任务', dataIndex: 'taskName', ellipsis: true, width: 180 },
  { title: '环节', render: (_, r) => <StageCell r={r} />, width: 230 },
  // Fixed at the right edge: the deadline stays in view however narrow the screen.
  { title: '截止', key: 'deadline', render: (_, r) => <Countdown at={r.deadlineAt} />, width: 130, fixed: 'right' },
  { title: '经办人', dataIndex: 'assigneeName', render: (n: string | null) => n ?? '—', width: 140 },
  { title: '更新时间', dataIndex: 'updatedAt', render: when, width: 150 },
];

/** On a phone: each application one card (see InboxCard). */
const NARROW_COLUMNS: TableColumnsType<ApplicationSummary> = [{ title: '申报项目', key: 'card', render: (_, r) => <InboxCard r={r} /> }];

/** The inbox: what waits for me, every stage in my scope, filters, counts; the city's quota and batch recommendation. */
export function InboxPage() {
  const { me, campaignId, reference } = useSession();
  const tasks = useTaskOptions(campaignId);
  const navigate = useNavigate();
  // Before the first measurement useBreakpoint is empty: treat it as wide (as the shell does).
  const narrow = Grid.useBreakpoint().md === false;
  // An applicant's home is all of their applications (我发起的; 待办 is empty once they submit).
  const [tab, setTab] = useState(me?.role === 'APPLICANT' ? 'started' : 'mine');
  const [sort, setSort] = useState<ListSort>('deadline');
  const [order, setOrder] = useState<'asc' | 'desc' | undefined>(undefined);
  const [counts, setCounts] = useState<Schemas['InboxCountDto'][]>([]);
  const [rows, setRows] = useState<ApplicationSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [cityCode, setCityCode] = useState<string>();
  const [countyCode, setCountyCode] = useState<string>();
  const [taskCode, setTaskCode] = useState<string>();
  const [soon, setSoon] = useState(false);
  const [q, setQ] = useState('');
  const [usage, setUsage] = useState<Schemas['QuotaUsageDto'] | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [assignee, setAssignee] = useState<ListQuery['assignee']>();
  const [saved, setSaved] = useState<Schemas['SavedFilterDto'][]>([]);
  const [saving, setSaving] = useState(false);
  const [filterName, setFilterName] = useState('');
  const [filterError, setFilterError] = useState<string | null>(null);
  const isOffice = ['COUNTY_REVIEWER', 'CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE'].includes(me?.role ?? '');
  const isCity = me?.role === 'CITY_IT' || me?.role === 'CITY_FINANCE';
  const isProvince = me?.role === 'PROVINCE_IT' || me?.role === 'PROVINCE_FINANCE' || me?.role === 'ADMIN';
  // The county's approvals, the city finance's concurrences and the province's paper receipts in
  // bulk, on any of their lists (the preview names each one that cannot be taken, and why).
  const bulkKind = bulkKindOf(me?.role);
  const batchRecommend = me?.role === 'CITY_IT' && tab === 'CITY_REVIEW';

  // The list's filters, view and order: the same for the page, its counts and its export.
  const filters = useMemo(
    (): ListQuery & { campaignId: string } => ({
      campaignId: campaignId ?? '',
      ...(tab === 'mine' ? { view: 'todo' as const } : tab === 'done' || tab === 'started' ? { view: tab as 'done' | 'started' } : { stage: tab as ApplicationSummary['stage'] }),
      ...(cityCode ? { cityCode } : {}),
      ...(countyCode ? { countyCode } : {}),
      ...(taskCode ? { taskCode: taskCode as TaskCode } : {}),
      ...(soon ? { deadlineWithinHours: 72 } : {}),
      ...(q ? { q } : {}),
      sort,
      ...(order ? { order } : {}),
      ...(assignee ? { assignee } : {}),
    }),
    [campaignId, tab, cityCode, countyCode, taskCode, soon, q, sort, order, assignee],
  );

  const load = useCallback(async () => {
    if (!campaignId) return;
    setLoading(true);
    setError(null);
    try {
      const query = { ...filters, page, pageSize: 20 };
      const [list, c] = await Promise.all([
        unwrap(api.GET('/api/v1/applications', { params: { query } })),
        unwrap(api.GET('/api/v1/inbox/counts', { params: { query: { campaignId } } })),
      ]);
      setRows(list.items);
      setTotal(list.total);
      setCounts(c);
      if (isCity && me?.cityCode) {
        setUsage(await unwrap(api.GET('/api/v1/campaigns/{id}/quotas/{cityCode}/usage', { params: { path: { id: campaignId, cityCode: me.cityCode } } })));
      }
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setLoading(false);
    }
  }, [campaignId, page, filters, isCity, me?.cityCode]);

  useEffect(() => {
    void load();
  }, [load]);

  const cities = useMemo(() => reference?.regions.filter((r) => r.level === 'CITY') ?? [], [reference]);
  const counties = useMemo(() => reference?.regions.filter((r) => r.level === 'COUNTY' && (!cityCode || r.parentCode === cityCode)) ?? [], [reference, cityCode]);

  const batch = usePreviewRun<Schemas['BatchRecommendPreviewDto'], Schemas['BatchRecommendResultDto']>({
    enabled: Boolean(campaignId),
    preview: () => unwrap(api.POST('/api/v1/campaigns/{id}/batch-recommend/preview', { params: { path: { id: campaignId! } }, body: { applicationIds: selected } })),
    run: (key) => unwrap(api.POST('/api/v1/campaigns/{id}/batch-recommend', { params: { path: { id: campaignId! }, header: { 'Idempotency-Key': key } }, body: { applicationIds: selected } })),
    onDone: () => {
      setSelected([]);
      void load();
    },
  });

  const loadSaved = useCallback(async () => {
    try {
      setSaved(await unwrap(api.GET('/api/v1/saved-filters')));
    } catch {
      setSaved([]);
    }
  }, []);
  useEffect(() => {
    void loadSaved();
  }, [loadSaved]);

  /** A saved filter's view, region, task, search and order, applied to this list. */
  const applySaved = (id: string) => {
    const f = saved.find((x) => x.id === id)?.query;
    if (!f) return;
    setTab(f.view === 'todo' ? 'mine' : (f.view ?? f.stage ?? 'mine'));
    setCityCode(f.cityCode);
    setCountyCode(f.countyCode);
    setTaskCode(f.taskCode);
    setSoon(!!f.deadlineWithinHours);
    setQ(f.q ?? '');
    setSort((f.sort as ListSort | undefined) ?? 'deadline');
    setOrder(f.order);
    setAssignee(f.assignee);
    setPage(1);
  };

  const saveCurrent = async () => {
    setFilterError(null);
    try {
      const { campaignId: _c, ...query } = filters;
      await unwrap(api.POST('/api/v1/saved-filters', { body: { name: filterName, query: { ...query, sort } } }));
      void message.success('已保存为常用筛选');
      setSaving(false);
      void loadSaved();
    } catch (e) {
      setFilterError((e as ApiError).message);
    }
  };

  const exportList = () => download('/api/v1/exports/applications', { query: filters }).catch((e: Error) => message.error(e.message));

  const tabs = counts.map((c) => ({
    key: c.key,
    text: `${c.label}（${c.count}）`,
    label: (
      <span data-testid={`tab-${c.key}`}>
        {c.label} <Badge count={c.count} showZero color={c.key === 'mine' || c.key === 'started' ? '#1d5fbf' : '#595959'} overflowCount={9999} />
        {c.dueSoon > 0 && c.key !== 'mine' ? <Tag color="orange" style={{ marginLeft: 4 }}>{c.dueSoon} 项临近截止</Tag> : null}
      </span>
    ),
  }));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {usage ? (
        <Card size="small">
          <Space wrap size="large" style={{ justifyContent: 'space-between', width: '100%' }}>
            <QuotaGauge usage={usage} />
            <Button onClick={() => download('/api/v1/exports/recommendation-summary', { query: { campaignId: campaignId ?? '', cityCode: me?.cityCode ?? '' } }).catch((e) => message.error(e.message))}>
              导出推荐汇总表（附件4）
            </Button>
          </Space>
        </Card>
      ) : null}
      <Card>
        <ResponsiveTabs label="查看" activeKey={tab} onChange={(k) => { setTab(k); setPage(1); setSelected([]); }} items={tabs.length ? tabs : [{ key: tab, label: '待办', text: '待办' }]} />
        <Space wrap style={{ marginBottom: 12 }}>
          {isProvince ? (
            <Select allowClear placeholder="市" aria-label="市" style={{ width: 140 }} value={cityCode} onChange={(v) => { setCityCode(v); setCountyCode(undefined); }} options={cities.map((c) => ({ value: c.code, label: c.name }))} />
          ) : null}
          {isProvince || isCity ? (
            <Select allowClear showSearch optionFilterProp="label" placeholder="县（市、区）" aria-label="县（市、区）" style={{ width: 160 }} value={countyCode} onChange={setCountyCode}
              options={counties.filter((c) => !isCity || c.parentCode === me?.cityCode).map((c) => ({ value: c.code, label: c.name }))} />
          ) : null}
          <Select allowClear placeholder="榜单任务" aria-label="榜单任务" style={{ width: 260, maxWidth: '100%' }} value={taskCode} onChange={setTaskCode} options={tasks} />
          <label>
            72小时内截止 <Switch checked={soon} onChange={setSoon} aria-label="只看72小时内截止的申报" data-testid="soon-switch" />
          </label>
          <Input.Search placeholder="编号、项目名称、申报单位或信用代码" aria-label="搜索申报编号、项目名称、申报单位名称或统一社会信用代码" allowClear onSearch={(v) => { setQ(v.trim()); setPage(1); }} style={{ width: 300, maxWidth: '100%' }} data-testid="inbox-search" />
          <Space.Compact>
            <Select aria-label="排序" value={sort} onChange={(v) => { setSort(v); setOrder(undefined); setPage(1); }} style={{ width: 170 }} data-testid="inbox-sort"
              options={SORTS.map((x) => ({ value: x.value, label: `按${x.label}` }))} />
            <Button aria-label={`当前${orderLabel(sort, order)}，点击切换`} onClick={() => { setOrder(effectiveOrder(sort, order) === 'asc' ? 'desc' : 'asc'); setPage(1); }} data-testid="inbox-order">
              {orderLabel(sort, order)}
            </Button>
          </Space.Compact>
          {isOffice ? (
            <Select allowClear placeholder="经办人" aria-label="经办人" style={{ width: 140 }} value={assignee} onChange={(v) => { setAssignee(v); setPage(1); }} data-testid="inbox-assignee"
              options={[{ value: 'me', label: '我认领的' }, { value: 'unassigned', label: '未认领' }, { value: 'others', label: '同事认领的' }]} />
          ) : null}
          <Select allowClear placeholder="常用筛选" aria-label="常用筛选" style={{ width: 180 }} value={null} onChange={(v) => v && applySaved(v)} data-testid="saved-filters"
            options={saved.map((f) => ({ value: f.id, label: f.name }))} notFoundContent="尚未保存常用筛选" />
          <Button onClick={() => { setFilterName(''); setFilterError(null); setSaving(true); }} data-testid="save-filter">
            保存筛选
          </Button>
          <Button onClick={() => void exportList()} data-testid="inbox-export">
            导出 Excel
          </Button>
          {bulkKind ? (
            <BulkAction kind={bulkKind} selected={selected} onClosed={(ran) => { if (ran) setSelected([]); void load(); }} />
          ) : null}
          {batchRecommend ? (
            <Button type="primary" disabled={selected.length === 0} onClick={() => void batch.open()} data-testid="batch-recommend">
              批量推荐（{selected.length}）
            </Button>
          ) : null}
          {me?.role === 'APPLICANT' ? (
            <Button type="primary" onClick={() => void navigate('/applications/new')}>
              新建申报
            </Button>
          ) : null}
        </Space>
        <ErrorAlert error={error} />
        {/* Sideways scrolling reachable by keyboard, also when the list is empty (nothing focusable in it). */}
        <KeyboardScroll label="申报列表">
        <ApplicationsTable rows={rows} paging={{ page, pageSize: 20, total, onPage: setPage }} loading={loading} data-testid="inbox-table"
          scroll={narrow ? undefined : { x: 1540 }}
          rowSelection={batchRecommend || bulkKind ? applicationSelection(selected, setSelected) : undefined}
          onRow={(r) => ({ onDoubleClick: () => void navigate(`/applications/${r.id}`) })}
          columns={narrow ? NARROW_COLUMNS : WIDE_COLUMNS}
        />
        </KeyboardScroll>
      </Card>
      <Modal title="保存为常用筛选" open={saving} onCancel={() => setSaving(false)} onOk={() => void saveCurrent()} okText="保存" okButtonProps={{ ...({ 'data-testid': 'save-filter-ok' } as Record<string, string>) }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>保存当前的查看范围、地区、任务、搜索和排序，以后一步选用。</Typography.Text>
          <Input aria-label="常用筛选名称" placeholder="名称，如：本周临期" value={filterName} onChange={(e) => setFilterName(e.target.value)} status={filterError ? 'error' : undefined} data-testid="save-filter-name" />
          {filterError ? <Typography.Text type="danger" data-testid="save-filter-error">{filterError}</Typography.Text> : null}
        </Space>
      </Modal>
      <PreviewRunModal
        flow={batch}
        title="批量推荐：名额预览"
        okText="确认推荐"
        doneText="完成"
        canRun={Boolean(batch.preview?.withinQuota) && !batch.preview?.items.every((i) => !i.eligible)}
        okTestId="batch-confirm"
        width={720}
      >
        {(preview) => (
          <Space direction="vertical" style={{ width: '100%' }} data-testid="batch-preview">
            <Typography.Paragraph>
              本市名额 {preview.total} 个；已占用 {preview.used + preview.reserved}，待财政会签 {preview.pending}；本次选中 {preview.selected} 项，其中占用名额 {preview.counting} 项。
              推荐后合计 <Typography.Text strong>{preview.after}</Typography.Text> / {preview.total}。
            </Typography.Paragraph>
            {!preview.withinQuota ? (
              <Result status="error" title="超出本市推荐名额，不能批量推荐" subTitle={`推荐后将占用 ${preview.after} 个名额，超出 ${preview.after - preview.total} 个。请减少选择。`} data-testid="batch-over-quota" />
            ) : null}
            {batch.result ? (
              <ListTable<Schemas['BatchResultItemDto']>
                rowKey="id"
                rows={batch.result.results}
                columns={[
                  { title: '申报编号', dataIndex: 'id' },
                  { title: '结果', render: (_, r) => (r.ok ? <Tag color="success">已推荐，待市财政会签</Tag> : <Tag color="error">{r.message}</Tag>) },
                ]}
              />
            ) : (
              <ListTable<Schemas['BatchItemDto']>
                rowKey="id"
                rows={preview.items}
                columns={[
                  { title: '申报编号', dataIndex: 'id' },
                  { title: '项目名称', dataIndex: 'projectName' },
                  { title: '', render: (_, r) => (r.eligible ? (r.quotaExempt ? <Tag>不占名额</Tag> : <Tag color="blue">占用名额</Tag>) : <Tag color="error">{r.reason}</Tag>) },
                ]}
              />
            )}
            {batch.result ? <Typography.Text data-testid="batch-done">完成：成功 {batch.result.succeeded} 项，失败 {batch.result.failed} 项</Typography.Text> : null}
          </Space>
        )}
      </PreviewRunModal>
    </Space>
  );
}
