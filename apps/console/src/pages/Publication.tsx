import { Button, Card, Space, Typography, message } from 'antd';
import { useEffect, useState } from 'react';
import { api, download, unwrap, type ApiError, type Schemas } from '../api/client';
import { ErrorAlert, StageTag, when } from '../components/common';
import { idLinkColumn, ListTable } from '../components/ListTable';
import { useSession } from '../session';

/**
 * 公示与储备库 (province): the public page of the campaign's publicity and results (no login,
 * for anyone to read) and the provincial reserve pool (储备库) with its export.
 */
export function PublicationPage() {
  const { campaignId } = useSession();
  const [pool, setPool] = useState<Schemas['ReservePoolEntryDto'][]>([]);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!campaignId) return;
    setError(null);
    void unwrap(api.GET('/api/v1/campaigns/{id}/reserve-pool', { params: { path: { id: campaignId } } }))
      .then(setPool)
      .catch((e: ApiError) => setError(e));
  }, [campaignId]);

  const publicHref = campaignId ? `/api/v1/public/campaigns/${encodeURIComponent(campaignId)}` : '#';

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="publication-page">
      <Card title="公示与公布">
        <Typography.Paragraph>
          公示名单与入选名单发布在公开页面上，任何人无需登录即可查看并下载 Excel。公示由各项目详情页的“开始公示”发起；公示期间收到的异议（电话、邮件或信函）在项目详情页登记并处理。
        </Typography.Paragraph>
        <a href={publicHref} target="_blank" rel="noreferrer" data-testid="public-link">
          打开公开页面
        </a>
      </Card>
      <Card
        title="省级制造业数字化转型促进中心储备库"
        extra={
          <Button
            onClick={() => campaignId && void download('/api/v1/campaigns/{id}/reserve-pool/export', { path: { id: campaignId } }).catch((e: ApiError) => void message.error(e.message))}
            data-testid="pool-export"
          >
            导出 Excel
          </Button>
        }
      >
        <ErrorAlert error={error} />
        <div role="region" aria-label="储备库名单" tabIndex={0} style={{ overflowX: 'auto' }}>
          <ListTable<Schemas['ReservePoolEntryDto']>
            rowKey="applicationId"
            rows={pool}
            data-testid="pool-table"
            style={{ minWidth: 860 }}
            locale={{ emptyText: <span style={{ color: 'rgba(0, 0, 0, 0.75)' }}>储备库中暂无项目（任务9入选项目公布后自动入库）</span> }}
            columns={[
              idLinkColumn('applicationId'),
              { title: '项目名称', dataIndex: 'projectName', ellipsis: true },
              { title: '申报单位', dataIndex: 'orgName', ellipsis: true },
              { title: '所在市', dataIndex: 'cityName', width: 90 },
              { title: '环节', dataIndex: 'stage', render: (s: string) => <StageTag stage={s} />, width: 110 },
              { title: '入库时间', dataIndex: 'addedAt', render: (v: string) => when(v), width: 160 },
            ]}
          />
        </div>
      </Card>
    </Space>
  );
}
