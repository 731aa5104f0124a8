import { Alert, Button, Card, Checkbox, Col, DatePicker, Form, Input, InputNumber, Row, Select, Space, Spin, Table, Tag, Typography, Upload, message } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import {
  APPLICATION_FIELD_LABELS,
  ATTESTATIONS,
  materialLabel,
  PHONE_PATTERN,
  PROJECT_FIELD_LABELS,
  PROJECT_FIELD_LIMITS,
  PROJECT_NAME_MAX,
  PROJECT_REQUIRED,
  UNIT_FIELD_LABELS,
  UNIT_REQUIRED,
  UNIT_FIELD_LIMITS,
  type FieldLimit,
} from '@jiebang/domain';
import { act, api, ApiError, AttemptKeys, unwrap, uploadFile, type ApplicationDetail, type Schemas, type TaskCode } from '../api/client';
import { Countdown, ErrorAlert, StageTag } from '../components/common';
import { counter, numberRules, textRules } from '../components/rules';
import { useTaskOptions } from '../hooks/useTaskOptions';
import { useSession } from '../session';

const UPLOADS = ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN', 'PARENT_LETTER'] as const;
const need = (label: string) => [{ required: true, message: `请填写${label}` }];
const textMax = (l: FieldLimit) => ('text' in l ? l.text : 0);

/**
 * The application form: task, 项目基本信息表, 申报单位信息表, materials and the five attestations.
 * A draft saves with whatever is filled; submitting asks for everything, field by field.
 */
export function ApplicationFormPage() {
  const { id } = useParams<{ id?: string }>();
  const { campaignId, campaigns } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [detail, setDetail] = useState<ApplicationDetail | null>(null);
  const [loading, setLoading] = useState(!!id);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [submitKeys] = useState(() => new AttemptKeys());
  /** The new draft's key: kept for a retry of the same save (a 503 that could not confirm it), new for a corrected one. */
  const [createKeys] = useState(() => new AttemptKeys());
  // A refusal about the materials appears in the materials card (the files it asks for are there)
  // and goes once they are all uploaded; any other refusal without a field appears by the buttons.
  const [materialsError, setMaterialsError] = useState<string | null>(null);
  const materialsRef = useRef<HTMLDivElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const campaign = campaigns.find((c) => c.id === (detail?.application.campaignId ?? campaignId));

  /** Refresh what the server holds (files, stage) without touching what is being typed. */
  const refresh = useCallback(async () => {
    if (!id) return null;
    const d = await unwrap(api.GET('/api/v1/applications/{id}', { params: { path: { id } } }));
    setDetail(d);
    if (d.requiredMaterials.every((m) => d.materials.includes(m))) setMaterialsError(null);
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
      if (path[0] === 'materials') {
        setMaterialsError(err.message);
        requestAnimationFrame(() => materialsRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
        return;
      }
      const name = path[0] === 'attestations' ? ['attestations'] : path;
      form.setFields([{ name, errors: [err.message] }]);
      form.scrollToField(name, { block: 'center' });
      return;
    }
    setError(err);
    requestAnimationFrame(() => errorRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
  };

  /** The names of the fields that hold something: a draft is checked on what was typed, not on what is missing. */
  const filledFields = (): Array<Array<string>> => {
    const out: string[][] = [];
    const walk = (o: unknown, at: string[]) => {
      if (o && typeof o === 'object' && !Array.isArray(o) && !dayjs.isDayjs(o)) for (const [k, v] of Object.entries(o)) walk(v, [...at, k]);
      else if (o !== undefined && o !== null && o !== '' && !(Array.isArray(o) && o.length === 0)) out.push(at);
    };
    walk(form.getFieldsValue(true), []);
    return out.filter((n) => n[0] !== 'attestations');
  };

  const save = async (): Promise<string | null> => {
    setError(null);
    const values = form.getFieldsValue(true);
    try {
      await form.validateFields([['taskCode'], ['projectName'], ...filledFields()]);
      const body = payload(values);
      if (id) {
        const d = await unwrap(api.PATCH('/api/v1/applications/{id}', { params: { path: { id } }, body }));
        setDetail(d);
        return id;
      }
      const create = { campaignId: campaignId!, ...body };
      const key = createKeys.for(create);
      try {
        const d = await unwrap(api.POST('/api/v1/applications', { params: { header: { 'Idempotency-Key': key } }, body: create }));
        createKeys.ended();
        return d.application.id;
      } catch (e) {
        createKeys.ended(e);
        throw e;
      }
    } catch (e) {
      if (e instanceof ApiError) showError(e);
      else form.scrollToField((e as { errorFields?: Array<{ name: string[] }> }).errorFields?.[0]?.name ?? 'projectName', { block: 'center' });
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
    setError(null);
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
      const out = await act(saved, action, { attestations }, submitKeys.for([saved, action, attestations]));
      submitKeys.ended();
      void message.success(`已提交，当前环节：${out.stageLabel}`);
      void navigate(`/applications/${saved}`);
    } catch (e) {
      submitKeys.ended(e);
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  // The 榜单 of the application's campaign (each campaign has its own).
  const tasks = useTaskOptions(detail?.application.campaignId ?? campaignId);

  /** A text control of one of the two forms: its label and limit from libs/domain, counted, never cut. */
  const textItem = (group: 'project' | 'unit', key: string, label: string, max: number, o: { rows?: number; testId?: string }) => {
    const required = (group === 'project' ? (PROJECT_REQUIRED as readonly string[]) : (UNIT_REQUIRED as readonly string[])).includes(key);
    const props = { count: counter(max), 'data-testid': o.testId };
    return (
      <Form.Item name={[group, key]} label={label} rules={textRules(label, { max, required })}>
        {o.rows ? <Input.TextArea rows={o.rows} {...props} /> : <Input {...props} />}
      </Form.Item>
    );
  };
  /** A number control: out of range or with too many decimals it is refused with a message, never changed. */
  const numberItem = (group: 'project' | 'unit', key: string, label: string, limit: FieldLimit) => {
    const required = (group === 'project' ? (PROJECT_REQUIRED as readonly string[]) : (UNIT_REQUIRED as readonly string[])).includes(key);
    const range = 'text' in limit ? { min: 0, max: 0, decimals: 0 } : limit;
    return (
      <Form.Item name={[group, key]} label={label} rules={numberRules(label, { ...range, required })}>
        <InputNumber style={{ width: '100%' }} data-testid={`${group}-${key}`} />
      </Form.Item>
    );
  };
  const projectText = (k: keyof typeof PROJECT_FIELD_LIMITS, o: { rows?: number; testId?: string }) => textItem('project', k, PROJECT_FIELD_LABELS[k], textMax(PROJECT_FIELD_LIMITS[k]), o);
  const unitText = (k: keyof typeof UNIT_FIELD_LIMITS, o: { rows?: number; testId?: string }) => textItem('unit', k, UNIT_FIELD_LABELS[k], textMax(UNIT_FIELD_LIMITS[k]), o);
  const projectNumber = (k: keyof typeof PROJECT_FIELD_LIMITS) => numberItem('project', k, PROJECT_FIELD_LABELS[k], PROJECT_FIELD_LIMITS[k]);
  const unitNumber = (k: keyof typeof UNIT_FIELD_LIMITS) => numberItem('unit', k, UNIT_FIELD_LABELS[k], UNIT_FIELD_LIMITS[k]);
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
        <Card title="基本信息">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="taskCode" label={APPLICATION_FIELD_LABELS.taskCode} rules={[{ required: true, message: '请选择揭榜任务' }]}>
                <Select data-testid="task-select" options={tasks} placeholder="请选择榜单任务" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="projectName" label={APPLICATION_FIELD_LABELS.projectName} rules={textRules(APPLICATION_FIELD_LABELS.projectName, { max: PROJECT_NAME_MAX, required: true })}>
                <Input count={counter(PROJECT_NAME_MAX)} data-testid="project-name" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title="项目基本信息表">
          <Row gutter={16}>
            <Col span={24}>{projectText('summary', { rows: 3, testId: 'project-summary' })}</Col>
            <Col span={24}>{projectText('content', { rows: 3 })}</Col>
            <Col span={24}>{projectText('goals', { rows: 2 })}</Col>
            <Col xs={24} md={8}>
              {projectText('scenario', {})}
            </Col>
            <Col xs={24} sm={12} md={4}>
              <Form.Item name={['project', 'startDate']} label={PROJECT_FIELD_LABELS.startDate} rules={[{ required: true, message: '请选择实施开始日期' }]}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} md={4}>
              <Form.Item
                name={['project', 'endDate']}
                label={PROJECT_FIELD_LABELS.endDate}
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
            {(['totalInvestment', 'itInvestment'] as const).map((k) => (
              <Col key={k} xs={24} sm={12} md={4}>
                {projectNumber(k)}
              </Col>
            ))}
            <Col xs={24} sm={12} md={8}>
              {projectText('contactName', {})}
            </Col>
            <Col xs={24} sm={12} md={8}>
              <Form.Item
                name={['project', 'contactPhone']}
                label={PROJECT_FIELD_LABELS.contactPhone}
                rules={[...need(PROJECT_FIELD_LABELS.contactPhone), { pattern: PHONE_PATTERN, message: '联系电话须为电话号码（7–20位数字，可含 + - ( ) 和空格）' }]}
              >
                <Input data-testid="contact-phone" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title="申报单位信息表">
          <Row gutter={16}>
            <Col xs={24} sm={12} md={6}>
              {unitText('legalRepresentative', {})}
            </Col>
            <Col xs={24} sm={12} md={6}>
              {unitNumber('registeredCapital')}
            </Col>
            <Col xs={24} sm={12} md={6}>
              <Form.Item name={['unit', 'establishedDate']} label={UNIT_FIELD_LABELS.establishedDate}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            {(['employees', 'revenueLastYear', 'rdLastYear'] as const).map((k) => (
              <Col key={k} xs={24} sm={12} md={6}>
                {unitNumber(k)}
              </Col>
            ))}
            <Col xs={24} md={12}>
              {unitText('address', {})}
            </Col>
            <Col span={24}>{unitText('mainBusiness', { rows: 2 })}</Col>
          </Row>
        </Card>
        <Card title="申报材料">
          <div ref={materialsRef}>
            {materialsError ? <Alert type="error" showIcon message={materialsError} description="请上传下表中标为“必需”的材料后再提交。" style={{ marginBottom: 12 }} data-testid="materials-error" /> : null}
          </div>
          {id ? (
            <Table scroll={{ x: 'max-content' }}
              size="small"
              rowKey="kind"
              pagination={false}
              dataSource={UPLOADS.filter((k) => k !== 'PARENT_LETTER' || required.includes(k)).map((kind) => ({ kind, files: detail?.files.filter((f) => f.kind === kind) ?? [] }))}
              columns={[
                { title: '材料', dataIndex: 'kind', render: (k: string) => <>{materialLabel(k)} {required.includes(k) ? <Tag color="red">必需</Tag> : null}</> },
                { title: '已上传', render: (_, r) => (r.files.length ? r.files.map((f) => <Tag key={f.id} color="success">{f.filename}</Tag>) : <Tag>未上传</Tag>) },
                {
                  title: '操作',
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
        <div ref={errorRef}>
          <ErrorAlert error={error} />
        </div>
        {editable ? (
          <Space wrap>
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
