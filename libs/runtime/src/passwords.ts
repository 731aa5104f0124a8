import argon2 from 'argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/** The published password of the local demo accounts: refused for every account in production. */
export const DEMO_PASSWORD = 'Jiebang@2026';

/** argon2id with the library's defaults (memory-hard; OWASP's recommended family). */
export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, { type: argon2.argon2id });
}

export function verifyPassword(hash: string, plain: string): Promise<boolean> {
  return argon2.verify(hash, plain).catch(() => false);
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn's top score: more than 10^10 guesses needed (a privileged government system). */
const MIN_SCORE = 4;

/**
 * Passwords people here choose and attackers try first, beyond the estimator's international list:
 * administration defaults, keyboard walks and the system's own names (normalised: lower case, l33t
 * undone, leading and trailing digits and symbols removed, so `Admin@123456` is `admin`).
 */
const LOCAL_COMMON = [
  'admin', 'administrator', 'root', 'password', 'passwd', 'qwerty', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'qazwsx', 'qazwsxedc',
  'abc', 'abcd', 'abcdef', 'aaaaaa', 'woaini', 'iloveyou', 'changeme', 'welcome', 'test', 'guest', 'huawei', 'hikvision', 'oracle',
  'sa', 'system', 'manager', 'sysadmin', 'security', 'auditor', 'jiebang', 'jiebangguashuai', 'gongfu', 'gongfubaijing', 'shandong',
  'jinan', 'qingdao', 'gxt', 'sdgxt', 'gongxinting', 'zhengwu', 'china', 'beijing', 'user', 'default', 'temp', 'super', 'superman',
];

const COMMON = new Set<string>([...dictionary['passwords-common'], ...LOCAL_COMMON]);
const L33T: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '1': 'i', '!': 'i', '3': 'e', '$': 's', '5': 's', '7': 't', '+': 't' };

/** The password as a list of common passwords would hold it. */
function stems(password: string): string[] {
  const lower = password.toLowerCase();
  const trimmed = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const unl33t = lower.replace(/[@4013!$57+]/g, (c) => L33T[c] ?? c);
  return [lower, trimmed, unl33t, unl33t.replace(/^[^a-z]+|[^a-z]+$/g, '')].filter((s) => s.length > 0);
}

let estimator: ZxcvbnFactory | null = null;
// Bounded work per check (a password full of symbols would otherwise try every l33t reading).
const zxcvbn = () => (estimator ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs, l33tMaxSubstitutions: 32, maxLength: 64 }));

/**
 * Password policy (GB/T 22239 level 3: complexity; NIST SP 800-63B: length, blocklist, estimate):
 * 12 to 128 characters with at least three of upper case, lower case, digits and symbols; not a
 * common password (the estimator's list and LOCAL_COMMON, seen through l33t and appended digits);
 * not the published demo password; the strength estimator (zxcvbn-ts, with the account's own names
 * as known words) at its top score. Returns the problem in Chinese, or null.
 */
export function passwordProblem(password: string, who: { username?: string; displayName?: string } = {}): string | null {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH) return `密码长度至少${PASSWORD_MIN_LENGTH}位`;
  if (password.length > PASSWORD_MAX_LENGTH) return `密码长度不超过${PASSWORD_MAX_LENGTH}位`;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类';
  const { username, displayName } = who;
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  if (password === DEMO_PASSWORD) return '该密码是公开的演示密码，不能使用';
  if (stems(password).some((s) => COMMON.has(s))) return '该密码是常见密码，容易被猜中，请换一个';
  const known = ['jiebang', 'gongfu', 'shandong', ...(username ? [username] : []), ...(displayName ? [displayName] : [])];
  if (zxcvbn().check(password, known).score < MIN_SCORE) return '密码强度不足：请使用更长、更不规则的密码（例如由几个不相关的词和数字、符号组成）';
  return null;
}
