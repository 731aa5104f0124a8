import type { ApplicantType, OrganisationHistoryAction, OrganisationStatus } from '@jiebang/domain';
import { randomUUID } from 'node:crypto';
import { keysOf } from '../crypto-context';
import { openOrganisationContact, sealField } from '../personal-fields';
import { returning, sqlInt, type Queryable } from './queryable';

/**
 * An organisation as verified (its own columns, which limits, quota exemption and group counts
 * read), its status with the county, and what waits for the county (`claim`).
 */
export interface OrganisationRow {
  id: string;
  credit_code: string;
  name: string;
  applicant_type: ApplicantType;
  is_central_soe: boolean;
  is_provincial_soe: boolean;
  is_subsidiary: boolean;
  parent_name: string | null;
  parent_credit_code: string | null;
  builds_carrier: boolean;
  group_id: string | null;
  /** The group's parent company and name (org_groups). */
  group_parent_credit_code: string | null;
  group_name: string | null;
  city_code: string;
  county_code: string;
  address: string | null;
  status: OrganisationStatus;
  claim: OrganisationClaim | null;
  rejection_reason: string | null;
  contact_name: string | null;
  contact_mobile: string | null;
  contact_email: string | null;
  verified_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** What the applicant declares and the county verifies (the registration, a correction, a change). */
export interface OrganisationClaim {
  name: string;
  applicantType: ApplicantType;
  /** Builds a 数字化转型公共服务载体 (task 9). */
  buildsCarrier: boolean;
  isCentralSoe: boolean;
  isProvincialSoe: boolean;
  isSubsidiary: boolean;
  parentName: string | null;
  parentCreditCode: string | null;
  /** The group by its parent company's credit code, and its name. */
  groupParentCreditCode: string | null;
  groupName: string | null;
  cityCode: string;
  countyCode: string;
  address: string | null;
}

export interface NewOrganisation {
  creditCode: string;
  claim: OrganisationClaim;
  contact: { name: string; mobile: string; email: string };
}

export interface OrganisationHistoryRow {
  id: string;
  action: OrganisationHistoryAction;
  actor_id: string | null;
  actor_name: string | null;
  reason: string | null;
  claim: OrganisationClaim | null;
  occurred_at: Date;
}

/** A pending organisation as the county's inbox lists it. */
export interface PendingOrganisationRow {
  id: string;
  credit_code: string;
  status: OrganisationStatus;
  claim: OrganisationClaim;
  verified_at: Date | null;
  rejection_reason: string | null;
  updated_at: Date;
  created_at: Date;
}

const SELECT = 'select o.*, g.parent_credit_code as group_parent_credit_code, g.name as group_name from organisations o left join org_groups g on g.id = o.group_id';

/** Applicant organisations (`organisations`) and their history of verification (`organisation_history`). */
export class OrganisationsRepository {
  constructor(private readonly db: Queryable) {}

  async get(id: string): Promise<OrganisationRow | null> {
    const [org]: OrganisationRow[] = await this.db.query(`${SELECT} where o.id = $1`, [id]);
    return this.opened(org);
  }

  /** The organisation's row, locked for a decision or a change (in a transaction). */
  async lock(id: string): Promise<OrganisationRow | null> {
    const [org]: OrganisationRow[] = await this.db.query(`${SELECT} where o.id = $1 for update of o`, [id]);
    return this.opened(org);
  }

  async byCreditCode(code: string): Promise<OrganisationRow | null> {
    const [org]: OrganisationRow[] = await this.db.query(`${SELECT} where o.credit_code = $1`, [code]);
    return this.opened(org);
  }

  /** The row with its contact in clear (SM4 at rest, personal-fields.ts). */
  private opened(org: OrganisationRow | undefined): OrganisationRow | null {
    return org ? openOrganisationContact(keysOf(this.db).ring('field'), org) : null;
  }

  /**
   * A new organisation, pending its county's verification: its columns hold only what needs no
   * verification to be harmless (name, type, region; no exemption, parent or group), the claim
   * waits. Null when the credit code is registered already (also when a concurrent registration
   * of the same code won the race).
   */
  async register(o: NewOrganisation): Promise<string | null> {
    // The id first: the contact's envelopes are bound to their row (SM4, personal-fields.ts).
    const id = randomUUID();
    const ring = keysOf(this.db).ring('field');
    const seal = (column: string, value: string) => sealField(ring, 'organisations', column, id, value);
    const [row]: Array<{ id: string }> = await this.db.query(
      `insert into organisations (id, credit_code, name, applicant_type, city_code, county_code, address, status, claim, contact_name, contact_mobile, contact_email)
       values ($1,$2,$3,$4,$5,$6,$7,'PENDING',$8::jsonb,$9,$10,$11)
       on conflict (credit_code) do nothing
       returning id`,
      [
        id,
        o.creditCode,
        o.claim.name,
        o.claim.applicantType,
        o.claim.cityCode,
        o.claim.countyCode,
        o.claim.address,
        JSON.stringify(o.claim),
        seal('contact_name', o.contact.name),
        seal('contact_mobile', o.contact.mobile),
        seal('contact_email', o.contact.email),
      ],
    );
    return row?.id ?? null;
  }

  /** A new claim for the county (a correction after a rejection, or a change after verification). */
  async submitClaim(id: string, claim: OrganisationClaim): Promise<void> {
    await this.db.query(`update organisations set status = 'PENDING', claim = $2::jsonb, updated_at = now() where id = $1`, [id, JSON.stringify(claim)]);
  }

  /**
   * The county verified the claim: it becomes the organisation's columns (the exemption, parent
   * and group take effect now), the claim is cleared. A new organisation keeps its name and type
   * in its columns until then; a verified one keeps its old values until a change is verified.
   */
  async verify(id: string, claim: OrganisationClaim, groupId: string | null, by: string): Promise<void> {
    await this.db.query(
      `update organisations set
         name = $2, applicant_type = $3, builds_carrier = $4, is_central_soe = $5, is_provincial_soe = $6,
         is_subsidiary = $7, parent_name = $8, parent_credit_code = $9, group_id = $10,
         city_code = $11, county_code = $12, address = $13,
         status = 'VERIFIED', claim = null, rejection_reason = null, verified_at = now(), verified_by = $14, updated_at = now()
       where id = $1`,
      [id, claim.name, claim.applicantType, claim.buildsCarrier, claim.isCentralSoe, claim.isProvincialSoe, claim.isSubsidiary, claim.parentName, claim.parentCreditCode, groupId, claim.cityCode, claim.countyCode, claim.address, by],
    );
  }

  /** The county rejected the claim with a reason the applicant sees; the claim stays for correction. */
  async reject(id: string, reason: string): Promise<void> {
    await this.db.query(`update organisations set status = 'REJECTED', rejection_reason = $2, updated_at = now() where id = $1`, [id, reason]);
  }

  /** Organisations waiting for this county (by the county of their claim), oldest first. */
  async pendingInCounty(countyCode: string, limit: number, offset: number): Promise<{ rows: PendingOrganisationRow[]; total: number }> {
    const rows: Array<PendingOrganisationRow & { total: number }> = await this.db.query(
      `select id, credit_code, status, claim, verified_at, rejection_reason, updated_at, created_at, count(*) over ()::int as total
         from organisations where status = 'PENDING' and claim->>'countyCode' = $1
        order by updated_at, id limit ${sqlInt(limit)} offset ${sqlInt(offset)}`,
      [countyCode],
    );
    if (rows.length === 0 && offset > 0) return { rows: [], total: await this.pendingCount(countyCode) };
    return { rows, total: rows[0]?.total ?? 0 };
  }

  async pendingCount(countyCode: string): Promise<number> {
    const [row]: Array<{ n: number }> = await this.db.query(`select count(*)::int as n from organisations where status = 'PENDING' and claim->>'countyCode' = $1`, [countyCode]);
    return row.n;
  }

  async addHistory(orgId: string, e: { action: OrganisationHistoryAction; actorId: string | null; actorName: string | null; reason?: string | null; claim?: OrganisationClaim | null }): Promise<void> {
    await this.db.query('insert into organisation_history (org_id, action, actor_id, actor_name, reason, claim) values ($1,$2,$3,$4,$5,$6::jsonb)', [
      orgId,
      e.action,
      e.actorId,
      e.actorName,
      e.reason ?? null,
      e.claim ? JSON.stringify(e.claim) : null,
    ]);
  }

  history(orgId: string): Promise<OrganisationHistoryRow[]> {
    return this.db.query('select id::text, action, actor_id, actor_name, reason, claim, occurred_at from organisation_history where org_id = $1 order by id', [orgId]);
  }
}

/** Groups of enterprises (`org_groups`), each known by its parent company's credit code. */
export class GroupsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * The group of this parent company: the registry's, or one registered under this name without a
   * parent's code (which gets it), or a new one (named after the parent's code as well when
   * another group holds the name).
   */
  async ensure(parentCreditCode: string, name: string): Promise<string> {
    const [found]: Array<{ id: string }> = await this.db.query('select id from org_groups where parent_credit_code = $1', [parentCreditCode]);
    if (found) return found.id;
    const [adopted] = await returning<{ id: string }>(this.db, 'update org_groups set parent_credit_code = $1 where name = $2 and parent_credit_code is null returning id', [parentCreditCode, name]);
    if (adopted) return adopted.id;
    for (const candidate of [name, `${name}（${parentCreditCode}）`]) {
      const [made]: Array<{ id: string }> = await this.db.query('insert into org_groups (name, parent_credit_code) values ($1,$2) on conflict do nothing returning id', [candidate, parentCreditCode]);
      if (made) return made.id;
      const [raced]: Array<{ id: string }> = await this.db.query('select id from org_groups where parent_credit_code = $1', [parentCreditCode]);
      if (raced) return raced.id;
    }
    throw new Error('no group could be made for this parent company');
  }

  /** The groups of these parent companies (the registry knows a group by its parent's credit code). */
  byParents(parentCreditCodes: string[]): Promise<Array<{ id: string; name: string; parent_credit_code: string }>> {
    return this.db.query('select id, name, parent_credit_code from org_groups where parent_credit_code = any($1)', [parentCreditCodes]);
  }

  async byName(name: string): Promise<{ id: string; parent_credit_code: string | null } | null> {
    const [row]: Array<{ id: string; parent_credit_code: string | null }> = await this.db.query('select id, parent_credit_code from org_groups where name = $1', [name]);
    return row ?? null;
  }

  /** Whether another group holds this name. */
  async nameTaken(name: string, exceptId: string | null): Promise<boolean> {
    const rows: unknown[] = await this.db.query('select 1 from org_groups where name = $1 and id is distinct from $2', [name, exceptId]);
    return rows.length > 0;
  }

  async rename(id: string, name: string): Promise<void> {
    await this.db.query('update org_groups set name = $2 where id = $1', [id, name]);
  }

  /** The registry's entries of these member credit codes, with their group. */
  members(creditCodes: string[]): Promise<Array<{ credit_code: string; group_id: string; group_name: string; parent_credit_code: string | null }>> {
    return this.db.query(
      `select m.credit_code, m.group_id, g.name as group_name, g.parent_credit_code
         from org_group_members m join org_groups g on g.id = m.group_id where m.credit_code = any($1)`,
      [creditCodes],
    );
  }

  /**
   * The registry puts a member in a group: its entry, and the organisation of that credit code
   * when it is registered (the limits count it with the group from then on).
   */
  async setMember(creditCode: string, groupId: string): Promise<void> {
    await this.db.query(
      `insert into org_group_members (credit_code, group_id, updated_at) values ($1,$2,now())
       on conflict (credit_code) do update set group_id = excluded.group_id, updated_at = now() where org_group_members.group_id <> excluded.group_id`,
      [creditCode, groupId],
    );
    await this.db.query('update organisations set group_id = $2, updated_at = now() where credit_code = $1 and group_id is distinct from $2', [creditCode, groupId]);
  }

  /** The registry's group of an enterprise, or null (an organisation verified without a declared group takes it). */
  async registryGroupOf(creditCode: string): Promise<string | null> {
    const [row]: Array<{ group_id: string }> = await this.db.query('select group_id from org_group_members where credit_code = $1', [creditCode]);
    return row?.group_id ?? null;
  }
}
