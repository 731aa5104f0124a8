import { Alert, Button, Form, Input, Modal, Progress, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, AttemptKeys, unwrap, type Schemas } from '../api/client';
import { ErrorAlert } from './common';
import { ListTable } from './ListTable';

export type BulkKind = Schemas['BulkActionPreviewDto']['kind'];
type Preview = Schemas['BulkActionPreviewDto'];
type Job = Schemas['BulkJobDto'];

/** Each bulk action's words: its button, its dialog's title, its progress bar's name. */
const KIND_TEXT: Record<BulkKind, { button: string; title: string; progress: string }> = {
  'county-approval': { button: '批量审核通过', title: '批量县级审核通过', progress: '批量审核进度' },
  'city-finance-concurrence': { button: '批量会签同意', title: '批量市财政会签同意', progress: '批量会签进度' },
  'paper-receipt': { button: '批量登记纸质材料', title: '批量登记纸质材料已收到', progress: '批量登记进度' },
};

/** The bulk kind a role takes on its lists, if any. */
export function bulkKindOf(role: string | undefined): BulkKind | null {
  return role === 'COUNTY_REVIEWER' ? 'county-approval' : role === 'CITY_FINANCE' ? 'city-finance-concurrence' : role === 'PROVINCE_IT' ? 'paper-receipt' : null;
}

const COMMENT_MAX = 2000;
/** The 意见 field's refusal (optional; white space alone or too long is refused, never cut), or null. */
function commentRefusal(comment: string): string | null {
  if (comment.length > 0 && comment.trim() === '') return '意见不能只填空格';
  if (comment.length > COMMENT_MAX) return `意见不能超过${COMMENT_MAX}个字`;
  return null;
}

const POLL_MS = 800;

/** The application of a preview or result row: its number, its project's name under it (one column, so a phone shows the outcome beside it). */
const applicationColumn = {
  title: '申报编号 / 项目名称',
  render: (_: unknown, r: { id: string; projectName: string }) => (
    <div>
      <div>{r.id}</div>
      <div>{r.projectName || '—'}</div>
    </div>
  ),
};

/**
 * A bulk action on the selected applications as one durable job: 批量… opens a preview (what will
 * be done, each refused application with its reason), an optional 意见; confirming starts the job
 * (one Idempotency-Key per attempt, the same key only for a retry of the same request), a progress
 * bar follows it, then each application's result. Closing tells `onClosed` (reload the list).
 */
export function BulkAction({ kind, selected, onClosed }: { kind: BulkKind; selected: string[]; onClosed: (ran: boolean) => void }) {
  const text = KIND_TEXT[kind];
  const [open, setOpen] = useState(false);
  const [ids, setIds] = useState<string[]>([]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const keys = useRef(new AttemptKeys());

  const finished = job !== null && (job.status === 'DONE' || job.status === 'FAILED');

  // Follow the job until it has finished (or the dialog is closed).
  useEffect(() => {
    if (!jobId || finished) return;
    let stopped = false;
    const t = setTimeout(() => {
      unwrap(api.GET('/api/v1/bulk-actions/jobs/{jobId}', { params: { path: { jobId } } }))
        .then((j) => !stopped && setJob(j))
        .catch((e: ApiError) => !stopped && setError(e));
    }, job ? POLL_MS : 0);
    return () => {
      stopped = true;
      clearTimeout(t);
    };
  }, [jobId, job, finished]);

  const start = async () => {
    setOpen(true);
    setIds(selected);
    setPreview(null);
    setJob(null);
    setJobId(null);
    setError(null);
    setComment('');
    setCommentError(null);
    setBusy(true);
    try {
      setPreview(await unwrap(api.POST('/api/v1/bulk-actions/{kind}/preview', { params: { path: { kind } }, body: { applicationIds: selected } })));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    const refusal = commentRefusal(comment);
    setCommentError(refusal);
    if (refusal) return;
    const body = { applicationIds: ids, ...(comment.trim() ? { comment: comment.trim() } : {}) };
    const key = keys.current.for({ kind, body });
    setBusy(true);
    setError(null);
    try {
      const { jobId: id } = await unwrap(api.POST('/api/v1/bulk-actions/{kind}', { params: { path: { kind }, header: { 'Idempotency-Key': key } }, body }));
      keys.current.ended();
      setJobId(id);
    } catch (e) {
      keys.current.ended(e);
      const err = e as ApiError;
      if (err.field === 'comment') setCommentError(err.message);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setOpen(false);
    onClosed(jobId !== null);
  };

  const running = jobId !== null && !finished;
  const percent = job && job.total ? Math.round((job.done / job.total) * 100) : 0;

  return (
    <>
      <Button type="primary" disabled={selected.length === 0} onClick={() => void start()} data-testid="bulk-open">
        {text.button}（{selected.length}）
      </Button>
      <Modal
        open={open}
        title={text.title}
        width={760}
        onCancel={close}
        maskClosable={false}
        footer={
          jobId ? (
            <Button type="primary" disabled={running} onClick={close} data-testid="bulk-close">
              {running ? '正在办理…' : '关闭'}
            </Button>
          ) : (
            <Space wrap>
              <Button onClick={close}>取消</Button>
              <Button type="primary" loading={busy} disabled={!preview || preview.eligible === 0} onClick={() => void confirm()} data-testid="bulk-confirm">
                确认办理 {preview?.eligible ?? 0} 项
              </Button>
            </Space>
          )
        }
        data-testid="bulk-modal"
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <ErrorAlert error={error} />
          {preview && !jobId ? (
            <>
              <Alert
                type={preview.refused ? 'warning' : 'success'}
                showIcon
                message={`将对 ${preview.eligible} 项执行“${preview.actionLabel}”${preview.refused ? `；${preview.refused} 项不能办理，原因见下表` : ''}`}
                data-testid="bulk-summary"
              />
              <ListTable<Schemas['BulkActionItemDto']>
                rowKey={(r) => r.id}
                rows={preview.items}
                data-testid="bulk-preview"
                columns={[
                  applicationColumn,
                  { title: '预览', width: '45%', render: (_, r) => (r.eligible ? <Tag color="success">可办理</Tag> : <Typography.Text type="danger">不能办理：{r.reason}</Typography.Text>) },
                ]}
              />
              <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()}>
                <Form.Item label="意见（选填，每项申报均记录此意见）" htmlFor="bulk-comment" validateStatus={commentError ? 'error' : undefined} help={commentError ?? undefined}>
                  <Input.TextArea
                    id="bulk-comment"
                    rows={2}
                    value={comment}
                    status={commentError ? 'error' : undefined}
                    showCount={{ formatter: ({ count }) => `${count} / ${COMMENT_MAX}` }}
                    onChange={(e) => {
                      setComment(e.target.value);
                      if (commentError) setCommentError(commentRefusal(e.target.value));
                    }}
                    data-testid="bulk-comment"
                  />
                </Form.Item>
              </Form>
            </>
          ) : null}
          {jobId ? (
            <>
              <Typography.Text>{job ? `${job.actionLabel}：${job.statusLabel}，已处理 ${job.done} / ${job.total} 项` : '正在开始…'}</Typography.Text>
              <Progress aria-label={text.progress} percent={percent} status={job?.status === 'FAILED' ? 'exception' : finished ? 'success' : 'active'} data-testid="bulk-progress" />
            </>
          ) : null}
          {job && finished ? (
            <>
              <Alert
                type={job.status === 'FAILED' ? 'error' : job.failed ? 'warning' : 'success'}
                showIcon
                message={`${job.status === 'FAILED' ? '批量任务失败' : '已完成'}：成功 ${job.succeeded} 项，未执行 ${job.failed} 项`}
                data-testid="bulk-counts"
              />
              <ListTable<Schemas['BulkJobResultDto']>
                rowKey={(r) => r.id}
                rows={job.results}
                data-testid="bulk-results"
                columns={[
                  applicationColumn,
                  {
                    title: '结果',
                    width: '45%',
                    render: (_, r) =>
                      r.ok ? (
                        <Space size={4} wrap><Tag color="success">成功</Tag>{r.stageLabel ? <span>现处于“{r.stageLabel}”</span> : null}</Space>
                      ) : (
                        <Space size={4} wrap><Tag color="error">未执行</Tag><Typography.Text type="danger">{r.reason}</Typography.Text></Space>
                      ),
                  },
                ]}
              />
            </>
          ) : null}
        </Space>
      </Modal>
    </>
  );
}
