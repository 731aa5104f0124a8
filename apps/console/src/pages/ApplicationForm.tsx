import { Alert, Button, Card, Checkbox, Col, DatePicker, Form, Input, InputNumber, Row, Select, Space, Spin, Table, Tag, Typography, Upload, message } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { ATTESTATIONS, materialLabel } from '@jiebang/domain';
import { act, api, ApiError, newKey, unwrap, uploadFile, type ApplicationDetail, type Schemas, type TaskCode } from '../api/client';
import { Countdown, ErrorAlert, StageTag } from '../components/common';
import { useSession } from '../session';

const UPLOADS = ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN', 'PARENT_LETTER'] as const;
const need = (label: string) => [{ required: true, message: `请填写${label}` }];

/**
 * The application form: task, 项目基本信息表, 申报单位信息表, materials and the five attestations.
 * A draft saves with whatever is filled; submitting asks for everything, field by field.
 */
export function ApplicationFormPage() {
  const { id } = useParams<{ id?: string }>();
  const { campaignId, campaigns, reference } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [detail, setDetail] = useState<ApplicationDetail | null>(null);
  const [loading, setLoading] = useState(!!id);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [submitKey] = useState(newKey());
  const campaign = campaigns.find((c) => c.id === (detail?.application.campaignId ?? campaignId));

  /** Refresh what the server holds (files, stage) without touching what is being typed. */
  const refresh = useCallback(async () => {
    if (!id) return null;
    const d = await unwrap(api.GET('/api/v1/applications/{id}', { params: { path: { id } } }));
    setDetail(d);
    return d;
  }, [id]);

  const load = useCallback(async () => {
    const d = await refresh();
    if (!d) return;
    const p = d.project as Record<string, unknown>;
    form.setFieldsValue({
      taskCode: d.application.taskCode,
      projectName: d.application.projectName,
      project: { ...p, startDate: p.startDate ? dayjs(p.startDate as string) : undefined, endDate: p.endDate ? dayjs(p.endDate as string) : undefined },
      unit: { ...(d.unit as object), establishedDate: (d.unit as Record<string, string>).establishedDate ? dayjs((d.unit as Record<string, string>).establishedDate) : undefined },
      attestations: ATTESTATIONS.filter((x) => (d.attestations as Record<string, boolean>)[x.key]).map((x) => x.key),
    });
    setLoading(false);
  }, [refresh, form]);

  useEffect(() => {
    void load().catch((e) => {
      setError(e as ApiError);
      setLoading(false);
    });
  }, [load]);

  const payload = (values: Record<string, unknown>) => {
    const project = { ...((values.project as Record<string, unknown>) ?? {}) };
    for (const k of ['startDate', 'endDate']) if (project[k]) project[k] = (project[k] as dayjs.Dayjs).format('YYYY-MM-DD');
    const unit = { ...((values.unit as Record<string, unknown>) ?? {}) };
    if (unit.establishedDate) unit.establishedDate = (unit.establishedDate as dayjs.Dayjs).format('YYYY-MM-DD');
    const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''));
    return { taskCode: values.taskCode as TaskCode, projectName: values.projectName as string, project: clean(project), unit: clean(unit) };
  };

  /** Put an API refusal next to the field it names. */
  const showError = (e: unknown) => {
    const err = e as ApiError;
    if (err.field) {
      const path = err.field.split('.');
      const name = path[0] === 'attestations' ? ['attestations'] : path[0] === 'materials' ? null : path;
      if (name) {
        form.setFields([{ name, errors: [err.message] }]);
        form.scrollToField(name);
        return;
      }
    }
    setError(err);
  };

  const save = async (): Promise<string | null> => {
    setError(null);
    const values = form.getFieldsValue(true);
    try {
      if (!values.taskCode || !values.projectName) {
        await form.validateFields(['taskCode', 'projectName']);
      }
      const body = payload(values);
      if (id) {
        const d = await unwrap(api.PATCH('/api/v1/applications/{id}', { params: { path: { id } }, body }));
        setDetail(d);
        return id;
      }
      const d = await unwrap(api.POST('/api/v1/applications', { body: { campaignId: campaignId!, ...body } }));
      return d.application.id;
    } catch (e) {
      if (e instanceof ApiError) showError(e);
      return null;
    }
  };

  const onSave = async () => {
    setBusy('save');
    const saved = await save();
    setBusy(null);
    if (saved) {
      void message.success('草稿已保存');
      if (!id) void navigate(`/applications/${saved}/edit`, { replace: true });
    }
  };

  const onSubmit = async () => {
    setBusy('submit');
    try {
      await form.validateFields();
    } catch {
      setBusy(null);
      return;
    }
    const saved = await save();
    if (!saved) {
      setBusy(null);
      return;
    }
    try {
      const ticked = (form.getFieldValue('attestations') as string[] | undefined) ?? [];
      const action = detail?.application.stage === 'RETURNED' ? 'resubmit' : 'submit';
      const attestations = Object.fromEntries(ATTESTATIONS.map((a) => [a.key, ticked.includes(a.key)])) as Schemas['AttestationsDto'];
      const out = await act(saved, action, { attestations }, `${submitKey}-${action}`);
      void message.success(`已提交，当前环节：${out.stageLabel}`);
      void navigate(`/applications/${saved}`);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  const tasks = useMemo(() => reference?.tasks ?? [], [reference]);
  if (loading) return <Spin />;
  const editable = !detail || detail.editable;
  const required = detail?.requiredMaterials ?? ['PROJECT_INFO', 'UNIT_INFO', 'FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN'];

  return (
    <Form form={form} layout="vertical" disabled={!editable} scrollToFirstError data-testid="application-form">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card>
          <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
            <Space>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {id ? `修改申报 ${id}` : '新建申报'}
              </Typography.Title>
              {detail ? <StageTag stage={detail.application.stage} /> : null}
              <Countdown at={detail?.workflow?.deadlineAt ?? campaign?.shutdownAt} label={detail?.workflow?.deadlineLevel ?? '全省系统关闭'} />
            </Space>
            <Typography.Text type="secondary">{campaign?.name}</Typography.Text>
          </Space>
          {detail?.application.stage === 'RETURNED' && detail.workflow?.lastReturn ? (
            <Alert type="warning" showIcon style={{ marginTop: 12 }} data-testid="return-reason" message={`退回理由：${String(detail.workflow.lastReturn.reason)}`} />
          ) : null}
          {!editable ? <Alert type="info" showIcon style={{ marginTop: 12 }} message="当前环节不能修改申报材料（已提交审核，或已推荐至省厅后材料冻结）" /> : null}
        </Card>
        <ErrorAlert error={error} />
        <Card title="基本信息">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="taskCode" label="揭榜任务" rules={[{ required: true, message: '请选择揭榜任务' }]}>
                <Select data-testid="task-select" options={tasks.map((t) => ({ value: t.code, label: `${t.code.slice(1)}. ${t.name}` }))} placeholder="请选择榜单任务" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="projectName" label="项目名称" rules={[{ required: true, whitespace: true, message: '请填写项目名称' }, { max: 200, message: '项目名称不超过200字' }]}>
                <Input data-testid="project-name" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title="项目基本信息表">
          <Row gutter={16}>
            <Col span={24}>
              <Form.Item name={['project', 'summary']} label="项目简介" rules={need('项目简介')}>
                <Input.TextArea rows={3} maxLength={2000} showCount data-testid="project-summary" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name={['project', 'content']} label="主要建设内容" rules={need('主要建设内容')}>
                <Input.TextArea rows={3} maxLength={5000} showCount />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name={['project', 'goals']} label="预期目标及考核指标" rules={need('预期目标及考核指标')}>
                <Input.TextArea rows={2} maxLength={3000} showCount />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name={['project', 'scenario']} label="应用场景/所属行业">
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name={['project', 'startDate']} label="实施开始" rules={[{ required: true, message: '请选择实施开始日期' }]}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item
                name={['project', 'endDate']}
                label="实施结束"
                dependencies={[['project', 'startDate']]}
                rules={[
                  { required: true, message: '请选择实施结束日期' },
                  ({ getFieldValue }) => ({
                    validator: (_, v: dayjs.Dayjs | undefined) => {
                      const start = getFieldValue(['project', 'startDate']) as dayjs.Dayjs | undefined;
                      return !v || !start || v.isAfter(start) ? Promise.resolve() : Promise.reject(new Error('实施结束日期须晚于开始日期'));
                    },
                  }),
                ]}
              >
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name={['project', 'totalInvestment']} label="总投资（万元）" rules={need('总投资')}>
                <InputNumber min={0} precision={2} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name={['project', 'itInvestment']} label="软硬件投入（万元）">
                <InputNumber min={0} precision={2} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name={['project', 'contactName']} label="项目联系人" rules={need('项目联系人')}>
                <Input maxLength={50} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name={['project', 'contactPhone']} label="联系电话" rules={[...need('联系电话'), { pattern: /^[0-9+\-() ]{7,20}$/, message: '请填写有效的电话号码' }]}>
                <Input maxLength={20} data-testid="contact-phone" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title="申报单位信息表">
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Form.Item name={['unit', 'legalRepresentative']} label="法定代表人" rules={need('法定代表人')}>
                <Input maxLength={50} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name={['unit', 'registeredCapital']} label="注册资本（万元）">
                <InputNumber min={0} precision={2} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name={['unit', 'establishedDate']} label="成立日期">
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name={['unit', 'employees']} label="职工人数" rules={need('职工人数')}>
                <InputNumber min={0} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name={['unit', 'revenueLastYear']} label="上年度营业收入（万元）" rules={need('上年度营业收入')}>
                <InputNumber min={0} precision={2} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name={['unit', 'rdLastYear']} label="上年度研发投入（万元）">
                <InputNumber min={0} precision={2} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name={['unit', 'address']} label="通讯地址" rules={need('通讯地址')}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name={['unit', 'mainBusiness']} label="主营业务" rules={need('主营业务')}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title="申报材料">
          {id ? (
            <Table
              size="small"
              rowKey="kind"
              pagination={false}
              dataSource={UPLOADS.filter((k) => k !== 'PARENT_LETTER' || required.includes(k)).map((kind) => ({ kind, files: detail?.files.filter((f) => f.kind === kind) ?? [] }))}
              columns={[
                { title: '材料', dataIndex: 'kind', render: (k: string) => <>{materialLabel(k)} {required.includes(k) ? <Tag color="red">必需</Tag> : null}</> },
                { title: '已上传', render: (_, r) => (r.files.length ? r.files.map((f) => <Tag key={f.id} color="success">{f.filename}</Tag>) : <Tag>未上传</Tag>) },
                {
                  title: '',
                  render: (_, r) => (
                    <Upload
                      showUploadList={false}
                      accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.zip,.ofd"
                      customRequest={async ({ file, onSuccess, onError }) => {
                        try {
                          await uploadFile(id!, file as File, r.kind);
                          void message.success('上传成功');
                          onSuccess?.({});
                          await refresh();
                        } catch (e) {
                          void message.error((e as Error).message);
                          onError?.(e as Error);
                        }
                      }}
                    >
                      <Button size="small" data-testid={`upload-${r.kind}`}>上传</Button>
                    </Upload>
                  ),
                },
              ]}
            />
          ) : (
            <Alert type="info" showIcon message="请先保存草稿，再上传可行性报告等材料" />
          )}
        </Card>
        <Card title="申报承诺（提交时须全部确认）">
          <Form.Item name="attestations" rules={[{ validator: (_, v: string[] | undefined) => ((v?.length ?? 0) === ATTESTATIONS.length ? Promise.resolve() : Promise.reject(new Error('请确认全部申报承诺事项'))) }]}>
            <Checkbox.Group options={ATTESTATIONS.map((a) => ({ value: a.key, label: a.label }))} style={{ display: 'flex', flexDirection: 'column', gap: 8 }} data-testid="attestations" />
          </Form.Item>
        </Card>
        {editable ? (
          <Space>
            <Button onClick={onSave} loading={busy === 'save'} data-testid="save-draft">
              保存草稿
            </Button>
            <Button type="primary" onClick={onSubmit} loading={busy === 'submit'} disabled={!id} data-testid="submit-application">
              {detail?.application.stage === 'RETURNED' ? '修改后重新提交' : '提交申报'}
            </Button>
          </Space>
        ) : null}
      </Space>
    </Form>
  );
}
