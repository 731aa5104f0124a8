/**
 * Two database roles (等保 level 3: least privilege; the audit protected from the application):
 *
 * - the **owner** (`jiebang_owner` locally and in docker-compose) owns the schema and runs the
 *   migrations (`tools/migrate.ts`, the `migrate` service), nothing else;
 * - the **application role** (`jiebang_app`), which the API and the worker connect as, may read
 *   and write the application's tables but only INSERT and SELECT the audit: no UPDATE, DELETE or
 *   TRUNCATE, no ALTER or DROP, no way to disable its triggers (it owns nothing).
 *
 * `grantAppRole` is run after every migration run (migrate()), so a table a later migration adds
 * is granted too, and the audit's restriction is re-applied.
 */
import { Client } from 'pg';
import type { Queryable } from './repositories/queryable';

export const OWNER_ROLE = 'jiebang_owner';
export const APP_ROLE = 'jiebang_app';
/** Tables the application may only append to and read (the keyed audit, and the unkeyed chain kept from before it). */
export const APPEND_ONLY_TABLES = ['audit_log', 'audit_log_legacy'] as const;

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`"${name}" is not a plain role name`);
  return `"${name}"`;
}

/** The application role's name: DATABASE_APP_ROLE, else jiebang_app. */
export function appRoleName(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_APP_ROLE || APP_ROLE;
}

/**
 * The application role's privileges on this database (run as the owner): DML on every table of
 * the schema, sequences, and only INSERT and SELECT on the append-only tables. Idempotent; a
 * no-op (false) when the role does not exist (a deployment that has not created it yet).
 */
export async function grantAppRole(q: Queryable, role = appRoleName()): Promise<boolean> {
  const exists: Array<{ n: number }> = await q.query('select count(*)::int as n from pg_roles where rolname = $1', [role]);
  if (!exists[0]?.n) return false;
  const r = ident(role);
  await q.query(`grant usage on schema public to ${r}`);
  await q.query(`grant select, insert, update, delete on all tables in schema public to ${r}`);
  await q.query(`grant usage, select, update on all sequences in schema public to ${r}`);
  await q.query(`revoke truncate, references, trigger on all tables in schema public from ${r}`);
  for (const t of APPEND_ONLY_TABLES) {
    await q.query(`revoke update, delete, truncate on ${t} from ${r}`);
    await q.query(`grant select, insert on ${t} to ${r}`);
  }
  return true;
}

export interface RoleSetup {
  /** The owner's URL (migrations) and the application role's URL (API and worker). */
  ownerUrl: string;
  appUrl: string;
}

function withCredentials(adminUrl: string, database: string, user: string, password: string): string {
  const u = new URL(adminUrl);
  u.username = user;
  u.password = password;
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Local stacks and tests (the embedded PostgreSQL, CI): create both roles on the cluster if
 * missing (LOGIN, no superuser, no role or database creation), make the owner the owner of the
 * database, its schema and every object in it (a stack from before the roles kept its objects
 * under the superuser), and return both URLs. Run with a superuser's URL.
 */
export async function ensureDatabaseRoles(adminUrl: string, database: string, passwords: { owner: string; app: string }, roles = { owner: OWNER_ROLE, app: APP_ROLE }): Promise<RoleSetup> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    for (const [role, password] of [
      [roles.owner, passwords.owner],
      [roles.app, passwords.app],
    ] as const) {
      const found = await c.query('select 1 from pg_roles where rolname = $1', [role]);
      const lit = (await c.query('select quote_literal($1) as l', [password])).rows[0].l as string;
      const verb = found.rowCount ? 'alter' : 'create';
      await c.query(`${verb} role ${ident(role)} with login nosuperuser nocreatedb nocreaterole noinherit password ${lit}`).catch(async (err: { code?: string }) => {
        // Two stacks creating the role at once (tests): the other one won.
        if (verb === 'create' && err.code === '23505') return c.query(`alter role ${ident(role)} with password ${lit}`);
        throw err;
      });
    }
    await c.query(`alter database "${database.replace(/"/g, '')}" owner to ${ident(roles.owner)}`);
  } finally {
    await c.end();
  }
  // Inside the database: the schema and what is in it belong to the owner.
  const d = new Client({ connectionString: withCredentials(adminUrl, database, new URL(adminUrl).username, decodeURIComponent(new URL(adminUrl).password)) });
  await d.connect();
  try {
    await d.query(`alter schema public owner to ${ident(roles.owner)}`);
    await d.query(`
      do $$
      declare o record;
      begin
        for o in select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = 'public' and c.relkind in ('r','p','v','m','S','f')
                    and pg_get_userbyid(c.relowner) <> '${roles.owner}'
                    and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a','i'))
        loop
          execute format('alter %s public.%I owner to %I',
            case o.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table' else 'table' end,
            o.relname, '${roles.owner}');
        end loop;
        for o in select p.oid::regprocedure as sig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                  where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> '${roles.owner}'
        loop
          execute format('alter function %s owner to %I', o.sig, '${roles.owner}');
        end loop;
      end $$;`);
  } finally {
    await d.end();
  }
  return {
    ownerUrl: withCredentials(adminUrl, database, roles.owner, passwords.owner),
    appUrl: withCredentials(adminUrl, database, roles.app, passwords.app),
  };
}
