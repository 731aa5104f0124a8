import { Initial1764000000000 } from './1764000000000-Initial';
import { TotpStepAndScores1764100000000 } from './1764100000000-TotpStepAndScores';
import { BatchJobs1764200000000 } from './1764200000000-BatchJobs';
import { StuckThresholds1764300000000 } from './1764300000000-StuckThresholds';
import { ListIndexes1764400000000 } from './1764400000000-ListIndexes';
import { MailOutbox1765000000000 } from './1765000000000-MailOutbox';
import { Registration1766000000000 } from './1766000000000-Registration';
import { RegionFilingReviewCutoffs1767000000000 } from './1767000000000-RegionFilingReviewCutoffs';
import { FormalCheckSupplement1767000000001 } from './1767000000001-FormalCheckSupplement';
import { ExpertReview1767000000002 } from './1767000000002-ExpertReview';
import { CityReportConfirmation1767000000003 } from './1767000000003-CityReportConfirmation';
import { SelectionLists1767100000000 } from './1767100000000-SelectionLists';
import { DefenceSessions1767100000001 } from './1767100000001-DefenceSessions';
import { SeparatedDuties1768000000000 } from './1768000000000-SeparatedDuties';
import { KeyedAudit1768500000000 } from './1768500000000-KeyedAudit';
import { WorkbenchViews1769000000000 } from './1769000000000-WorkbenchViews';
import { Assignments1769100000000 } from './1769100000000-Assignments';
import { CampaignSetup1770000000000 } from './1770000000000-CampaignSetup';
import { ImportRegistries1770100000000 } from './1770100000000-ImportRegistries';
import { IdentityHardening1770200000000 } from './1770200000000-IdentityHardening';
import { FollowUp1770300000000 } from './1770300000000-FollowUp';
import { AcceptanceRounds1770400000000 } from './1770400000000-AcceptanceRounds';
import { AcceptanceAttempts1770500000000 } from './1770500000000-AcceptanceAttempts';
import { SealPersonalFields1770600000000 } from './1770600000000-SealPersonalFields';
import { BulkJobsEscalationDays1770700000000 } from './1770700000000-BulkJobsEscalationDays';
import { SealIdentities1770900000000 } from './1770900000000-SealIdentities';
import { WorkflowTaskFailures1771000000000 } from './1771000000000-WorkflowTaskFailures';
import { RequireUsernameIndex1771100000000 } from './1771100000000-RequireUsernameIndex';
import { AuditWithoutLogins1771100000001 } from './1771100000001-AuditWithoutLogins';

/** Every migration, in order. New ones are appended here. */
export const MIGRATIONS = [
  Initial1764000000000,
  TotpStepAndScores1764100000000,
  BatchJobs1764200000000,
  StuckThresholds1764300000000,
  ListIndexes1764400000000,
  MailOutbox1765000000000,
  Registration1766000000000,
  RegionFilingReviewCutoffs1767000000000,
  FormalCheckSupplement1767000000001,
  ExpertReview1767000000002,
  CityReportConfirmation1767000000003,
  SelectionLists1767100000000,
  DefenceSessions1767100000001,
  SeparatedDuties1768000000000,
  KeyedAudit1768500000000,
  WorkbenchViews1769000000000,
  Assignments1769100000000,
  CampaignSetup1770000000000,
  ImportRegistries1770100000000,
  IdentityHardening1770200000000,
  FollowUp1770300000000,
  AcceptanceRounds1770400000000,
  AcceptanceAttempts1770500000000,
  SealPersonalFields1770600000000,
  BulkJobsEscalationDays1770700000000,
  SealIdentities1770900000000,
  WorkflowTaskFailures1771000000000,
  RequireUsernameIndex1771100000000,
  AuditWithoutLogins1771100000001,
];
