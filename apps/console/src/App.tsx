import { Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { LoginPage } from './pages/Login';
import { useSession } from './session';

// Each page is its own chunk, and so is the frame around them: the login page loads none of them.
const Shell = lazy(() => import('./components/Shell').then((m) => ({ default: m.Shell })));
const InboxPage = lazy(() => import('./pages/Inbox').then((m) => ({ default: m.InboxPage })));
const ApplicationFormPage = lazy(() => import('./pages/ApplicationForm').then((m) => ({ default: m.ApplicationFormPage })));
const DetailPage = lazy(() => import('./pages/Detail').then((m) => ({ default: m.DetailPage })));
const CampaignsPage = lazy(() => import('./pages/Campaigns').then((m) => ({ default: m.CampaignsPage })));
const CampaignSetupPage = lazy(() => import('./pages/CampaignSetup').then((m) => ({ default: m.CampaignSetupPage })));
const NotificationsPage = lazy(() => import('./pages/Notifications').then((m) => ({ default: m.NotificationsPage })));
const AuditPage = lazy(() => import('./pages/Audit').then((m) => ({ default: m.AuditPage })));
const UsersPage = lazy(() => import('./pages/Users').then((m) => ({ default: m.UsersPage })));
const StuckPage = lazy(() => import('./pages/Stuck').then((m) => ({ default: m.StuckPage })));
const FormalCheckPage = lazy(() => import('./pages/FormalCheck').then((m) => ({ default: m.FormalCheckPage })));
const ExpertReviewPage = lazy(() => import('./pages/ExpertReview').then((m) => ({ default: m.ExpertReviewPage })));
const ExpertTiesPage = lazy(() => import('./pages/ExpertTies').then((m) => ({ default: m.ExpertTiesPage })));
const PublicationPage = lazy(() => import('./pages/Publication').then((m) => ({ default: m.PublicationPage })));
const CityReportPage = lazy(() => import('./pages/CityReport').then((m) => ({ default: m.CityReportPage })));
const RepairRequestsPage = lazy(() => import('./pages/RepairRequests').then((m) => ({ default: m.RepairRequestsPage })));
const SelectionPage = lazy(() => import('./pages/Selection').then((m) => ({ default: m.SelectionPage })));
const AcceptancePage = lazy(() => import('./pages/Acceptance').then((m) => ({ default: m.AcceptancePage })));
const DefencePage = lazy(() => import('./pages/Defence').then((m) => ({ default: m.DefencePage })));
const MyOrganisationPage = lazy(() => import('./pages/MyOrganisation').then((m) => ({ default: m.MyOrganisationPage })));
const OrganisationVerificationPage = lazy(() => import('./pages/OrganisationVerification').then((m) => ({ default: m.OrganisationVerificationPage })));
const RegisterPage = lazy(() => import('./pages/Register').then((m) => ({ default: m.RegisterPage })));
const SecurityPage = lazy(() => import('./pages/Security').then((m) => ({ default: m.SecurityPage })));
const MailSettingsPage = lazy(() => import('./pages/MailSettings').then((m) => ({ default: m.MailSettingsPage })));
const ImportsPage = lazy(() => import('./pages/Imports').then((m) => ({ default: m.ImportsPage })));
const SetPasswordPage = lazy(() => import('./pages/SetPassword').then((m) => ({ default: m.SetPasswordPage })));

function Home() {
  const { me } = useSession();
  if (!me) return <Navigate to="/login" replace />;
  if (me.mustEnrolTotp || me.mustChangePassword) return <Navigate to="/security" replace />;
  if (me.role === 'AUDITOR') return <Navigate to="/audit" replace />;
  if (me.role === 'SECURITY_ADMIN') return <Navigate to="/accounts" replace />;
  if (me.role === 'ADMIN') return <Navigate to="/admin/stuck" replace />;
  return <Navigate to="/inbox" replace />;
}

const loading = <Spin fullscreen aria-label="加载中" />;

export function App() {
  const { loading: starting } = useSession();
  if (starting) return loading;
  const shell = (node: ReactNode) => (
    <Suspense fallback={loading}>
      <Shell>{node}</Shell>
    </Suspense>
  );
  const open = (node: ReactNode) => <Suspense fallback={loading}>{node}</Suspense>;
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/register" element={open(<RegisterPage />)} />
        <Route path="/" element={<Home />} />
        <Route path="/inbox" element={shell(<InboxPage />)} />
        <Route path="/applications/new" element={shell(<ApplicationFormPage />)} />
        <Route path="/applications/:id/edit" element={shell(<ApplicationFormPage />)} />
        <Route path="/applications/:id" element={shell(<DetailPage />)} />
        <Route path="/campaigns" element={shell(<CampaignsPage />)} />
        <Route path="/campaigns/setup" element={shell(<CampaignSetupPage />)} />
        <Route path="/review/formal-check" element={shell(<FormalCheckPage />)} />
        <Route path="/review/experts" element={shell(<ExpertReviewPage />)} />
        <Route path="/expert/ties" element={shell(<ExpertTiesPage />)} />
        <Route path="/review/selection" element={shell(<SelectionPage />)} />
        <Route path="/defence" element={shell(<DefencePage />)} />
        <Route path="/acceptance" element={shell(<AcceptancePage />)} />
        <Route path="/review/publication" element={shell(<PublicationPage />)} />
        <Route path="/city-report" element={shell(<CityReportPage />)} />
        <Route path="/notifications" element={shell(<NotificationsPage />)} />
        <Route path="/settings/mail" element={shell(<MailSettingsPage />)} />
        <Route path="/organisation" element={shell(<MyOrganisationPage />)} />
        <Route path="/organisations" element={shell(<OrganisationVerificationPage />)} />
        <Route path="/audit" element={shell(<AuditPage />)} />
        <Route path="/accounts" element={shell(<UsersPage />)} />
        <Route path="/security" element={shell(<SecurityPage />)} />
        <Route path="/imports" element={shell(<ImportsPage />)} />
        <Route path="/repair-requests" element={shell(<RepairRequestsPage />)} />
        <Route path="/activate" element={open(<SetPasswordPage purpose="ACTIVATION" />)} />
        <Route path="/reset-password" element={open(<SetPasswordPage purpose="RESET" />)} />
        <Route path="/admin/stuck" element={shell(<StuckPage />)} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </BrowserRouter>
  );
}
