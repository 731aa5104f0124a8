import { AuditOutlined, BellOutlined, CheckCircleOutlined, ExperimentOutlined, FileAddOutlined, IdcardOutlined, InboxOutlined, LogoutOutlined, NotificationOutlined, OrderedListOutlined, SafetyOutlined, SendOutlined, SettingOutlined, StopOutlined, TeamOutlined, ToolOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { Layout, Menu, Select, Space, Spin, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ApplicationFormPage } from './pages/ApplicationForm';
import { AuditPage } from './pages/Audit';
import { CampaignsPage } from './pages/Campaigns';
import { CityReportPage } from './pages/CityReport';
import { DetailPage } from './pages/Detail';
import { ExpertReviewPage } from './pages/ExpertReview';
import { ExpertTiesPage } from './pages/ExpertTies';
import { FormalCheckPage } from './pages/FormalCheck';
import { SelectionPage } from './pages/Selection';
import { DefencePage } from './pages/Defence';
import { PublicationPage } from './pages/Publication';
import { InboxPage } from './pages/Inbox';
import { LoginPage } from './pages/Login';
import { MyOrganisationPage } from './pages/MyOrganisation';
import { NotificationsPage } from './pages/Notifications';
import { RepairRequestsPage } from './pages/RepairRequests';
import { SetPasswordPage } from './pages/SetPassword';
import { OrganisationVerificationPage } from './pages/OrganisationVerification';
import { RegisterPage } from './pages/Register';
import { StuckPage } from './pages/Stuck';
import { UsersPage } from './pages/Users';
import { useSession } from './session';

function menuFor(role: string) {
  const items: Array<{ key: string; icon: ReactNode; label: string }> = [];
  if (role === 'AUDITOR') return [{ key: '/audit', icon: <SafetyOutlined />, label: '审计日志' }];
  if (role === 'SECURITY_ADMIN') return [{ key: '/accounts', icon: <TeamOutlined />, label: '账号管理' }];
  items.push({ key: '/inbox', icon: <InboxOutlined />, label: role === 'APPLICANT' ? '我的申报' : '待办与查询' });
  if (role === 'APPLICANT') items.push({ key: '/applications/new', icon: <FileAddOutlined />, label: '新建申报' });
  if (role === 'APPLICANT') items.push({ key: '/organisation', icon: <IdcardOutlined />, label: '单位信息' });
  if (role === 'COUNTY_REVIEWER') items.push({ key: '/organisations', icon: <AuditOutlined />, label: '单位核验' });
  if (role === 'ADMIN') items.push({ key: '/admin/stuck', icon: <ToolOutlined />, label: '流程运维' });
  if (['CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE'].includes(role)) items.push({ key: '/city-report', icon: <SendOutlined />, label: '推荐上报' });
  if (role === 'PROVINCE_IT') items.push({ key: '/review/formal-check', icon: <AuditOutlined />, label: '形式审查' });
  if (role === 'PROVINCE_IT' || role === 'PROVINCE_FINANCE') items.push({ key: '/review/experts', icon: <ExperimentOutlined />, label: '专家评审' });
  if (['PROVINCE_IT', 'PROVINCE_FINANCE', 'APPLICANT', 'EXPERT'].includes(role)) items.push({ key: '/defence', icon: <VideoCameraOutlined />, label: '答辩' });
  if (role === 'PROVINCE_IT' || role === 'PROVINCE_FINANCE') items.push({ key: '/review/selection', icon: <OrderedListOutlined />, label: '入围名单' });
  if (role === 'PROVINCE_IT' || role === 'PROVINCE_FINANCE') items.push({ key: '/review/publication', icon: <NotificationOutlined />, label: '公示与储备库' });
  if (role === 'EXPERT') items.push({ key: '/expert/ties', icon: <StopOutlined />, label: '回避声明' });
  if (role === 'ADMIN' || role === 'PROVINCE_IT') items.push({ key: '/repair-requests', icon: <CheckCircleOutlined />, label: '修复确认' });
  if (['PROVINCE_IT', 'PROVINCE_FINANCE', 'CITY_IT', 'CITY_FINANCE', 'COUNTY_REVIEWER', 'ADMIN'].includes(role)) items.push({ key: '/campaigns', icon: <SettingOutlined />, label: '批次与截止时间' });
  if (role !== 'ADMIN') items.push({ key: '/notifications', icon: <BellOutlined />, label: '通知' });
  return items;
}

function Shell({ children }: { children: ReactNode }) {
  const { me, logout, campaigns, campaignId, setCampaignId } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  if (!me) return <Navigate to="/login" replace />;
  const items = menuFor(me.role);
  const selected = items.map((i) => i.key).filter((k) => location.pathname.startsWith(k)).sort((a, b) => b.length - a.length)[0];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '0 20px' }}>
        <Typography.Text style={{ color: '#fff', fontSize: 18, fontWeight: 600 }}>工赋百景·揭榜挂帅 项目申报管理系统</Typography.Text>
        <Space>
          {me.role !== 'AUDITOR' && me.role !== 'SECURITY_ADMIN' && campaigns.length ? (
            <Select
              value={campaignId ?? undefined}
              onChange={setCampaignId}
              style={{ width: 330 }}
              aria-label="申报批次"
              data-testid="campaign-select"
              options={campaigns.map((c) => ({ value: c.id, label: `${c.name}${c.closed ? '（已截止）' : ''}` }))}
            />
          ) : null}
          <Tag color="blue">{me.roleLabel}</Tag>
          <Typography.Text style={{ color: '#fff' }} data-testid="current-user">
            {me.displayName}
            {me.countyName ? ` · ${me.cityName}${me.countyName}` : me.cityName ? ` · ${me.cityName}` : ''}
          </Typography.Text>
          <a onClick={() => void logout().then(() => void navigate('/login'))} style={{ color: '#fff' }} data-testid="logout">
            <LogoutOutlined /> 退出
          </a>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={190} theme="light">
          <Menu mode="inline" selectedKeys={selected ? [selected] : []} items={items} onClick={(e) => void navigate(e.key)} style={{ height: '100%' }} />
        </Layout.Sider>
        <Layout.Content style={{ padding: 20 }}>
          <ErrorBoundary key={location.pathname}>{children}</ErrorBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function Home() {
  const { me } = useSession();
  if (!me) return <Navigate to="/login" replace />;
  if (me.role === 'AUDITOR') return <Navigate to="/audit" replace />;
  if (me.role === 'SECURITY_ADMIN') return <Navigate to="/accounts" replace />;
  if (me.role === 'ADMIN') return <Navigate to="/admin/stuck" replace />;
  return <Navigate to="/inbox" replace />;
}

export function App() {
  const { loading } = useSession();
  if (loading) return <Spin fullscreen />;
  const shell = (node: ReactNode) => <Shell>{node}</Shell>;
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/register" element={<RegisterPage />} />
        <Route path="/" element={<Home />} />
        <Route path="/inbox" element={shell(<InboxPage />)} />
        <Route path="/applications/new" element={shell(<ApplicationFormPage />)} />
        <Route path="/applications/:id/edit" element={shell(<ApplicationFormPage />)} />
        <Route path="/applications/:id" element={shell(<DetailPage />)} />
        <Route path="/campaigns" element={shell(<CampaignsPage />)} />
        <Route path="/review/formal-check" element={shell(<FormalCheckPage />)} />
        <Route path="/review/experts" element={shell(<ExpertReviewPage />)} />
        <Route path="/expert/ties" element={shell(<ExpertTiesPage />)} />
        <Route path="/review/selection" element={shell(<SelectionPage />)} />
        <Route path="/defence" element={shell(<DefencePage />)} />
        <Route path="/review/publication" element={shell(<PublicationPage />)} />
        <Route path="/city-report" element={shell(<CityReportPage />)} />
        <Route path="/notifications" element={shell(<NotificationsPage />)} />
        <Route path="/organisation" element={shell(<MyOrganisationPage />)} />
        <Route path="/organisations" element={shell(<OrganisationVerificationPage />)} />
        <Route path="/audit" element={shell(<AuditPage />)} />
        <Route path="/accounts" element={shell(<UsersPage />)} />
        <Route path="/repair-requests" element={shell(<RepairRequestsPage />)} />
        <Route path="/activate" element={<SetPasswordPage purpose="ACTIVATION" />} />
        <Route path="/reset-password" element={<SetPasswordPage purpose="RESET" />} />
        <Route path="/admin/stuck" element={shell(<StuckPage />)} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </BrowserRouter>
  );
}
