import { Route, Routes } from 'react-router';
import { AdminIndex, AdminPage, RequireAdminTab } from './admin/AdminPage';
import { ApiTokensTab } from './admin/ApiTokensTab';
import { AuditTab } from './admin/AuditTab';
import { BrandSettingsTab } from './admin/BrandSettingsTab';
import { MembersTab } from './admin/MembersTab';
import { RolesTab } from './admin/RolesTab';
import { UsersTab } from './admin/UsersTab';
import { ApprovalsPage } from './approvals/ApprovalsPage';
import { BoardsPage } from './boards/BoardsPage';
import { ContactPage } from './contact/ContactPage';
import { CustomerPage } from './customers/CustomerPage';
import { EmailTab } from './helpdesk-admin/EmailTab';
import { MacrosTab } from './helpdesk-admin/MacrosTab';
import { QueuesTab } from './helpdesk-admin/QueuesTab';
import { SlaTab } from './helpdesk-admin/SlaTab';
import { ImportsPage } from './imports/ImportsPage';
import { NotificationsPage } from './notifications/NotificationsPage';
import { OrderListPage } from './orders/OrderListPage';
import { OrderPage } from './orders/OrderPage';
import { AreaPage } from './pages/AreaPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ReportsPage } from './reports/ReportsPage';
import { AREAS } from './shell/areas';
import { BrandHome, BrandRedirect, BrandScope } from './shell/BrandScope';
import { RequireSession } from './shell/RequireSession';
import { SupplierPage } from './supplier/SupplierPage';
import { HelpdeskScope } from './tickets/HelpdeskScope';
import { InboxPage } from './tickets/InboxPage';
import { TicketPage } from './tickets/TicketPage';
import { RecordPage } from './trackers/RecordPage';
import { TrackersPage } from './trackers/TrackersPage';
import { QuizPage, TrainingPage } from './training/TrainingPage';
import { VendorsPage } from './vendors/VendorsPage';
import { TimePage } from './worklog/TimePage';

/**
 * The app's routes. Everything after sign-in lives under `/b/:brandId/...`, so a link always says
 * which brand it is about and the browser's back button moves between brands too. A brand's public
 * contact form (`/contact/:brandSlug`) needs no sign-in.
 */
export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* The brands' public contact forms: no sign-in. */}
      <Route path="/contact/:brandSlug" element={<ContactPage />} />
      <Route element={<RequireSession />}>
        <Route index element={<BrandRedirect />} />
        <Route path="b/:brandId" element={<BrandScope />}>
          <Route index element={<BrandHome />} />
          <Route element={<HelpdeskScope />}>
            <Route path="inbox" element={<InboxPage />} />
            <Route path="tickets/:ticketId" element={<TicketPage />} />
            <Route path="customers/:customerId" element={<CustomerPage />} />
          </Route>
          <Route path="orders" element={<OrderListPage />} />
          <Route path="orders/imports" element={<ImportsPage />} />
          <Route path="orders/imports/:kind" element={<ImportsPage />} />
          <Route path="orders/vendors" element={<VendorsPage />} />
          <Route path="orders/:orderId" element={<OrderPage />} />
          <Route path="trackers" element={<TrackersPage />} />
          <Route path="trackers/:type" element={<TrackersPage />} />
          <Route path="trackers/:type/:recordId" element={<RecordPage />} />
          <Route path="approvals" element={<ApprovalsPage />} />
          <Route path="approvals/:approvalId" element={<ApprovalsPage />} />
          <Route path="boards" element={<BoardsPage />} />
          <Route path="boards/:board" element={<BoardsPage />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route path="supplier" element={<SupplierPage />} />
          <Route path="time" element={<TimePage />} />
          <Route path="reports" element={<ReportsPage />} />
          <Route path="training" element={<TrainingPage />} />
          <Route path="training/quiz/:attemptId" element={<QuizPage />} />
          {AREAS.filter(
            (a) =>
              ![
                'admin',
                'orders',
                'inbox',
                'trackers',
                'training',
                'approvals',
                'boards',
                'supplier',
                'time',
                'reports',
              ].includes(a.id),
          ).map((area) => (
            <Route key={area.id} path={area.id} element={<AreaPage area={area.id} />} />
          ))}
          <Route path="admin" element={<AdminPage />}>
            <Route index element={<AdminIndex />} />
            <Route
              path="members"
              element={
                <RequireAdminTab tab="members">
                  <MembersTab />
                </RequireAdminTab>
              }
            />
            <Route
              path="roles"
              element={
                <RequireAdminTab tab="roles">
                  <RolesTab />
                </RequireAdminTab>
              }
            />
            <Route
              path="api-tokens"
              element={
                <RequireAdminTab tab="api-tokens">
                  <ApiTokensTab />
                </RequireAdminTab>
              }
            />
            <Route
              path="audit"
              element={
                <RequireAdminTab tab="audit">
                  <AuditTab />
                </RequireAdminTab>
              }
            />
            <Route
              path="brand"
              element={
                <RequireAdminTab tab="brand">
                  <BrandSettingsTab />
                </RequireAdminTab>
              }
            />
            <Route
              path="macros"
              element={
                <RequireAdminTab tab="macros">
                  <MacrosTab />
                </RequireAdminTab>
              }
            />
            <Route
              path="queues"
              element={
                <RequireAdminTab tab="queues">
                  <QueuesTab />
                </RequireAdminTab>
              }
            />
            <Route
              path="sla"
              element={
                <RequireAdminTab tab="sla">
                  <SlaTab />
                </RequireAdminTab>
              }
            />
            <Route
              path="email"
              element={
                <RequireAdminTab tab="email">
                  <EmailTab />
                </RequireAdminTab>
              }
            />
            <Route
              path="users"
              element={
                <RequireAdminTab tab="users">
                  <UsersTab />
                </RequireAdminTab>
              }
            />
            <Route path="*" element={<AdminIndex />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="*" element={<BrandRedirect />} />
      </Route>
    </Routes>
  );
}
