/**
 * Stored formats never change under data already written: values sealed by this version (fixed
 * master key 00 01 … 1f, key id "v1") must open, index and verify identically in every later one.
 * A change to the envelope layout, the key derivation labels or the MAC input fails here first.
 */
import { BlindIndex, createPayloadCodec, fieldAad, KeyRing, macVerify, openEnvelope, type KeyPurpose } from '@jiebang/crypto';

const secret = Buffer.from([...Array(32).keys()]);
const ringOf = (purpose: KeyPurpose) => new KeyRing(purpose, 'v1', [{ id: 'v1', secret }]);
const hex = (s: string) => Buffer.from(s, 'hex');

test('a field envelope of version 1 opens', () => {
  const stored = hex('010276311427685edbe8d265d694862e33a319cfc988e599a7b7cfff13447d1f7a18031f1679218f4eefcdd22c73d4ca8f3d0a1450e51c0f3906c0d51569cd');
  expect(openEnvelope(ringOf('field'), stored, fieldAad('users', 'phone', '42')).toString()).toBe('13812345678');
});

test('a blind index keeps its value', () => {
  expect(new BlindIndex(ringOf('blind-index'), 'users.phone', 'phone').compute('138 1234 5678')).toBe('53a59373d12f04815b068e7ef836b066dbe538b79ae2aca2778367285cd9eed1');
});

test('a keyed MAC keeps verifying', () => {
  expect(macVerify(ringOf('audit-mac'), { keyId: 'v1', tag: hex('4e5dc5827a814227547a36100da40032fe4210efdfdaa97db44f6ba94e580189') }, 'audit row')).toBe(true);
});

test('an encrypted Temporal payload decodes', async () => {
  const data = hex(
    '01027631a2d149a97fa8b329ac616736275d4a892dae902268913e63023b0922520435843cbe4a54d2b4ba210397323568265873505cd12c271f6c669fbf6234a1d2c11912b875e0006f882d1c52116372c1',
  );
  const [p] = await createPayloadCodec(ringOf('temporal-payload')).decode([
    { metadata: { encoding: Buffer.from('binary/sm4-encrypted'), 'encryption-key-id': Buffer.from('v1') }, data },
  ]);
  expect(Buffer.from(p.metadata!.encoding!).toString()).toBe('json/plain');
  expect(Buffer.from(p.data!).toString()).toBe('"x"');
});
