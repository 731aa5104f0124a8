import { Alert, Button, Card, Input, Modal, Space, Table, Tag, Typography, Upload, message } from 'antd';
import { useState } from 'react';
import { api, download, unwrap, uploadCityReport, type ApiError, type Schemas } from '../api/client';
import { DecisionButtons, ErrorAlert, when } from '../components/common';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../session';

type Report = Schemas['CityReportDto'];

/**
 * 推荐上报: the city's report — CITY_IT submits the joint IT + finance document (the system
 * generates the 推荐汇总表 beside it), CITY_FINANCE confirms it, the province records the paper
 * copies (a receipt after the mailing deadline is flagged late).
 */
export function CityReportPage() {
  const { me, campaignId } = useSession();
  const [reports, setReports] = useState<Report[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<Report | null>(null);
  const [decision, setDecision] = useState<'CONCUR' | 'DISAGREE'>('CONCUR');
  const [comment, setComment] = useState('');
  const role = me?.role;

  const load = useLoad(
    async () => {
      if (!campaignId) return;
      setError(null);
      setReports(await unwrap(api.GET('/api/v1/campaigns/{id}/city-reports', { params: { path: { id: campaignId } } })));
    },
    setError,
    [campaignId],
  );

  const submit = async () => {
    if (!campaignId || !file) return;
    setBusy(true);
    try {
      await uploadCityReport(campaignId, file, note.trim());
      void message.success('推荐上报已提交，待市财政局确认');
      setFile(null);
      setNote('');
      void load();
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!campaignId || !confirming) return;
    try {
      await unwrap(
        api.PUT('/api/v1/campaigns/{id}/city-reports/{reportId}/finance', {
          params: { path: { id: campaignId, reportId: confirming.id } },
          body: { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) },
        }),
      );
      void message.success(decision === 'CONCUR' ? '已确认' : '已提交不同意意见');
      setConfirming(null);
      void load();
    } catch (e) {
      void message.error((e as ApiError).message);
    }
  };

  const paperReceived = async (r: Report) => {
    if (!campaignId) return;
    try {
      await unwrap(api.PUT('/api/v1/campaigns/{id}/city-reports/{reportId}/paper-received', { params: { path: { id: campaignId, reportId: r.id } } }));
      void load();
    } catch (e) {
      void message.error((e as ApiError).message);
    }
  };

  const get = (r: Report, which: 'file' | 'summary') =>
    campaignId &&
    void download(which === 'file' ? '/api/v1/campaigns/{id}/city-reports/{reportId}/file' : '/api/v1/campaigns/{id}/city-reports/{reportId}/summary', { path: { id: campaignId, reportId: r.id } }).catch(
      (e: ApiError) => void message.error(e.message),
    );

  const deadline = reports[0]?.paperDeadlineAt ?? null;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="city-report-page">
      <Card title="推荐上报">
        <Typography.Paragraph>
          推荐上报包括系统生成的推荐汇总表（附件4）和工信、财政联合行文（加盖公章的扫描件），由市工业和信息化局提交、市财政局在系统中确认；纸质材料两份寄送省工业和信息化厅
          {deadline ? `，寄送截止 ${when(deadline)}` : ''}。
        </Typography.Paragraph>
        {role === 'CITY_IT' ? (
          <Space wrap>
            <Upload beforeUpload={(f) => (setFile(f), false)} maxCount={1} showUploadList={file ? { showRemoveIcon: false } : false} accept=".pdf,.jpg,.jpeg,.png">
              <Button data-testid="report-file">选择联合行文扫描件</Button>
            </Upload>
            <Input placeholder="文号或说明（选填）" aria-label="文号或说明" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} style={{ width: 260 }} />
            <Button type="primary" disabled={!file} loading={busy} onClick={() => void submit()} data-testid="report-submit">
              提交推荐上报
            </Button>
          </Space>
        ) : null}
        <ErrorAlert error={error} />
      </Card>
      <Card title="上报记录" size="small">
        <div role="region" aria-label="上报记录" tabIndex={0} style={{ overflowX: 'auto' }}>
          <Table<Report>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={reports}
            data-testid="reports-table"
            style={{ minWidth: 980 }}
            locale={{ emptyText: <span style={{ color: 'rgba(0, 0, 0, 0.75)' }}>尚无推荐上报</span> }}
            columns={[
              { title: '市', dataIndex: 'cityName', width: 90 },
              { title: '提交时间', dataIndex: 'uploadedAt', render: (v: string) => when(v), width: 160 },
              { title: '文号或说明', dataIndex: 'note', render: (v: string | null) => v ?? '—', ellipsis: true },
              {
                title: '文件',
                width: 200,
                render: (_, r) => (
                  <Space size={4} wrap>
                    <Button size="small" onClick={() => get(r, 'file')}>联合行文</Button>
                    {r.summaryFileId ? <Button size="small" onClick={() => get(r, 'summary')}>推荐汇总表</Button> : null}
                  </Space>
                ),
              },
              {
                title: '市财政局',
                width: 200,
                render: (_, r) => (
                  <Space direction="vertical" size={2}>
                    <Tag color={r.financeDecision === 'CONCUR' ? 'success' : r.financeDecision === 'DISAGREE' ? 'error' : 'processing'}>{r.statusLabel}</Tag>
                    {r.financeComment ? <Typography.Text>{r.financeComment}</Typography.Text> : null}
                    {role === 'CITY_FINANCE' && !r.financeDecision ? (
                      <Button size="small" type="primary" onClick={() => (setDecision('CONCUR'), setComment(''), setConfirming(r))} data-testid="report-confirm">
                        确认
                      </Button>
                    ) : null}
                  </Space>
                ),
              },
              {
                title: '纸质材料',
                width: 190,
                render: (_, r) =>
                  r.paperReceivedAt ? (
                    <Space size={4}>
                      {when(r.paperReceivedAt)}
                      {r.paperLate ? <Tag color="error">逾期</Tag> : null}
                    </Space>
                  ) : role === 'PROVINCE_IT' ? (
                    <Button size="small" onClick={() => void paperReceived(r)} data-testid="report-paper">
                      登记收到
                    </Button>
                  ) : (
                    <Tag>未收到</Tag>
                  ),
              },
            ]}
          />
        </div>
      </Card>
      <Modal title="市财政局确认推荐上报" open={confirming !== null} onCancel={() => setConfirming(null)} onOk={() => void confirm()} okText="提交" cancelText="取消" data-testid="confirm-modal">
        <Space direction="vertical" style={{ width: '100%' }}>
          <DecisionButtons value={decision} onChange={setDecision} options={[['CONCUR', '确认'], ['DISAGREE', '不同意']]} />
          {decision === 'DISAGREE' ? <Alert type="warning" showIcon message="不同意时请填写理由" /> : null}
          <Input.TextArea rows={3} maxLength={2000} aria-label="意见" placeholder={decision === 'DISAGREE' ? '不同意的理由（必填）' : '意见（选填）'} value={comment} onChange={(e) => setComment(e.target.value)} />
        </Space>
      </Modal>
    </Space>
  );
}
