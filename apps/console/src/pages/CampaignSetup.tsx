import { Alert, Button, Card, Checkbox, DatePicker, Empty, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Spin, Table, Tag, Typography, message } from 'antd';
import type { NamePath } from 'antd/es/form/interface';
import dayjs from 'dayjs';
import { useState } from 'react';
import { CAMPAIGN_FIELD_LABELS as L, DIRECTIONS, PILOT_YEARS_BACK, TASK_NAME_MAX, TASK_SUMMARY_MAX } from '@jiebang/domain';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import { ErrorAlert, KeyboardScroll, when } from '../components/common';
import { ListTable } from '../components/ListTable';
import { ResponsiveTabs } from '../components/ResponsiveTabs';
import { counter, numberRules, textRules } from '../components/rules';
import { submitForm } from '../components/submit-form';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../session';

type Campaign = Schemas['CampaignDto'];
type Detail = Schemas['CampaignDetailDto'];
type Task = Schemas['CampaignTaskDto'];

const at = (d: dayjs.Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD HH:mm:ss') : null);
const status = (c: Campaign) => (c.closed ? <Tag>已截止</Tag> : c.openedAt ? <Tag color="green">申报中</Tag> : <Tag color="blue">设置中，未开放</Tag>);
/** The years a campaign of `year` may count pilots of: the ten before it. */
const pilotYearOptions = (year: number) => Array.from({ length: PILOT_YEARS_BACK }, (_, i) => year - 1 - i).map((y) => ({ value: y, label: `${y}年` }));
/** An API field path (`limits.serviceProvider`, `tasks.1.code`) as the form's name path, when the form has that control. */
const pathOf = (field: string | undefined, known: readonly string[]): NamePath | null => {
  if (!field) return null;
  const parts = field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return known.includes(String(parts[0])) ? parts : null;
};
const inline = (setBusy: (b: boolean) => void, setError: (m: string | null) => void, onDone: () => void) => ({ setBusy, setError, onClose: () => undefined, onDone });

/** PROVINCE_IT's campaigns (申报批次): the list, a new one as a copy of the last, and each one's settings, 榜单 and quotas. */
export function CampaignSetupPage() {
  const { reloadCampaigns } = useSession();
  const [list, setList] = useState<Campaign[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState<{ practice: boolean } | null>(null);
  const load = useLoad(async () => {
    const l = await unwrap(api.GET('/api/v1/campaigns'));
    setList(l);
    setSelected((s) => (s && l.some((c) => c.id === s) ? s : (l.find((c) => !c.closed) ?? l[0])?.id ?? null));
  }, setError, []);
  const changed = async (id?: string) => {
    if (id) setSelected(id);
    await load();
    await reloadCampaigns();
  };

  if (!list) return error ? <ErrorAlert error={error} /> : <Spin tip="正在加载申报批次…" data-testid="campaigns-loading"><div style={{ minHeight: 120 }} /></Spin>;
  const last = list.filter((c) => !c.isPractice).sort((a, b) => b.year - a.year)[0] ?? list[0];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title="申报批次管理"
        extra={
          <Space wrap>
            <Button type="primary" onClick={() => setCreating({ practice: false })} data-testid="create-campaign">新建下一批次</Button>
            <Button onClick={() => setCreating({ practice: true })} data-testid="create-practice">新建练习批次</Button>
          </Space>
        }
      >
        <ErrorAlert error={error} />
        <Typography.Paragraph type="secondary">新批次默认复制上一批次的设置、榜单任务和各市推荐名额；开放申报前可修改榜单，开放后榜单固定。练习批次不计入正式申报，也不在公示页面出现。</Typography.Paragraph>
        <ListTable<Campaign>
          rowKey="id"
          rows={list}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description="尚无申报批次，请新建" /> }}
          rowClassName={(c) => (c.id === selected ? 'ant-table-row-selected' : '')}
          columns={[
            { title: '批次编号', dataIndex: 'id' },
            { title: '批次名称', dataIndex: 'name', render: (n: string, c) => <Space wrap>{n}{c.isPractice ? <Tag color="orange">练习批次</Tag> : null}</Space> },
            { title: '年度', dataIndex: 'year' },
            { title: '状态', key: 'status', render: (_: unknown, c) => status(c) },
            { title: '全省系统关闭时间', dataIndex: 'shutdownAt', render: (t: string) => when(t) },
            { title: '操作', key: 'op', render: (_: unknown, c) => <Button size="small" onClick={() => setSelected(c.id)} disabled={c.id === selected}>{c.id === selected ? `管理中 ${c.id}` : `管理 ${c.id}`}</Button> },
          ]}
        />
      </Card>
      {selected ? <CampaignEditor key={selected} id={selected} onChanged={() => void changed()} /> : null}
      {creating ? <CreateCampaign practice={creating.practice} last={last ?? null} onClose={() => setCreating(null)} onCreated={(id) => void changed(id)} /> : null}
    </Space>
  );
}

/** A new campaign: the form starts from the last campaign, a year on. */
function CreateCampaign({ practice, last, onClose, onCreated }: { practice: boolean; last: Campaign | null; onClose(): void; onCreated(id: string): void }) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const year = (last?.year ?? new Date().getFullYear()) + (practice ? 0 : 1);
  const [chosenYear, setChosenYear] = useState(year);
  const initial = {
    year,
    name: practice ? `【练习批次】${year}年度揭榜挂帅申报演练（非正式申报）` : `${year}年度“工赋百景”制造业数字化转型揭榜挂帅`,
    publicityDays: last?.publicityDays ?? 5,
    acceptanceMonths: last?.acceptanceMonths ?? 12,
    acceptanceGraceDays: last?.acceptanceGraceDays ?? 60,
    limits: last?.limits ?? { serviceProvider: 3, manufacturer: 1, group: 5 },
    pilotYears: last ? last.pilotYears.map((y) => y + year - last.year).filter((y) => y < year) : [year - 1],
  };
  const submit = () =>
    submitForm<typeof initial & { shutdownAt: dayjs.Dayjs; paperDeadlineAt?: dayjs.Dayjs | null }>(form, { setBusy, setError, onClose, onDone: () => undefined }, async (v) => {
      const c = await unwrap(
        api.POST('/api/v1/campaigns', {
          body: { ...v, isPractice: practice, ...(last ? { copyFrom: last.id } : {}), shutdownAt: at(v.shutdownAt)!, paperDeadlineAt: at(v.paperDeadlineAt) },
        }),
      );
      void message.success(`已创建申报批次 ${c.id}（尚未开放申报）`);
      onCreated(c.id);
    }, (err) => pathOf(err.field, ['year', 'name', 'shutdownAt', 'paperDeadlineAt', 'publicityDays', 'acceptanceMonths', 'acceptanceGraceDays', 'limits', 'pilotYears']));
  return (
    <Modal title={practice ? '新建练习批次' : '新建下一批次'} open onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText="创建" cancelText="取消" destroyOnHidden data-testid="create-campaign-modal">
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={last ? `复制自“${last.name}”：设置、榜单任务和各市推荐名额。` : '没有可复制的批次：使用2026年榜单和默认设置。'} />
      <Form form={form} layout="vertical" initialValues={initial} onValuesChange={(c: { year?: number }) => typeof c.year === 'number' && setChosenYear(c.year)}>
        <Form.Item name="year" label={L.year} rules={numberRules(L.year, { min: 2020, max: 2100, required: true })}>
          <InputNumber style={{ width: 160 }} aria-label={L.year} />
        </Form.Item>
        <Form.Item name="name" label={L.name} rules={textRules(L.name, { max: 100, required: true })}>
          <Input count={counter(100)} />
        </Form.Item>
        <SettingsFields year={chosenYear} />
        <Form.Item name="shutdownAt" label={`${L.shutdownAt}（北京时间）`} rules={[{ required: true, message: `请选择${L.shutdownAt}` }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" aria-label={L.shutdownAt} data-testid="shutdown-picker" />
        </Form.Item>
        <Space wrap>
          <Form.Item name={['limits', 'serviceProvider']} label="单个服务商申报上限" rules={numberRules('单个服务商申报上限', { min: 0, max: 100, required: true })}>
            <InputNumber aria-label="单个服务商申报上限" />
          </Form.Item>
          <Form.Item name={['limits', 'manufacturer']} label="单个制造业企业申报上限" rules={numberRules('单个制造业企业申报上限', { min: 0, max: 100, required: true })}>
            <InputNumber aria-label="单个制造业企业申报上限" />
          </Form.Item>
          <Form.Item name={['limits', 'group']} label="同一集团申报上限" rules={numberRules('同一集团申报上限', { min: 0, max: 1000, required: true })}>
            <InputNumber aria-label="同一集团申报上限" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** The settings both the new-campaign form and the settings tab edit. */
function SettingsFields({ year }: { year: number }) {
  return (
    <>
      <Form.Item name="paperDeadlineAt" label={`${L.paperDeadlineAt}（北京时间，可不设）`}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowClear aria-label={L.paperDeadlineAt} />
      </Form.Item>
      <Space wrap>
        <Form.Item name="publicityDays" label={L.publicityDays} rules={numberRules(L.publicityDays, { min: 1, max: 60, required: true })}>
          <InputNumber aria-label={L.publicityDays} />
        </Form.Item>
        <Form.Item name="acceptanceMonths" label={L.acceptanceMonths} rules={numberRules(L.acceptanceMonths, { min: 1, max: 60, required: true })}>
          <InputNumber aria-label={L.acceptanceMonths} />
        </Form.Item>
        <Form.Item name="acceptanceGraceDays" label={L.acceptanceGraceDays} rules={numberRules(L.acceptanceGraceDays, { min: 0, max: 365, required: true })}>
          <InputNumber aria-label={L.acceptanceGraceDays} />
        </Form.Item>
      </Space>
      <Form.Item name="pilotYears" label={`${L.pilotYears}（这些年度的试点项目计入本批次申报数量上限）`}>
        <Checkbox.Group options={pilotYearOptions(year)} />
      </Form.Item>
    </>
  );
}

/** When a slow review is escalated: a county review older than its days tells the city, a city review the province (empty: the system's default). */
function EscalationFields() {
  return (
    <Space wrap>
      {(['escalateCountyDays', 'escalateCityDays'] as const).map((name) => (
        <Form.Item key={name} name={name} label={L[name]} extra="1–365 天；留空按系统默认" rules={numberRules(L[name], { min: 1, max: 365 })}>
          <InputNumber aria-label={L[name]} addonAfter="天" data-testid={name} />
        </Form.Item>
      ))}
    </Space>
  );
}

/** One campaign: its settings, 榜单 and quotas, each saved on its own. */
function CampaignEditor({ id, onChanged }: { id: string; onChanged(): void }) {
  const [c, setC] = useState<Detail | null>(null);
  const [tasks, setTasks] = useState<Schemas['CampaignTasksViewDto'] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const load = useLoad(async () => {
    const [detail, list] = await Promise.all([
      unwrap(api.GET('/api/v1/campaigns/{id}', { params: { path: { id } } })),
      unwrap(api.GET('/api/v1/campaigns/{id}/tasks', { params: { path: { id } } })),
    ]);
    setC(detail);
    setTasks(list);
  }, setError, [id]);
  const open = async () => {
    try {
      setC(await unwrap(api.POST('/api/v1/campaigns/{id}/open', { params: { path: { id } }, body: {} })));
      void message.success('已开放申报，榜单任务自此固定');
      await load();
      onChanged();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  if (!c || !tasks) return error ? <ErrorAlert error={error} /> : <Spin tip="正在加载批次设置…"><div style={{ minHeight: 120 }} /></Spin>;
  const saved = (d?: Detail) => {
    if (d) setC(d);
    onChanged();
  };
  return (
    <Card
      title={<Space wrap>{c.name}{c.isPractice ? <Tag color="orange">练习批次，非正式申报</Tag> : null}{status(c)}</Space>}
      extra={
        !c.openedAt && !c.closed ? (
          <Popconfirm title="开放申报后，申报单位即可在本批次新建申报，榜单任务不能再修改。确定开放？" okText="开放申报" cancelText="取消" onConfirm={() => void open()}>
            <Button type="primary" data-testid="open-campaign">开放申报</Button>
          </Popconfirm>
        ) : null
      }
      data-testid="campaign-editor"
    >
      <ErrorAlert error={error} />
      <ResponsiveTabs
        label="批次设置内容"
        items={[
          { key: 'settings', text: '批次设置', label: '批次设置', children: <SettingsTab c={c} onSaved={saved} /> },
          { key: 'tasks', text: '榜单任务', label: '榜单任务', children: <TasksTab id={id} view={tasks} onSaved={(t) => setTasks(t)} /> },
          { key: 'quotas', text: '推荐名额', label: '推荐名额（附件5）', children: <QuotasTab c={c} onSaved={saved} /> },
        ]}
      />
    </Card>
  );
}

function SettingsTab({ c, onSaved }: { c: Detail; onSaved(d: Detail): void }) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = () =>
    submitForm<{ name: string; paperDeadlineAt: dayjs.Dayjs | null; publicityDays: number; acceptanceMonths: number; acceptanceGraceDays: number; pilotYears: number[]; escalateCountyDays: number | null; escalateCityDays: number | null }>(
      form,
      inline(setBusy, setError, () => undefined),
      async (v) => {
        onSaved(
          await unwrap(
            api.PUT('/api/v1/campaigns/{id}/settings', {
              params: { path: { id: c.id } },
              // An emptied day count is the system's default (null).
              body: { ...v, pilotYears: v.pilotYears ?? [], paperDeadlineAt: at(v.paperDeadlineAt), escalateCountyDays: v.escalateCountyDays ?? null, escalateCityDays: v.escalateCityDays ?? null },
            }),
          ),
        );
        void message.success('批次设置已保存');
      },
      (err) => pathOf(err.field, ['name', 'paperDeadlineAt', 'publicityDays', 'acceptanceMonths', 'acceptanceGraceDays', 'pilotYears', 'escalateCountyDays', 'escalateCityDays']),
    );
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ name: c.name, paperDeadlineAt: c.paperDeadlineAt ? dayjs(c.paperDeadlineAt) : null, publicityDays: c.publicityDays, acceptanceMonths: c.acceptanceMonths, acceptanceGraceDays: c.acceptanceGraceDays, pilotYears: c.pilotYears, escalateCountyDays: c.escalateCountyDays ?? null, escalateCityDays: c.escalateCityDays ?? null }}
      data-testid="settings-form"
    >
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      <Typography.Paragraph type="secondary">
        年度 {c.year}；全省系统关闭时间 {when(c.shutdownAt)}、申报数量上限（服务商 {c.limits.serviceProvider} 个，制造业企业 {c.limits.manufacturer} 个，同一集团 {c.limits.group} 个）在“批次与截止时间”中调整。
      </Typography.Paragraph>
      <Form.Item name="name" label={L.name} rules={textRules(L.name, { max: 100, required: true })}>
        <Input count={counter(100)} />
      </Form.Item>
      <SettingsFields year={c.year} />
      <EscalationFields />
      <Button type="primary" loading={busy} onClick={() => void save()} data-testid="save-settings">保存批次设置</Button>
    </Form>
  );
}

function TasksTab({ id, view, onSaved }: { id: string; view: Schemas['CampaignTasksViewDto']; onSaved(v: Schemas['CampaignTasksViewDto']): void }) {
  const [form] = Form.useForm<{ tasks: Task[] }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!view.editable) {
    return (
      <>
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message="本批次已开放申报，榜单任务不能再修改。" />
        <KeyboardScroll label="榜单任务">
          <ListTable rowKey="code" rows={view.tasks} scroll={{ x: 'max-content' }} locale={{ emptyText: <Empty description="榜单没有任务" /> }}
            columns={[{ title: '任务编号', dataIndex: 'code' }, { title: '方向', dataIndex: 'directionName' }, { title: '任务名称', dataIndex: 'name' }, { title: '任务简介', dataIndex: 'summary' }, { title: '入选后进入储备库', dataIndex: 'entersReservePool', render: (b: boolean) => (b ? '是' : '否') }]} />
        </KeyboardScroll>
      </>
    );
  }
  const save = () =>
    submitForm<{ tasks: Task[] }>(form, inline(setBusy, setError, () => undefined), async (v) => {
      const tasks = (v.tasks ?? []).map((t) => ({ ...t, summary: t.summary ?? '', entersReservePool: !!t.entersReservePool }));
      onSaved(await unwrap(api.PUT('/api/v1/campaigns/{id}/tasks', { params: { path: { id } }, body: { tasks } })));
      void message.success('榜单任务已保存');
    }, (err) => pathOf(err.field, ['tasks']));
  return (
    <Form form={form} initialValues={{ tasks: view.tasks.map(({ code, direction, name, summary, entersReservePool }) => ({ code, direction, name, summary, entersReservePool })) }} data-testid="tasks-form">
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      <Form.List name="tasks">
        {(fields, { add, remove }) => (
          <>
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={fields}
              locale={{ emptyText: <Empty description="榜单还没有任务，请添加" /> }}
              columns={[
                { title: '任务编号', key: 'code', render: (_: unknown, f, i) => <Form.Item name={[f.name, 'code']} rules={[{ required: true, message: '请填写任务编号' }, { pattern: /^[A-Z][A-Z0-9]{0,7}$/, message: '任务编号须为大写字母开头、最多8位的大写字母或数字（如 T1）' }]} style={{ margin: 0 }}><Input style={{ width: 90 }} aria-label={`第${i + 1}项任务编号`} /></Form.Item> },
                { title: '方向', key: 'direction', render: (_: unknown, f, i) => <Form.Item name={[f.name, 'direction']} rules={[{ required: true, message: '请选择方向' }]} style={{ margin: 0 }}><Select style={{ width: 120 }} aria-label={`第${i + 1}项方向`} options={DIRECTIONS.map((d) => ({ value: d.code, label: d.name }))} /></Form.Item> },
                { title: '任务名称', key: 'name', render: (_: unknown, f, i) => <Form.Item name={[f.name, 'name']} rules={textRules('任务名称', { max: TASK_NAME_MAX, required: true })} style={{ margin: 0 }}><Input style={{ width: 260 }} aria-label={`第${i + 1}项任务名称`} /></Form.Item> },
                { title: '任务简介', key: 'summary', render: (_: unknown, f, i) => <Form.Item name={[f.name, 'summary']} rules={textRules('任务简介', { max: TASK_SUMMARY_MAX })} style={{ margin: 0 }}><Input style={{ width: 260 }} aria-label={`第${i + 1}项任务简介`} /></Form.Item> },
                { title: '入选后进入储备库', key: 'pool', render: (_: unknown, f, i) => <Form.Item name={[f.name, 'entersReservePool']} valuePropName="checked" style={{ margin: 0 }}><Checkbox aria-label={`第${i + 1}项入选后进入储备库`} /></Form.Item> },
                { title: '操作', key: 'op', render: (_: unknown, f, i) => <Button size="small" danger onClick={() => remove(f.name)}>{`删除第${i + 1}项`}</Button> },
              ]}
            />
            <Space wrap style={{ marginTop: 12 }}>
              <Button onClick={() => add({ code: '', direction: 'TECH', name: '', summary: '', entersReservePool: false })} data-testid="add-task">添加任务</Button>
              <Button type="primary" loading={busy} onClick={() => void save()} data-testid="save-tasks">保存榜单</Button>
            </Space>
          </>
        )}
      </Form.List>
    </Form>
  );
}

function QuotasTab({ c, onSaved }: { c: Detail; onSaved(d: Detail): void }) {
  const { reference } = useSession();
  const cities = (reference?.regions ?? []).filter((r) => r.level === 'CITY');
  const [form] = Form.useForm<{ quotas: Array<{ cityCode: string; cityName: string; quota?: number | null }> }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const initial = cities.map((city) => ({ cityCode: city.code, cityName: city.name, quota: c.quotas.find((q) => q.cityCode === city.code)?.quota ?? null }));
  const save = () =>
    submitForm<{ quotas: typeof initial }>(form, inline(setBusy, setError, () => undefined), async (v) => {
      const rows = (v.quotas ?? initial).map((q, i) => ({ ...initial[i], quota: q.quota })).filter((q) => q.quota !== null && q.quota !== undefined);
      if (rows.length === 0) throw new ApiError(400, 'VALIDATION_FAILED', '请至少填写一个市的推荐名额');
      try {
        onSaved(await unwrap(api.PUT('/api/v1/campaigns/{id}/quotas', { params: { path: { id: c.id } }, body: { quotas: rows.map((q) => ({ cityCode: q.cityCode, quota: Number(q.quota) })) } })));
      } catch (e) {
        // The API names the row it refused by its place among the rows sent: back to the table's row.
        const err = e as ApiError;
        const m = /^quotas\.(\d+)\.(\w+)$/.exec(err.field ?? '');
        if (!m) throw err;
        throw new ApiError(err.status, err.code, err.message, `quotas.${initial.findIndex((q) => q.cityCode === rows[Number(m[1])]?.cityCode)}.${m[2]}`, err.body);
      }
      void message.success('各市推荐名额已保存');
    }, (err) => pathOf(err.field, ['quotas']));
  return (
    <Form form={form} initialValues={{ quotas: initial }} data-testid="quotas-form">
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      <Typography.Paragraph type="secondary">留空的市不设名额（该市推荐时会被拒绝）。名额不能少于该市已推荐的数量。</Typography.Paragraph>
      <Form.List name="quotas">
        {(fields) => (
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={fields}
            columns={[
              { title: '市', key: 'city', render: (_: unknown, f) => initial[f.name]?.cityName },
              { title: '推荐名额', key: 'quota', render: (_: unknown, f) => <Form.Item name={[f.name, 'quota']} rules={numberRules(`${initial[f.name]?.cityName}推荐名额`, { min: 0, max: 10000 })} style={{ margin: 0 }}><InputNumber aria-label={`${initial[f.name]?.cityName}推荐名额`} data-testid={`quota-${initial[f.name]?.cityCode}`} /></Form.Item> },
            ]}
          />
        )}
      </Form.List>
      <Button type="primary" loading={busy} onClick={() => void save()} style={{ marginTop: 12 }} data-testid="save-quotas">保存推荐名额</Button>
    </Form>
  );
}

