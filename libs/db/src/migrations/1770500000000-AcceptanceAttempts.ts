import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Acceptance attempts by round: a rectification (整改, once 省财政厅 concurs) closes the
 * application's entry in its round, and the re-acceptance is an entry of a later round the
 * province opens (attempt 2, its own panel; attempt 1's scores do not count). An entry is keyed by
 * its round and the attempt; it is closed when a rectification of its attempt exists. The
 * province's proposal awaiting finance may now be RECTIFY, with its new due time and requirements.
 * Entries written before keep their application's current attempt (they were decided again in
 * the same round).
 */
export class AcceptanceAttempts1770500000000 implements MigrationInterface {
  name = 'AcceptanceAttempts1770500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table acceptance_panels drop constraint acceptance_panels_application_id_fkey;
      alter table acceptance_rectifications drop constraint acceptance_rectifications_application_id_fkey;
      alter table acceptance_scores drop constraint acceptance_scores_application_id_fkey;
      alter table acceptance_entries drop constraint acceptance_entries_application_id_key;
      alter table acceptance_entries drop constraint acceptance_entries_proposed_check;
      alter table acceptance_entries
        add column attempt int not null default 1 check (attempt >= 1),
        add column proposed_due_at timestamptz,
        add column proposed_comment text,
        add column proposed_by uuid references users(id),
        add constraint acceptance_entries_proposed_check check (proposed in ('PASS','FAIL','RECTIFY'));
      update acceptance_entries e set attempt = 1 + (select count(*)::int from acceptance_rectifications r where r.application_id = e.application_id);
      alter table acceptance_entries add constraint acceptance_entries_attempt_key unique (application_id, attempt);
      alter table acceptance_panels add column round_id uuid;
      update acceptance_panels p set round_id = e.round_id from acceptance_entries e where e.application_id = p.application_id;
      alter table acceptance_panels alter column round_id set not null;
      alter table acceptance_panels drop constraint acceptance_panels_pkey;
      alter table acceptance_panels add primary key (round_id, application_id, expert_id);
      alter table acceptance_panels add constraint acceptance_panels_entry_fkey foreign key (round_id, application_id) references acceptance_entries (round_id, application_id);
      alter table acceptance_rectifications add constraint acceptance_rectifications_application_id_fkey foreign key (application_id) references applications(id);
      alter table acceptance_scores add constraint acceptance_scores_application_id_fkey foreign key (application_id) references applications(id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to one entry per application: its latest round's.
    await q.query(`
      alter table acceptance_panels drop constraint acceptance_panels_entry_fkey;
      delete from acceptance_panels p where exists (select 1 from acceptance_entries e where e.application_id = p.application_id and e.round_id = p.round_id
        and e.attempt < (select max(x.attempt) from acceptance_entries x where x.application_id = e.application_id));
      delete from acceptance_entries e where e.attempt < (select max(x.attempt) from acceptance_entries x where x.application_id = e.application_id);
      alter table acceptance_panels drop constraint acceptance_panels_pkey;
      alter table acceptance_panels drop column round_id;
      alter table acceptance_panels add primary key (application_id, expert_id);
      alter table acceptance_entries drop constraint acceptance_entries_attempt_key;
      update acceptance_entries set proposed = null, proposed_at = null where proposed = 'RECTIFY';
      alter table acceptance_entries drop constraint acceptance_entries_proposed_check;
      alter table acceptance_entries drop column attempt, drop column proposed_due_at, drop column proposed_comment, drop column proposed_by;
      alter table acceptance_entries add constraint acceptance_entries_proposed_check check (proposed in ('PASS','FAIL'));
      alter table acceptance_entries add constraint acceptance_entries_application_id_key unique (application_id);
      alter table acceptance_panels add constraint acceptance_panels_application_id_fkey foreign key (application_id) references acceptance_entries(application_id);
      alter table acceptance_rectifications drop constraint acceptance_rectifications_application_id_fkey;
      alter table acceptance_rectifications add constraint acceptance_rectifications_application_id_fkey foreign key (application_id) references acceptance_entries(application_id);
      alter table acceptance_scores drop constraint acceptance_scores_application_id_fkey;
      alter table acceptance_scores add constraint acceptance_scores_application_id_fkey foreign key (application_id) references acceptance_entries(application_id);
    `);
  }
}
