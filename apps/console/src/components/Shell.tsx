import { AuditOutlined, CalendarOutlined, IdcardOutlined, KeyOutlined, OrderedListOutlined, VideoCameraOutlined, BellOutlined, MailOutlined, CheckCircleOutlined, ExperimentOutlined, SendOutlined, NotificationOutlined, StopOutlined, FileAddOutlined, InboxOutlined, LogoutOutlined, MenuOutlined, SafetyOutlined, SafetyCertificateOutlined, SettingOutlined, TeamOutlined, ToolOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, Select, Space, Spin, Tag, Typography } from 'antd';
import { Suspense, useState, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../session';
import { ErrorBoundary } from './ErrorBoundary';

function menuFor(role: string) {
  const items: Array<{ key: string; icon: ReactNode; label: string }> = [];
  const own = { key: '/security', icon: <KeyOutlined />, label: '账号安全' };
  if (role === 'AUDITOR') return [{ key: '/audit', icon: <SafetyOutlined />, label: '审计日志' }, own];
  if (role === 'SECURITY_ADMIN') return [{ key: '/accounts', icon: <TeamOutlined />, label: '账号管理' }, { key: '/imports', icon: <UploadOutlined />, label: '批量导入' }, own];
  items.push({ key: '/inbox', icon: <InboxOutlined />, label: role === 'APPLICANT' ? '我的申报' : '待办与查询' });
  if (role === 'APPLICANT') items.push({ key: '/applications/new', icon: <FileAddOutlined />, label: '新建申报' });
  if (role === 'APPLICANT') items.push({ key: '/organisation', icon: <IdcardOutlined />, label: '单位信息' });
  if (role === 'COUNTY_REVIEWER') items.push({ key: '/organisations', icon: <AuditOutlined />, label: '单位核验' });
  if (role === 'ADMIN') items.push({ key: '/admin/stuck', icon: <ToolOutlined />, label: '流程运维' });
  if (['CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE'].includes(role)) items.push({ key: '/city-report', icon: <SendOutlined />, label: '推荐上报' });
  if (role === 'PROVINCE_IT') items.push({ key: '/campaigns/setup', icon: <CalendarOutlined />, label: '申报批次管理' });
  if (role === 'PROVINCE_IT') items.push({ key: '/review/formal-check', icon: <AuditOutlined />, label: '形式审查' });
  if (role === 'PROVINCE_IT' || role === 'PROVINCE_FINANCE') items.push({ key: '/review/experts', icon: <ExperimentOutlined />, label: '专家评审' });
  if (['PROVINCE_IT', 'PROVINCE_FINANCE', 'APPLICANT', 'EXPERT'].includes(role)) items.push({ key: '/defence', icon: <VideoCameraOutlined />, label: '答辩' });
  if (role === 'PROVINCE_IT' || role === 'PROVINCE_FINANCE') items.push({ key: '/review/selection', icon: <OrderedListOutlined />, label: '入围名单' });
  if (role === 'PROVINCE_IT' || role === 'PROVINCE_FINANCE') items.push({ key: '/review/publication', icon: <NotificationOutlined />, label: '公示与储备库' });
  if (['PROVINCE_IT', 'PROVINCE_FINANCE', 'EXPERT'].includes(role)) items.push({ key: '/acceptance', icon: <SafetyCertificateOutlined />, label: '验收评估' });
  if (role === 'EXPERT') items.push({ key: '/expert/ties', icon: <StopOutlined />, label: '回避声明' });
  if (role === 'ADMIN' || role === 'PROVINCE_IT') items.push({ key: '/repair-requests', icon: <CheckCircleOutlined />, label: '修复确认' });
  if (['PROVINCE_IT', 'PROVINCE_FINANCE', 'CITY_IT', 'CITY_FINANCE', 'COUNTY_REVIEWER', 'ADMIN'].includes(role)) items.push({ key: '/campaigns', icon: <SettingOutlined />, label: '批次与截止时间' });
  if (role === 'PROVINCE_IT' || role === 'ADMIN') items.push({ key: '/imports', icon: <UploadOutlined />, label: '批量导入' });
  if (role !== 'ADMIN') items.push({ key: '/notifications', icon: <BellOutlined />, label: '通知' });
  if (['APPLICANT', 'COUNTY_REVIEWER', 'CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE'].includes(role)) items.push({ key: '/settings/mail', icon: <MailOutlined />, label: '邮件通知设置' });
  items.push(own);
  return items;
}

const TITLE = '工赋百景·揭榜挂帅 项目申报管理系统';

/**
 * The frame of every page after login: header, the role's menu, the campaign. From 768 px up the
 * menu is a side column; below, it folds into a drawer behind a menu button and the campaign
 * chooser moves above the page, so a phone shows one column and nothing wider than its screen.
 */
export function Shell({ children }: { children: ReactNode }) {
  const { me, logout, campaigns, campaignId, setCampaignId } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const [drawer, setDrawer] = useState(false);
  if (!me) return <Navigate to="/login" replace />;
  // Before the first measurement useBreakpoint is empty: treat it as wide (the common case).
  const narrow = screens.md === false;
  // A duty first (TOTP enrolment, an expired password): the session reaches nothing else until it is done.
  const duty = me.mustEnrolTotp || me.mustChangePassword;
  if (duty && location.pathname !== '/security') return <Navigate to="/security" replace />;
  const items = duty ? [] : menuFor(me.role);
  const selected = items.map((i) => i.key).filter((k) => location.pathname.startsWith(k)).sort((a, b) => b.length - a.length)[0];
  const go = (key: string) => {
    setDrawer(false);
    void navigate(key);
  };
  const campaignSelect =
    me.role !== 'AUDITOR' && me.role !== 'SECURITY_ADMIN' && campaigns.length ? (
      <Select
        value={campaignId ?? undefined}
        onChange={setCampaignId}
        style={{ width: narrow ? '100%' : 330 }}
        aria-label="申报批次"
        data-testid="campaign-select"
        options={campaigns.map((c) => ({ value: c.id, label: `${c.name}${c.closed ? '（已截止）' : ''}` }))}
      />
    ) : null;
  const who = (
    <>
      {me.displayName}
      {me.countyName ? ` · ${me.cityName}${me.countyName}` : me.cityName ? ` · ${me.cityName}` : ''}
    </>
  );
  const logoutLink = (
    <Button type="link" onClick={() => void logout().then(() => void navigate('/login'))} style={{ color: narrow ? undefined : '#fff', padding: 0 }} data-testid="logout" icon={<LogoutOutlined />}>
      退出
    </Button>
  );
  const menu = <Menu mode="inline" selectedKeys={selected ? [selected] : []} items={items} onClick={(e) => go(e.key)} style={{ height: '100%', borderInlineEnd: 0 }} />;

  return (
    <Layout style={{ minHeight: '100vh' }} data-testid="shell">
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 12, padding: narrow ? '0 12px' : '0 20px' }}>
        <Space size={8} style={{ minWidth: 0 }}>
          {narrow ? <Button type="text" icon={<MenuOutlined style={{ color: '#fff' }} />} aria-label="打开菜单" aria-expanded={drawer} onClick={() => setDrawer(true)} data-testid="menu-toggle" /> : null}
          <Typography.Title level={1} style={{ color: '#fff', fontSize: narrow ? 16 : 18, margin: 0, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
            {narrow ? '揭榜挂帅申报系统' : TITLE}
          </Typography.Title>
        </Space>
        {narrow ? (
          <Tag color="blue" style={{ marginInlineEnd: 0 }}>
            {me.roleLabel}
          </Tag>
        ) : (
          <Space>
            {campaignSelect}
            <Tag color="blue">{me.roleLabel}</Tag>
            <Typography.Text style={{ color: '#fff' }} data-testid="current-user">
              {who}
            </Typography.Text>
            {logoutLink}
          </Space>
        )}
      </Layout.Header>
      <Layout>
        {narrow ? (
          <Drawer placement="left" open={drawer} onClose={() => setDrawer(false)} width={260} title="菜单" styles={{ body: { padding: 0 } }}>
            <Space direction="vertical" style={{ padding: 16, width: '100%' }}>
              <Typography.Text data-testid="current-user">{who}</Typography.Text>
              {logoutLink}
            </Space>
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider width={190} theme="light">
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content style={{ padding: narrow ? 12 : 20, minWidth: 0 }}>
          {narrow && campaignSelect ? <div style={{ marginBottom: 12 }}>{campaignSelect}</div> : null}
          <ErrorBoundary key={location.pathname}>
            <Suspense fallback={<Spin aria-label="加载中" />}>{children}</Suspense>
          </ErrorBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
