import crypto from 'node:crypto';
import { BlindIndex, CryptoError, normalise } from '@jiebang/crypto';
import { ring, withCurrent } from './helpers';

describe('blind index (HMAC-SM3 of a normalised value)', () => {
  const keys = ring('blind-index', 'b1');

  test('normalisation: trimmed lower-case email; digits-only phone; collapsed text', () => {
    expect(normalise('email', '  Zhang.San@Example.CN ')).toBe('zhang.san@example.cn');
    expect(normalise('email', 'ＺＨＡＮＧ@example.cn')).toBe('zhang@example.cn');
    expect(normalise('phone', '138-1234 5678')).toBe('13812345678');
    expect(normalise('phone', '+86 138 1234 5678')).toBe('13812345678');
    expect(normalise('phone', '0086 13812345678')).toBe('13812345678');
    expect(normalise('phone', '１３８１２３４５６７８')).toBe('13812345678');
    expect(normalise('phone', '0531-8888 6666')).toBe('053188886666');
    expect(normalise('text', ' 济南  某某 有限公司 ')).toBe('济南 某某 有限公司');
    expect(() => normalise('phone', ' - ')).toThrow(CryptoError);
    expect(() => normalise('email', '   ')).toThrow(CryptoError);
  });

  test('equal after normalisation → equal index; otherwise different; 64 hex characters', () => {
    const email = new BlindIndex(keys, 'users.email', 'email');
    const a = email.compute('Zhang@Example.cn');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(email.compute(' zhang@example.cn')).toBe(a);
    expect(email.compute('zhang2@example.cn')).not.toBe(a);
    // the index is not an unkeyed hash of the value
    expect(a).not.toBe(crypto.createHash('sm3').update('zhang@example.cn').digest('hex'));
  });

  test('columns are separated by domain, keys by purpose; another key gives another index', () => {
    const a = new BlindIndex(keys, 'enterprise_contact.phone', 'phone').compute('13812345678');
    const b = new BlindIndex(keys, 'users.phone', 'phone').compute('13812345678');
    expect(a).not.toBe(b);
    expect(new BlindIndex(ring('blind-index', 'b1'), 'enterprise_contact.phone', 'phone').compute('13812345678')).not.toBe(a);
    expect(() => new BlindIndex(ring('field'), 'x', 'phone')).toThrow(CryptoError);
  });

  test('after a rotation, compute uses the new key and candidates still find values indexed under the old one', () => {
    const before = new BlindIndex(keys, 'users.phone', 'phone');
    const stored = before.compute('13812345678');
    const rotated = new BlindIndex(withCurrent(keys, 'b2', [{ id: 'b2', secret: crypto.randomBytes(32) }]), 'users.phone', 'phone');
    expect(rotated.compute('13812345678')).not.toBe(stored);
    const c = rotated.candidates('138 1234 5678');
    expect(c).toHaveLength(2);
    expect(c[0]).toBe(rotated.compute('13812345678'));
    expect(c).toContain(stored);
  });
});
