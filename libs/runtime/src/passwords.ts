import argon2 from 'argon2';

/** The published password of the local demo accounts: refused for every account in production. */
export const DEMO_PASSWORD = 'Jiebang@2026';

/** argon2id with the library's defaults (memory-hard; OWASP's recommended family). */
export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, { type: argon2.argon2id });
}

export function verifyPassword(hash: string, plain: string): Promise<boolean> {
  return argon2.verify(hash, plain).catch(() => false);
}

/**
 * Password policy (GB/T 22239 level 3: complexity): at least 10 characters with at least three
 * of upper case, lower case, digits and symbols, and not containing the username.
 * Returns the problem in Chinese, or null.
 */
export function passwordProblem(password: string, username?: string): string | null {
  if (typeof password !== 'string' || password.length < 10) return '密码长度至少10位';
  if (password.length > 128) return '密码长度不超过128位';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类';
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return null;
}
