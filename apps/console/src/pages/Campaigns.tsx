import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Progress, Select, Space, Table, Tag, Typography, message } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { api, unwrap, type ApiError, type Schemas } from '../api/client';
import { ErrorAlert, KeyboardScroll, when } from '../components/common';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../session';

/** Follow a fan-out job until its final count. */
function JobProgress({ jobId }: { jobId: string }) {
  const [job, setJob] = useState<Schemas['BatchJobDto'] | null>(null);
  useEffect(() => {
    let stop = false;
    const poll = async () => {
      while (!stop) {
        const j = await unwrap(api.GET('/api/v1/batches/{jobId}', { params: { path: { jobId } } })).catch(() => null);
        if (j) setJob(j);
        if (j && (j.status === 'DONE' || j.status === 'FAILED')) return;
        await new Promise((r) => setTimeout(r, 700));
      }
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [jobId]);
  if (!job) return <Progress percent={0} status="active" aria-label="通知进度" />;
  const handled = job.done + job.skipped + job.failed;
  const percent = job.total ? Math.round((handled / job.total) * 100) : job.status === 'DONE' ? 100 : 0;
  return (
    <div data-testid="job-progress">
      <Progress aria-label="通知进度" percent={percent} status={job.status === 'DONE' ? (job.failed ? 'exception' : 'success') : 'active'} />
      <Typography.Text>
        通知运行中的申报流程：{job.status === 'DONE' ? '已完成' : '进行中'}，共 {job.total ?? '…'} 项，已送达 {job.done}，已结束无需调整 {job.skipped}，失败 {job.failed}
      </Typography.Text>
    </div>
  );
}

/** Campaign settings: the shutdown (province), regional cut-offs (city, county), quotas and limits (admin). */
export function CampaignsPage() {
  const { me, campaignId, reference } = useSession();
  const [c, setC] = useState<Schemas['CampaignDetailDto'] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [move, setMove] = useState<{ kind: 'shutdown' | 'cutoff'; regionCode?: string } | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [form] = Form.useForm();

  const load = useLoad(async () => {
    if (campaignId) setC(await unwrap(api.GET('/api/v1/campaigns/{id}', { params: { path: { id: campaignId } } })));
  }, setError, [campaignId]);

  const saveMove = async () => {
    const v = await form.validateFields();
    const text = (d: dayjs.Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD HH:mm:ss') : null);
    try {
      const r =
        move?.kind === 'shutdown'
          ? await unwrap(api.PUT('/api/v1/campaigns/{id}/shutdown', { params: { path: { id: campaignId! } }, body: { at: text(v.at)!, reason: v.reason } }))
          : await unwrap(
              api.PUT('/api/v1/campaigns/{id}/cutoffs/{regionCode}', {
                params: { path: { id: campaignId!, regionCode: v.regionCode } },
                body: { filingAt: text(v.filingAt), reviewAt: text(v.reviewAt), reason: v.reason },
              }),
            );
      setJobId(r.jobId);
      setC(r.campaign);
      void message.success('截止时间已调整，正在通知运行中的申报流程');
    } catch (e) {
      const err = e as ApiError;
      const known = ['at', 'filingAt', 'reviewAt', 'regionCode'];
      form.setFields([{ name: err.field && known.includes(err.field) ? err.field : 'reason', errors: [err.message] }]);
    }
  };

  /** Open the cut-off form for a region, with its current values. */
  const editRegion = (regionCode: string) => {
    const row = c?.regionCutoffs.find((r) => r.regionCode === regionCode);
    form.resetFields();
    form.setFieldsValue({ regionCode, filingAt: row?.filingAt ? dayjs(row.filingAt) : null, reviewAt: row?.reviewAt ? dayjs(row.reviewAt) : null });
    setJobId(null);
    setMove({ kind: 'cutoff', regionCode });
  };

  const setQuota = async (cityCode: string, quota: number) => {
    try {
      await unwrap(api.PUT('/api/v1/campaigns/{id}/quotas/{cityCode}', { params: { path: { id: campaignId!, cityCode } }, body: { quota } }));
      void message.success('名额已更新');
      void load();
    } catch (e) {
      void message.error((e as ApiError).message);
    }
  };

  if (!c) return <ErrorAlert error={error} />;
  const canShutdown = me?.role === 'PROVINCE_IT' || me?.role === 'ADMIN';
  // Whose cut-offs this user sets (as the API allows): the province any city, a city itself and
  // its counties, a county itself.
  const regions = reference?.regions ?? [];
  const settable =
    me?.role === 'PROVINCE_IT' || me?.role === 'ADMIN'
      ? regions.filter((r) => r.level === 'CITY')
      : me?.role === 'CITY_IT'
        ? regions.filter((r) => r.code === me.cityCode || (r.level === 'COUNTY' && r.parentCode === me.cityCode))
        : me?.role === 'COUNTY_REVIEWER'
          ? regions.filter((r) => r.code === me.countyCode)
          : [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={c.name} extra={c.isPractice ? <Tag color="orange">练习批次，非正式申报</Tag> : null}>
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label="全省系统关闭时间">
            <Space>
              <span data-testid="shutdown-at">{when(c.shutdownAt)}</span>
              {canShutdown && !c.closed ? (
                <Button size="small" onClick={() => { form.resetFields(); setJobId(null); setMove({ kind: 'shutdown' }); }} data-testid="move-shutdown">
                  调整
                </Button>
              ) : null}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label="纸质材料寄送截止">{when(c.paperDeadlineAt)}</Descriptions.Item>
          <Descriptions.Item label="申报数量上限">{`服务商 ${c.limits.serviceProvider} 个，制造业企业 ${c.limits.manufacturer} 个，同一集团 ${c.limits.group} 个`}</Descriptions.Item>
          <Descriptions.Item label="截止提醒">{c.reminderHours.map((h) => `${h}小时`).join('、')}前</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        title="地区截止时间（不得晚于全省系统关闭时间）"
        extra={settable.length > 0 && !c.closed ? <Button onClick={() => editRegion(settable[0].code)} data-testid="set-cutoffs">设置地区截止时间</Button> : null}
      >
        <Typography.Paragraph type="secondary">
          填报截止：此后不能提交、重新提交，也不能退回或撤回；审核截止：本地区审核人员操作的截止时间。填报截止前提交的申报，在审核截止前仍可审核推荐。
        </Typography.Paragraph>
        <KeyboardScroll label="地区截止时间">
        <Table scroll={{ x: 'max-content' }} size="small" rowKey="regionCode" pagination={false} dataSource={c.regionCutoffs} locale={{ emptyText: <Typography.Text type="secondary">各地区均以全省系统关闭时间为准</Typography.Text> }}
          columns={[
            { title: '地区', dataIndex: 'regionName' },
            { title: '级别', dataIndex: 'level', render: (l: string) => (l === 'CITY' ? '市' : '县（市、区）') },
            { title: '填报截止时间', dataIndex: 'filingAt', render: (t: string | null) => (t ? when(t) : '以上级时间为准') },
            { title: '审核截止时间', dataIndex: 'reviewAt', render: (t: string | null) => (t ? when(t) : '以上级时间为准') },
            {
              title: '操作',
              key: 'edit',
              render: (_: unknown, r) => (settable.some((x) => x.code === r.regionCode) && !c.closed ? <Button size="small" onClick={() => editRegion(r.regionCode)}>调整</Button> : null),
            },
          ]}
        />
        </KeyboardScroll>
      </Card>
      <Card title="各市推荐名额（附件5）">
        <KeyboardScroll label="各市推荐名额">
        <Table scroll={{ x: 'max-content' }} size="small" rowKey="cityCode" pagination={false} dataSource={c.quotas}
          columns={[
            { title: '市', dataIndex: 'cityName' },
            {
              title: '推荐名额',
              dataIndex: 'quota',
              render: (q: number, r) =>
                me?.role === 'ADMIN' ? (
                  <InputNumber
                    aria-label={`${r.cityName}推荐名额`}
                    defaultValue={q}
                    onBlur={(e) => {
                      const n = Number(e.target.value);
                      // Refused with a message, never clamped.
                      if (!Number.isInteger(n) || n < 0 || n > 10000) return void message.error(`${r.cityName}推荐名额须为0到10000之间的整数`);
                      if (n !== q) void setQuota(r.cityCode, n);
                    }}
                  />
                ) : (
                  q
                ),
            },
          ]}
        />
        </KeyboardScroll>
      </Card>
      <Modal title={move?.kind === 'shutdown' ? '调整全省系统关闭时间' : '设置地区截止时间'} open={move !== null} onCancel={() => setMove(null)} onOk={jobId ? () => setMove(null) : saveMove} okText={jobId ? '关闭' : '确定'}>
        {jobId ? (
          <JobProgress jobId={jobId} />
        ) : (
          <Form form={form} layout="vertical">
            <Alert type="info" showIcon style={{ marginBottom: 12 }} message="调整立即对所有运行中的申报生效；已过的截止时间不能重新开放，也不能调整到过去。" />
            {move?.kind === 'shutdown' ? (
              <Form.Item name="at" label="新的截止时间（北京时间）" rules={[{ required: true, message: '请选择时间' }]}>
                <DatePicker showTime={{ format: 'HH:mm:ss' }} format="YYYY-MM-DD HH:mm:ss" data-testid="deadline-picker" />
              </Form.Item>
            ) : (
              <>
                <Form.Item name="regionCode" label="地区" rules={[{ required: true, message: '请选择地区' }]}>
                  <Select options={settable.map((r) => ({ value: r.code, label: r.name }))} onChange={(code: string) => editRegion(code)} />
                </Form.Item>
                <Form.Item name="filingAt" label="填报截止时间（北京时间；留空则以上级时间为准）">
                  <DatePicker showTime={{ format: 'HH:mm:ss' }} format="YYYY-MM-DD HH:mm:ss" allowClear data-testid="filing-picker" />
                </Form.Item>
                <Form.Item name="reviewAt" label="审核截止时间（北京时间；留空则以上级时间为准）">
                  <DatePicker showTime={{ format: 'HH:mm:ss' }} format="YYYY-MM-DD HH:mm:ss" allowClear data-testid="review-picker" />
                </Form.Item>
              </>
            )}
            <Form.Item name="reason" label="调整原因（审计）" rules={[{ required: true, whitespace: true, message: '请填写调整原因' }, { max: 500, message: '调整原因不能超过500个字' }]}>
              <Input.TextArea rows={2} count={{ show: true, max: 500 }} />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </Space>
  );
}
