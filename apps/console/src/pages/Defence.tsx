import { Alert, Button, Card, DatePicker, Descriptions, Empty, Form, Input, InputNumber, Radio, Select, Space, Tag, Typography, message } from 'antd';
import type dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { api, newKey, unwrap, type ApiError, type ApplicationSummary, type Schemas } from '../api/client';
import { ErrorAlert, StageTag, when } from '../components/common';
import { idLinkColumn, WideTable } from '../components/ListTable';
import { useSession } from '../session';

type Session = Schemas['DefenceSessionDto'];
type Entry = Schemas['DefenceEntryDto'];

const ATTENDANCE: Record<string, { text: string; color: string }> = { PRESENT: { text: '出席', color: 'success' }, ABSENT: { text: '缺席', color: 'error' } };

/**
 * 答辩 (defence): the province creates sessions (online link or venue, start and end in 北京时间)
 * with applications and experts and records attendance; the applicant confirms; each expert of a
 * session scores its applications by the campaign's defence rubric (seeing only its own scores).
 */
export function DefencePage() {
  const { me, campaignId } = useSession();
  const role = me?.role ?? '';
  const province = role === 'PROVINCE_IT' || role === 'PROVINCE_FINANCE';
  const [sessions, setSessions] = useState<Session[]>([]);
  const [settings, setSettings] = useState<Schemas['DefenceSettingsDto'] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      if (province && campaignId) {
        const [s, d] = await Promise.all([
          unwrap(api.GET('/api/v1/campaigns/{id}/defence-sessions', { params: { path: { id: campaignId } } })),
          unwrap(api.GET('/api/v1/campaigns/{id}/defence-settings', { params: { path: { id: campaignId } } })),
        ]);
        setSessions(s);
        setSettings(d);
      } else if (!province) {
        setSessions(await unwrap(api.GET('/api/v1/defence/mine')));
        if (role === 'EXPERT' && campaignId) setSettings(await unwrap(api.GET('/api/v1/campaigns/{id}/defence-settings', { params: { path: { id: campaignId } } })));
      }
    } catch (e) {
      setError(e as ApiError);
    }
  }, [province, campaignId, role]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="defence-page">
      <Card title="答辩">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {province
            ? `省工信厅安排线上或现场答辩，申报单位在系统中确认参加；答辩开始后登记出席情况，专家按答辩评分细则评分。评审排名按材料评审 ${100 - (settings?.defenceWeight ?? 30)}%、答辩 ${settings?.defenceWeight ?? 30}% 计算综合得分，缺席答辩的答辩成绩记 0 分。`
            : role === 'APPLICANT'
              ? '贵单位项目的答辩安排如下（时间均为北京时间），请确认参加。'
              : '您参加的答辩场次如下；答辩开始后，请按答辩评分细则对出席的项目逐项评分。'}
        </Typography.Paragraph>
        <ErrorAlert error={error} />
      </Card>
      {role === 'PROVINCE_IT' && campaignId ? <CreateSession campaignId={campaignId} onCreated={() => void load()} /> : null}
      {sessions.length === 0 ? <Card><Empty description="暂无答辩安排" /></Card> : null}
      {sessions.map((s) => (
        <SessionCard key={s.id} session={s} role={role} rubric={settings?.criteria ?? []} onChange={() => void load()} />
      ))}
    </Space>
  );
}

function CreateSession({ campaignId, onCreated }: { campaignId: string; onCreated: () => void }) {
  const [form] = Form.useForm();
  const [apps, setApps] = useState<ApplicationSummary[]>([]);
  const [experts, setExperts] = useState<Schemas['ExpertDto'][]>([]);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newKey());
  const mode = Form.useWatch('mode', form) as string | undefined;

  useEffect(() => {
    void unwrap(api.GET('/api/v1/applications', { params: { query: { campaignId, stage: 'PROVINCIAL_REVIEW', page: 1, pageSize: 200, sort: 'updated' } } }))
      .then((l) => setApps(l.items.filter((a) => a.formalCheck === 'PASS')))
      .catch(() => undefined);
    void unwrap(api.GET('/api/v1/experts')).then(setExperts).catch(() => undefined);
  }, [campaignId]);

  const submit = async () => {
    let v: { title: string; mode: 'ONLINE' | 'ONSITE'; link?: string; venue?: string; range: [dayjs.Dayjs, dayjs.Dayjs]; applicationIds: string[]; expertIds: string[] };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const body = { title: v.title, mode: v.mode, link: v.link, venue: v.venue, startsAt: v.range[0].format('YYYY-MM-DD HH:mm'), endsAt: v.range[1].format('YYYY-MM-DD HH:mm'), applicationIds: v.applicationIds, expertIds: v.expertIds };
      const s = await unwrap(api.POST('/api/v1/campaigns/{id}/defence-sessions', { params: { path: { id: campaignId }, header: { 'Idempotency-Key': key } }, body }));
      void message.success(`已安排第${s.number}场答辩，已通知申报单位`);
      form.resetFields();
      setKey(newKey());
      onCreated();
    } catch (e) {
      const err = e as ApiError;
      void message.error(err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="安排答辩场次" size="small">
      <Form form={form} layout="vertical" initialValues={{ mode: 'ONLINE' }} style={{ maxWidth: 720 }}>
        <Form.Item name="title" label="答辩场次名称" rules={[{ required: true, message: '请填写答辩场次名称' }]}>
          <Input maxLength={100} data-testid="defence-title" />
        </Form.Item>
        <Form.Item name="mode" label="答辩方式">
          <Radio.Group optionType="button" options={[{ value: 'ONLINE', label: '线上答辩' }, { value: 'ONSITE', label: '现场答辩' }]} />
        </Form.Item>
        {mode === 'ONSITE' ? (
          <Form.Item name="venue" label="答辩地点" rules={[{ required: true, message: '请填写答辩地点' }]}>
            <Input maxLength={200} />
          </Form.Item>
        ) : (
          <Form.Item name="link" label="会议链接（https://）" rules={[{ required: true, message: '请填写会议链接' }]}>
            <Input maxLength={500} data-testid="defence-link" />
          </Form.Item>
        )}
        <Form.Item name="range" label="答辩时间（北京时间）" rules={[{ required: true, message: '请选择答辩开始和结束时间' }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" placeholder={['开始时间', '结束时间']} data-testid="defence-range" />
        </Form.Item>
        <Form.Item name="applicationIds" label="答辩项目（已通过形式审查）" rules={[{ required: true, message: '请选择答辩项目' }]}>
          <Select mode="multiple" options={apps.map((a) => ({ value: a.id, label: `${a.id} ${a.projectName}` }))} data-testid="defence-apps" />
        </Form.Item>
        <Form.Item name="expertIds" label="答辩专家" rules={[{ required: true, message: '请选择答辩专家' }]}>
          <Select mode="multiple" options={experts.map((e) => ({ value: e.id, label: e.displayName }))} data-testid="defence-experts" />
        </Form.Item>
        <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="defence-create">
          安排答辩并通知申报单位
        </Button>
      </Form>
    </Card>
  );
}

function SessionCard({ session: s, role, rubric, onChange }: { session: Session; role: string; rubric: Schemas['RubricCriterionDto'][]; onChange: () => void }) {
  const started = Date.now() >= new Date(s.startsAt).getTime();
  const call = async (p: Promise<unknown>, done: string) => {
    try {
      await p;
      void message.success(done);
      onChange();
    } catch (e) {
      void message.error((e as ApiError).message);
    }
  };
  const path = (id: string) => ({ params: { path: { id } } });
  return (
    <Card title={`第${s.number}场：${s.title}`} extra={<Tag color="blue">{s.modeLabel}</Tag>} data-testid={`defence-session-${s.number}`}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label="答辩时间">{`${when(s.startsAt)} 至 ${when(s.endsAt)}（北京时间）`}</Descriptions.Item>
          <Descriptions.Item label={s.mode === 'ONLINE' ? '会议链接' : '答辩地点'}>{s.mode === 'ONLINE' ? <a href={s.link ?? '#'} target="_blank" rel="noreferrer">{s.link}</a> : s.venue}</Descriptions.Item>
          {s.experts.length ? <Descriptions.Item label="答辩专家">{s.experts.map((e) => e.name).join('、')}</Descriptions.Item> : null}
        </Descriptions>
        <WideTable<Entry>
          label={`第${s.number}场答辩的项目`}
          minWidth={860}
          rowKey="applicationId"
          rows={s.entries}
          columns={[
            idLinkColumn('applicationId'),
            { title: '项目名称', dataIndex: 'projectName', ellipsis: true },
            { title: '申报单位', dataIndex: 'orgName', ellipsis: true },
            { title: '当前环节', dataIndex: 'stage', render: (x: string) => <StageTag stage={x} />, width: 110 },
            { title: '确认参加', dataIndex: 'confirmedAt', render: (c: string | null) => (c ? <Tag color="success">已确认</Tag> : <Tag>未确认</Tag>), width: 90 },
            { title: '出席', dataIndex: 'attendance', render: (a: string | null) => (a ? <Tag color={ATTENDANCE[a].color}>{ATTENDANCE[a].text}</Tag> : '—'), width: 70 },
            { title: '评分', render: (_, e) => `${e.scored}/${e.experts}${e.scores.length && role !== 'EXPERT' ? `（${e.scores.map((x) => `${x.expertName} ${x.score}`).join('，')}）` : ''}`, width: 160 },
            {
              title: '操作',
              width: 220,
              render: (_, e) => {
                if (role === 'APPLICANT')
                  return e.confirmedAt ? '—' : <Button size="small" type="primary" data-testid={`defence-confirm-${e.applicationId}`} onClick={() => void call(unwrap(api.POST('/api/v1/applications/{id}/defence/confirm', { ...path(e.applicationId), body: {} })), '已确认参加答辩')}>确认参加</Button>;
                if (role === 'PROVINCE_IT' && started)
                  return (
                    <Space size={4}>
                      {(['PRESENT', 'ABSENT'] as const).map((a) => (
                        <Button key={a} size="small" danger={a === 'ABSENT'} onClick={() => void call(unwrap(api.POST('/api/v1/applications/{id}/defence/attendance', { ...path(e.applicationId), body: { attendance: a } })), `已登记${ATTENDANCE[a].text}`)}>
                          登记{ATTENDANCE[a].text}
                        </Button>
                      ))}
                    </Space>
                  );
                if (role === 'EXPERT') return e.scores.length ? `我的评分：${e.scores[0].score}` : e.attendance === 'ABSENT' ? '缺席，无需评分' : started ? <ScoreForm entry={e} rubric={rubric} onDone={onChange} /> : '答辩开始后评分';
                return '—';
              },
            },
          ]}
        />
        {role === 'APPLICANT' && s.entries.some((e) => !e.confirmedAt) ? <Alert type="info" showIcon message="请在答辩开始前确认参加；未按时参加的，记为缺席。" /> : null}
      </Space>
    </Card>
  );
}

function ScoreForm({ entry, rubric, onDone }: { entry: Entry; rubric: Schemas['RubricCriterionDto'][]; onDone: () => void }) {
  const [values, setValues] = useState<Record<string, number | null>>({});
  const [comment, setComment] = useState('');
  const submit = async () => {
    try {
      await unwrap(api.POST('/api/v1/applications/{id}/defence/score', { params: { path: { id: entry.applicationId } }, body: { criteria: values as Record<string, number>, comment } }));
      void message.success('答辩评分已提交');
      onDone();
    } catch (e) {
      void message.error((e as ApiError).message);
    }
  };
  return (
    <Space direction="vertical" size={4} data-testid={`defence-score-${entry.applicationId}`}>
      {rubric.map((c) => (
        <Space key={c.key} size={4}>
          <span id={`d-${entry.applicationId}-${c.key}`}>{`${c.label}（0–${c.max}）`}</span>
          <InputNumber size="small" min={0} max={c.max} value={values[c.key] ?? null} onChange={(v) => setValues((x) => ({ ...x, [c.key]: v }))} aria-labelledby={`d-${entry.applicationId}-${c.key}`} />
        </Space>
      ))}
      <Input size="small" placeholder="答辩评审意见" aria-label="答辩评审意见" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
      <Button size="small" type="primary" onClick={() => void submit()}>
        提交答辩评分
      </Button>
    </Space>
  );
}
