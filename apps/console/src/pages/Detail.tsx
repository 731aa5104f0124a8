import { Alert, Button, Card, Descriptions, Empty, List, Segmented, Space, Spin, Tag, Timeline, Typography, message } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ATTESTATIONS, materialLabel, PROJECT_FIELD_LABELS, ROLE_LABELS, STAGE_LABELS, UNIT_FIELD_LABELS, type ActorRole, type Stage } from '@jiebang/domain';
import { api, download, unwrap, type ApiError, type ApplicationDetail, type Schemas } from '../api/client';
import { ActionPanel } from '../components/ActionPanel';
import { AssigneePanel } from '../components/AssigneePanel';
import { InternalComments, UrgePanel } from '../components/FollowUpPanels';
import { FilePreview, previewable } from '../components/FilePreview';
import { ProcessDiagram } from '../components/ProcessDiagram';
import { Countdown, ErrorAlert, StageTag, when } from '../components/common';
import { ResponsiveTabs } from '../components/ResponsiveTabs';
import { ListTable } from '../components/ListTable';
import { useSession } from '../session';

/** Timeline entries between offices (催办, 超期提醒): they change no stage. */
const FOLLOW_UPS = ['urge', 'escalation'];

/** The roles whose offices hold applications (claim, transfer); they also write internal comments. */
const OFFICE_ROLES = ['COUNTY_REVIEWER', 'CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE'];

// The two forms' fields in the order of the notice, labelled as the form and the API label them.
const PROJECT_LABELS = Object.entries(PROJECT_FIELD_LABELS).filter(([k]) => k !== 'partners');
const UNIT_LABELS = Object.entries(UNIT_FIELD_LABELS);

/** One application: where it stands, what it contains, who did what when, and what I may do now. */
/** One of the application's forms as label/value rows, in the order of `labels`. */
function FormTable({ title, labels, values }: { title: string; labels: Array<[string, string]>; values: object }) {
  return (
    <Descriptions title={title} bordered size="small" column={1}>
      {labels.map(([k, l]) => (
        <Descriptions.Item key={k} label={l}>
          {String((values as Record<string, unknown>)[k] ?? '')}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

export function DetailPage() {
  const { id } = useParams<{ id: string }>();
  const { me } = useSession();
  const navigate = useNavigate();
  const [detail, setDetail] = useState<ApplicationDetail | null>(null);
  const [timeline, setTimeline] = useState<Schemas['TimelineEntryDto'][]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [newestFirst, setNewestFirst] = useState(true);
  const [preview, setPreview] = useState<Schemas['FileDto'] | null>(null);
  const [stageFilter, setStageFilter] = useState<Stage | null>(null);
  const timelineRef = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    if (!id) return;
    try {
      const [d, t] = await Promise.all([
        unwrap(api.GET('/api/v1/applications/{id}', { params: { path: { id } } })),
        unwrap(api.GET('/api/v1/applications/{id}/timeline', { params: { path: { id } } })),
      ]);
      setDetail(d);
      setTimeline(t);
      setError(null);
    } catch (e) {
      setError(e as ApiError);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <ErrorAlert error={error} />;
  if (!detail) return <Spin />;
  const a = detail.application;
  const w = detail.workflow;
  // The path taken: each entry that changed the stage, in order (returns included).
  const ordered = [...timeline].sort((x, y) => x.seq - y.seq);
  const taken = ordered.filter((e) => e.fromStage !== e.toStage).map((e) => ({ from: e.fromStage, to: e.toStage }));
  const counts: Partial<Record<Stage, number>> = {};
  for (const e of ordered) for (const st of new Set([e.fromStage, e.toStage])) counts[st] = (counts[st] ?? 0) + 1;
  const shown = (newestFirst ? [...ordered].reverse() : ordered).filter((e) => !stageFilter || e.fromStage === stageFilter || e.toStage === stageFilter);
  const dl = (form: 'project-info' | 'unit-info', open = false) =>
    download(open ? '/api/v1/applications/{id}/print/{form}' : '/api/v1/applications/{id}/exports/{form}', { path: { id: a.id, form } }, open).catch((e: Error) => message.error(e.message));
  const dlFile = (fileId: string) => download('/api/v1/applications/{id}/files/{fileId}', { path: { id: a.id, fileId } }).catch((e: Error) => message.error(e.message));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
            <Space wrap>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {a.projectName}
              </Typography.Title>
              <Typography.Text type="secondary">{a.id}</Typography.Text>
              <StageTag stage={a.stage} />
              {w?.deadlineAt ? <Countdown at={w.deadlineAt} label={w.deadlineLevel ?? '截止时间'} /> : null}
              {a.quotaExempt ? <Tag>不占推荐名额</Tag> : null}
            </Space>
            <Space wrap>
              {detail.editable ? <Button onClick={() => void navigate(`/applications/${a.id}/edit`)}>修改申报材料</Button> : null}
              <Button onClick={() => dl('project-info')}>导出项目基本信息表</Button>
              <Button onClick={() => dl('project-info', true)}>打印</Button>
              <Button onClick={() => dl('unit-info')}>导出申报单位信息表</Button>
              <Button onClick={() => dl('unit-info', true)}>打印</Button>
              {detail.temporalUrl ? (
                <Typography.Link href={detail.temporalUrl} target="_blank" data-testid="temporal-link">
                  流程历史
                </Typography.Link>
              ) : null}
            </Space>
          </Space>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label="申报单位">{a.orgName}</Descriptions.Item>
            <Descriptions.Item label="所在地区">{`${a.cityName} ${a.countyName}`}</Descriptions.Item>
            <Descriptions.Item label="榜单任务">{a.taskName}</Descriptions.Item>
            <Descriptions.Item label="提交时间">{when(a.submittedAt)}</Descriptions.Item>
            <Descriptions.Item label="进入本环节">{when(a.stageEnteredAt)}</Descriptions.Item>
            <Descriptions.Item label="截止时间">{when(w?.deadlineAt ?? a.deadlineAt)}</Descriptions.Item>
          </Descriptions>
          {a.stage === 'RETURNED' && w?.lastReturn ? (
            <Alert
              type="warning"
              showIcon
              data-testid="return-reason"
              message={`已退回修改：${String(w.lastReturn.reason)}`}
              description={`由${String(w.lastReturn.byRoleLabel)}于 ${when(w.lastReturn.at as string)} 退回。请修改后重新提交。`}
            />
          ) : null}
          {w?.pendingCityOpinion ? <Alert type="info" showIcon message="市工信局已提出推荐意见，待市财政局会签" /> : null}
          {!w ? <Alert type="warning" showIcon message="暂时无法连接流程引擎，操作按钮不可用；列表信息仍为最新。" /> : null}
        </Space>
      </Card>
      <Card title="可执行的操作" size="small">
        <ActionPanel detail={detail} onDone={load} />
      </Card>
      {me && OFFICE_ROLES.includes(me.role) ? (
        <Card title="经办" size="small">
          <AssigneePanel applicationId={a.id} key={`${a.id}:${a.seq}`} />
        </Card>
      ) : null}
      {me && (me.role === 'CITY_IT' || me.role === 'PROVINCE_IT') ? (
        <Card title="催办" size="small">
          <UrgePanel applicationId={a.id} key={`${a.id}:${a.seq}`} onDone={() => void load()} />
        </Card>
      ) : null}
      <Card title="办理进度" size="small" extra={<Segmented size="small" value={newestFirst ? 'new' : 'old'} onChange={(v) => setNewestFirst(v === 'new')} options={[{ value: 'new', label: '最新在前' }, { value: 'old', label: '最早在前' }]} aria-label="流程记录顺序" data-testid="timeline-order" />}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <ProcessDiagram current={a.stage} taken={taken} counts={counts} selected={stageFilter} onSelect={(st) => { setStageFilter(st); if (st) requestAnimationFrame(() => timelineRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' })); }} />
          {stageFilter ? (
            <Alert
              type="info"
              showIcon
              message={`只显示与“${STAGE_LABELS[stageFilter]}”有关的 ${shown.length} 条流程记录`}
              action={<Button size="small" onClick={() => setStageFilter(null)}>显示全部</Button>}
              data-testid="timeline-filter"
            />
          ) : null}
          <div ref={timelineRef}>
            {shown.length ? (
              <Timeline
                data-testid="timeline"
                items={shown.map((e) => ({
                  color: FOLLOW_UPS.includes(e.action) ? 'red' : e.toStage === 'RETURNED' ? 'orange' : e.action === 'cutoff' ? 'gray' : 'blue',
                  children: (
                    <div data-testid="timeline-entry" data-seq={e.seq}>
                      {FOLLOW_UPS.includes(e.action) ? (
                        <Typography.Text strong>{e.actionLabel}</Typography.Text>
                      ) : (
                        <>
                          <Typography.Text strong>{e.actionLabel}</Typography.Text> → <StageTag stage={e.toStage} />
                        </>
                      )}
                      <div>
                        <Typography.Text type="secondary">
                          {when(e.at)} · {e.actorName ?? ROLE_LABELS[e.actorRole as ActorRole] ?? '—'}（{e.actorRoleLabel}）
                        </Typography.Text>
                      </div>
                      {e.comment ? <div>{FOLLOW_UPS.includes(e.action) ? '附言' : '意见'}：{e.comment}</div> : null}
                    </div>
                  ),
                }))}
              />
            ) : (
              <Empty description="尚无流程记录" />
            )}
          </div>
        </Space>
      </Card>
      <Card>
        <ResponsiveTabs
          label="查看内容"
          items={[
            {
              key: 'info',
              label: '申报信息',
              text: '申报信息',
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <FormTable title="项目基本信息表" labels={PROJECT_LABELS} values={detail.project} />
                  <FormTable title="申报单位信息表" labels={UNIT_LABELS} values={detail.unit} />
                </Space>
              ),
            },
            {
              key: 'materials',
              label: `材料与承诺（${detail.files.length}）`,
              text: `材料与承诺（${detail.files.length}）`,
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <List
                    header="申报材料"
                    dataSource={detail.requiredMaterials}
                    renderItem={(k) => (
                      <List.Item>
                        {materialLabel(k)} {detail.materials.includes(k) ? <Tag color="success">已具备</Tag> : <Tag color="error">缺少</Tag>}
                      </List.Item>
                    )}
                  />
                  <ListTable scroll={{ x: 'max-content' }}
                    rowKey="id"
                    rows={detail.files}
                    columns={[
                      { title: '类别', dataIndex: 'kindLabel' },
                      {
                        title: '文件',
                        dataIndex: 'filename',
                        render: (n: string, f) => (
                          <Space wrap size={4}>
                            {/* A button, not an <a> without href: reachable by keyboard and named by its file. */}
                            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => dlFile(f.id)}>
                              {n}
                            </Button>
                            {previewable(f) ? (
                              <Button size="small" onClick={() => setPreview(f)} data-testid={`preview-${f.id}`} aria-label={`预览 ${n}`}>
                                预览
                              </Button>
                            ) : null}
                          </Space>
                        ),
                      },
                      { title: '大小', dataIndex: 'size', render: (s: number) => `${Math.ceil(s / 1024)} KB` },
                      { title: 'SHA-256', dataIndex: 'sha256', render: (h: string) => <Typography.Text code>{h.slice(0, 16)}…</Typography.Text> },
                      { title: '上传时间', dataIndex: 'uploadedAt', render: when },
                    ]}
                  />
                  <List
                    header="申报承诺"
                    dataSource={ATTESTATIONS}
                    renderItem={(x) => <List.Item>{x.label} {detail.attestations[x.key] ? <Tag color="success">已承诺</Tag> : <Tag>未承诺</Tag>}</List.Item>}
                  />
                </Space>
              ),
            },
            ...(w && (w.experts.length || w.objections.length || w.publicity)
              ? [
                  {
                    key: 'review',
                    label: '评审与公示',
                    text: '评审与公示',
                    children: (
                      <Space direction="vertical" style={{ width: '100%' }}>
                        {w.experts.length ? (
                          <ListTable scroll={{ x: 'max-content' }}
                            rowKey="expertId" rows={w.experts}
                            columns={[
                              { title: '专家', dataIndex: 'name' },
                              { title: '评分', dataIndex: 'score', render: (v: number | null) => (v === null ? <Tag>未评分</Tag> : v) },
                              { title: '评审意见', dataIndex: 'comment' },
                            ]}
                          />
                        ) : null}
                        {w.publicity ? <Alert type="info" message={`公示期：${when(w.publicity.openedAt as string)} 至 ${when(w.publicity.endsAt as string)}`} /> : null}
                        {w.objections.length ? (
                          <ListTable scroll={{ x: 'max-content' }}
                            rowKey="id" rows={w.objections}
                            columns={[
                              { title: '编号', dataIndex: 'id' },
                              { title: '异议内容', dataIndex: 'comment' },
                              { title: '状态', dataIndex: 'status', render: (s: string) => ({ OPEN: <Tag color="orange">待处理</Tag>, DISMISSED: <Tag>不成立</Tag>, UPHELD: <Tag color="red">成立</Tag>, SUPERSEDED: <Tag>已一并处理</Tag> })[s] },
                              { title: '处理意见', dataIndex: 'resolutionComment' },
                            ]}
                          />
                        ) : null}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {me && OFFICE_ROLES.includes(me.role) ? (
        <Card title="内部意见" size="small">
          <InternalComments applicationId={a.id} />
        </Card>
      ) : null}
      {preview ? <FilePreview applicationId={a.id} file={preview} onClose={() => setPreview(null)} /> : null}
      {me?.role === 'APPLICANT' ? <Link to="/inbox">返回我的申报</Link> : <Link to="/inbox">返回列表</Link>}
    </Space>
  );
}
