import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A region's two cut-offs (DESIGN.md, Campaign rules): filing (submission, resubmission) and
 * review (its own reviewers). The one cut-off a region had closed both, so it becomes both.
 */
export class RegionFilingReviewCutoffs1767000000000 implements MigrationInterface {
  name = 'RegionFilingReviewCutoffs1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table region_cutoffs add column filing_at timestamptz, add column review_at timestamptz;
      update region_cutoffs set filing_at = cutoff_at, review_at = cutoff_at;
      alter table region_cutoffs drop column cutoff_at;
      alter table region_cutoffs add constraint region_cutoffs_one_set check (filing_at is not null or review_at is not null),
        add constraint region_cutoffs_review_after_filing check (filing_at is null or review_at is null or review_at >= filing_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table region_cutoffs add column cutoff_at timestamptz;
      update region_cutoffs set cutoff_at = least(filing_at, review_at);
      alter table region_cutoffs drop constraint region_cutoffs_one_set, drop constraint region_cutoffs_review_after_filing,
        drop column filing_at, drop column review_at, alter column cutoff_at set not null;
    `);
  }
}
