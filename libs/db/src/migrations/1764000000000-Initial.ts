import type { MigrationInterface, QueryRunner } from 'typeorm';

const ROLES = `'APPLICANT','COUNTY_REVIEWER','CITY_IT','CITY_FINANCE','PROVINCE_IT','PROVINCE_FINANCE','EXPERT','ADMIN','AUDITOR'`;

/** The schema of the foundation: reference data, people, campaigns, the projection and the audit. */
export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table regions (
        code varchar(6) primary key,
        name text not null,
        level text not null check (level in ('PROVINCE','CITY','COUNTY')),
        parent_code varchar(6) references regions(code)
      );
      create index regions_parent on regions(parent_code);

      create table tasks (
        code varchar(8) primary key,
        direction text not null,
        direction_name text not null,
        name text not null,
        enters_reserve_pool boolean not null default false,
        sort int not null
      );

      create table org_groups (
        id uuid primary key default gen_random_uuid(),
        name text not null unique
      );

      create table organisations (
        id uuid primary key default gen_random_uuid(),
        credit_code char(18) not null unique,
        name text not null,
        applicant_type text not null check (applicant_type in ('SERVICE_PROVIDER','MANUFACTURER')),
        is_central_soe boolean not null default false,
        is_provincial_soe boolean not null default false,
        is_subsidiary boolean not null default false,
        parent_name text,
        group_id uuid references org_groups(id),
        city_code varchar(6) not null references regions(code),
        county_code varchar(6) not null references regions(code),
        address text,
        created_at timestamptz not null default now()
      );
      create index organisations_group on organisations(group_id);

      create table users (
        id uuid primary key default gen_random_uuid(),
        username text not null unique,
        display_name text not null,
        password_hash text not null,
        role text not null check (role in (${ROLES})),
        org_id uuid references organisations(id),
        city_code varchar(6) references regions(code),
        county_code varchar(6) references regions(code),
        totp_secret text,
        totp_enabled boolean not null default false,
        failed_logins int not null default 0,
        locked_until timestamptz,
        password_changed_at timestamptz not null default now(),
        last_login_at timestamptz,
        disabled boolean not null default false,
        is_demo boolean not null default false,
        created_at timestamptz not null default now(),
        check (role <> 'APPLICANT' or org_id is not null),
        check (role <> 'COUNTY_REVIEWER' or county_code is not null),
        check (role not in ('CITY_IT','CITY_FINANCE') or city_code is not null)
      );

      create table sessions (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references users(id),
        created_at timestamptz not null default now(),
        last_seen_at timestamptz not null default now(),
        revoked_at timestamptz,
        ip text,
        user_agent text
      );
      create index sessions_user on sessions(user_id);

      create table campaigns (
        id text primary key,
        name text not null,
        year int not null,
        is_practice boolean not null default false,
        shutdown_at timestamptz not null,
        paper_deadline_at timestamptz,
        limit_service_provider int not null default 3 check (limit_service_provider >= 0),
        limit_manufacturer int not null default 1 check (limit_manufacturer >= 0),
        limit_group int not null default 5 check (limit_group >= 0),
        acceptance_grace_days int not null default 60,
        reminder_hours int[] not null default '{72,24}',
        rules_version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );

      create table region_cutoffs (
        campaign_id text not null references campaigns(id),
        region_code varchar(6) not null references regions(code),
        cutoff_at timestamptz not null,
        updated_by uuid references users(id),
        updated_at timestamptz not null default now(),
        primary key (campaign_id, region_code)
      );

      create table city_quotas (
        campaign_id text not null references campaigns(id),
        city_code varchar(6) not null references regions(code),
        quota int not null check (quota >= 0),
        updated_at timestamptz not null default now(),
        primary key (campaign_id, city_code)
      );

      create sequence application_number;

      -- One row per application: its domain data and the projection of its workflow.
      create table applications (
        id text primary key,
        campaign_id text not null references campaigns(id),
        task_code varchar(8) not null references tasks(code),
        org_id uuid not null references organisations(id),
        city_code varchar(6) not null references regions(code),
        county_code varchar(6) not null references regions(code),
        project_name text not null,
        project jsonb not null default '{}',
        unit jsonb not null default '{}',
        attestations jsonb not null default '{}',
        stage text not null default 'DRAFT',
        stage_entered_at timestamptz not null default now(),
        deadline_at timestamptz,
        seq int not null default 0,
        quota_exempt boolean not null default false,
        quota_held boolean not null default false,
        pending text,
        paper_received_at timestamptz,
        selected boolean not null default false,
        average_score numeric(6,2),
        published_at timestamptz,
        acceptance_due_at timestamptz,
        acceptance_overdue boolean not null default false,
        archive_count int not null default 0,
        last_return_reason text,
        submitted_at timestamptz,
        recommended_at timestamptz,
        closed_at timestamptz,
        created_by uuid references users(id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index applications_campaign_stage on applications(campaign_id, stage, deadline_at);
      create index applications_county on applications(county_code, stage, updated_at desc);
      create index applications_city on applications(city_code, stage, updated_at desc);
      create index applications_org on applications(org_id, updated_at desc);
      create index applications_stage on applications(stage, updated_at desc);
      create index applications_task on applications(task_code);

      create table application_experts (
        application_id text not null references applications(id),
        expert_id uuid not null references users(id),
        primary key (application_id, expert_id)
      );
      create index application_experts_expert on application_experts(expert_id);

      -- The timeline: one row per recorded transition, unique per (application, sequence).
      create table application_events (
        id bigserial primary key,
        application_id text not null references applications(id),
        seq int not null,
        action text not null,
        from_stage text not null,
        to_stage text not null,
        actor_id text not null,
        actor_role text not null,
        actor_name text,
        comment text,
        detail jsonb,
        update_id text,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null default now(),
        unique (application_id, seq)
      );

      create table quota_reservations (
        application_id text primary key references applications(id),
        campaign_id text not null references campaigns(id),
        city_code varchar(6) not null references regions(code),
        status text not null check (status in ('RESERVED','CONSUMED','RELEASED')),
        reserved_at timestamptz not null default now(),
        changed_at timestamptz not null default now()
      );
      create index quota_reservations_city on quota_reservations(campaign_id, city_code, status);

      create table applicant_slots (
        application_id text primary key references applications(id),
        campaign_id text not null references campaigns(id),
        org_id uuid not null references organisations(id),
        group_id uuid references org_groups(id),
        status text not null check (status in ('HELD','RELEASED')),
        changed_at timestamptz not null default now()
      );
      create index applicant_slots_org on applicant_slots(campaign_id, org_id, status);
      create index applicant_slots_group on applicant_slots(campaign_id, group_id, status);

      -- 2025 pilots (first and second batch) count against the 2026 limits.
      create table prior_pilots (
        id uuid primary key default gen_random_uuid(),
        credit_code char(18) not null,
        org_name text not null,
        group_id uuid references org_groups(id),
        batch text not null check (batch in ('2025-1','2025-2')),
        project_name text not null,
        counts_for_year int not null default 2026
      );
      create index prior_pilots_credit on prior_pilots(credit_code);

      create table notifications (
        id bigserial primary key,
        key text not null unique,
        application_id text references applications(id),
        recipient_role text not null,
        org_id uuid,
        city_code varchar(6),
        county_code varchar(6),
        user_ids uuid[],
        category text not null,
        message text not null,
        created_at timestamptz not null default now()
      );
      create index notifications_scope on notifications(recipient_role, created_at desc);

      create table notification_reads (
        notification_id bigint not null references notifications(id),
        user_id uuid not null references users(id),
        read_at timestamptz not null default now(),
        primary key (notification_id, user_id)
      );

      -- 省级制造业数字化转型促进中心储备库
      create table reserve_pool (
        application_id text primary key references applications(id),
        campaign_id text not null references campaigns(id),
        org_id uuid not null references organisations(id),
        added_at timestamptz not null
      );

      create table files (
        id uuid primary key default gen_random_uuid(),
        application_id text references applications(id),
        campaign_id text references campaigns(id),
        city_code varchar(6),
        kind text not null,
        filename text not null,
        mime text not null,
        size int not null,
        sha256 char(64) not null,
        storage text not null check (storage in ('pg','disk')),
        content bytea,
        path text,
        uploaded_by uuid references users(id),
        created_at timestamptz not null default now(),
        deleted_at timestamptz
      );
      create index files_application on files(application_id, kind);

      create table city_reports (
        id uuid primary key default gen_random_uuid(),
        campaign_id text not null references campaigns(id),
        city_code varchar(6) not null references regions(code),
        file_id uuid not null references files(id),
        note text,
        uploaded_by uuid references users(id),
        uploaded_at timestamptz not null default now(),
        paper_received_at timestamptz
      );
      create index city_reports_city on city_reports(campaign_id, city_code, uploaded_at desc);

      create table idempotency_keys (
        actor_id text not null,
        key text not null,
        application_id text not null,
        action text not null,
        request_hash char(64) not null,
        created_at timestamptz not null default now(),
        primary key (actor_id, key)
      );

      -- Append-only, hash-chained audit of user actions and security events (GB/T 22239 level 3).
      create table audit_log (
        id bigserial primary key,
        occurred_at timestamptz not null,
        user_id text,
        username text,
        role text,
        event_type text not null,
        outcome text not null,
        target text,
        detail jsonb,
        ip text,
        request_id text,
        prev_hash char(64) not null,
        hash char(64) not null unique
      );
      create index audit_log_time on audit_log(occurred_at desc);
      create index audit_log_type on audit_log(event_type, occurred_at desc);

      create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only (% refused)', tg_op;
      end $$;
      create trigger audit_log_no_update before update or delete on audit_log
        for each row execute function audit_log_append_only();
      create trigger audit_log_no_truncate before truncate on audit_log
        for each statement execute function audit_log_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table if exists audit_log, idempotency_keys, city_reports, files, reserve_pool, notification_reads, notifications,
        prior_pilots, applicant_slots, quota_reservations, application_events, application_experts, applications,
        city_quotas, region_cutoffs, campaigns, sessions, users, organisations, org_groups, tasks, regions cascade;
      drop sequence if exists application_number;
      drop function if exists audit_log_append_only();
    `);
  }
}
