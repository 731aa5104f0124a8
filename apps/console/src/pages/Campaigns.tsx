import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Progress, Space, Table, Typography, message } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { api, unwrap, type ApiError, type Schemas } from '../api/client';
import { ErrorAlert, when } from '../components/common';
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
  if (!job) return <Progress percent={0} status="active" />;
  const handled = job.done + job.skipped + job.failed;
  const percent = job.total ? Math.round((handled / job.total) * 100) : job.status === 'DONE' ? 100 : 0;
  return (
    <div data-testid="job-progress">
      <Progress percent={percent} status={job.status === 'DONE' ? (job.failed ? 'exception' : 'success') : 'active'} />
      <Typography.Text>
        通知运行中的申报流程：{job.status === 'DONE' ? '已完成' : '进行中'}，共 {job.total ?? '…'} 项，已送达 {job.done}，已结束无需调整 {job.skipped}，失败 {job.failed}
      </Typography.Text>
    </div>
  );
}

/** Campaign settings: the shutdown (province), regional cut-offs (city, county), quotas and limits (admin). */
export function CampaignsPage() {
  const { me, campaignId } = useSession();
  const [c, setC] = useState<Schemas['CampaignDetailDto'] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [move, setMove] = useState<{ kind: 'shutdown' | 'cutoff'; regionCode?: string } | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [form] = Form.useForm();

  const load = useCallback(async () => {
    if (!campaignId) return;
    try {
      setC(await unwrap(api.GET('/api/v1/campaigns/{id}', { params: { path: { id: campaignId } } })));
    } catch (e) {
      setError(e as ApiError);
    }
  }, [campaignId]);
  useEffect(() => {
    void load();
  }, [load]);

  const saveMove = async () => {
    const v = await form.validateFields();
    const at = (v.at as dayjs.Dayjs).format('YYYY-MM-DD HH:mm:ss');
    try {
      const r =
        move?.kind === 'shutdown'
          ? await unwrap(api.PUT('/api/v1/campaigns/{id}/shutdown', { params: { path: { id: campaignId! } }, body: { at, reason: v.reason } }))
          : await unwrap(api.PUT('/api/v1/campaigns/{id}/cutoffs/{regionCode}', { params: { path: { id: campaignId!, regionCode: move!.regionCode! } }, body: { at, reason: v.reason } }));
      setJobId(r.jobId);
      setC(r.campaign);
      void message.success('截止时间已调整，正在通知运行中的申报流程');
    } catch (e) {
      const err = e as ApiError;
      form.setFields([{ name: err.field === 'at' ? 'at' : 'reason', errors: [err.message] }]);
    }
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
  const ownRegion = me?.role === 'CITY_IT' ? me.cityCode : me?.role === 'COUNTY_REVIEWER' ? me.countyCode : null;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={c.name} extra={c.isPractice ? <Typography.Text type="warning">练习批次，非正式申报</Typography.Text> : null}>
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
      <Card title="地区截止时间（不得晚于全省系统关闭时间）" extra={ownRegion && !c.closed ? <Button onClick={() => { form.resetFields(); setJobId(null); setMove({ kind: 'cutoff', regionCode: ownRegion }); }}>设置本地区截止时间</Button> : null}>
        <Table size="small" rowKey="regionCode" pagination={false} dataSource={c.regionCutoffs} locale={{ emptyText: '各地区均以全省系统关闭时间为准' }}
          columns={[
            { title: '地区', dataIndex: 'regionName' },
            { title: '级别', dataIndex: 'level', render: (l: string) => (l === 'CITY' ? '市' : '县（市、区）') },
            { title: '截止时间', dataIndex: 'cutoffAt', render: when },
          ]}
        />
      </Card>
      <Card title="各市推荐名额（附件5）">
        <Table size="small" rowKey="cityCode" pagination={false} dataSource={c.quotas}
          columns={[
            { title: '市', dataIndex: 'cityName' },
            {
              title: '推荐名额',
              dataIndex: 'quota',
              render: (q: number, r) => (me?.role === 'ADMIN' ? <InputNumber min={0} defaultValue={q} onBlur={(e) => Number(e.target.value) !== q && setQuota(r.cityCode, Number(e.target.value))} /> : q),
            },
          ]}
        />
      </Card>
      <Modal title={move?.kind === 'shutdown' ? '调整全省系统关闭时间' : '设置地区截止时间'} open={move !== null} onCancel={() => setMove(null)} onOk={jobId ? () => setMove(null) : saveMove} okText={jobId ? '关闭' : '确定'}>
        {jobId ? (
          <JobProgress jobId={jobId} />
        ) : (
          <Form form={form} layout="vertical">
            <Alert type="info" showIcon style={{ marginBottom: 12 }} message="调整立即对所有运行中的申报生效；已过的截止时间不能重新开放，也不能调整到过去。" />
            <Form.Item name="at" label="新的截止时间（北京时间）" rules={[{ required: true, message: '请选择时间' }]}>
              <DatePicker showTime={{ format: 'HH:mm:ss' }} format="YYYY-MM-DD HH:mm:ss" data-testid="deadline-picker" />
            </Form.Item>
            <Form.Item name="reason" label="调整原因（审计）" rules={[{ required: true, whitespace: true, message: '请填写调整原因' }]}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </Space>
  );
}
