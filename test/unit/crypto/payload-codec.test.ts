import crypto from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  createPayloadCodec,
  CryptoError,
  dataConverter,
  deserialisePayload,
  ENCODING_SM4,
  FAILURE_CONVERTER_PATH,
  isEncryptedPayload,
  KeySet,
  METADATA_KEY_ID,
  serialisePayload,
} from '@jiebang/crypto';
import { ring, withCurrent } from './helpers';

const text = (b?: Uint8Array | null) => Buffer.from(b ?? []).toString('utf8');
const MARKER = '联系人张三 13812345678';

describe('SM4 payload codec', () => {
  const keys = ring('temporal-payload', 't1');
  const codec = createPayloadCodec(keys);

  test('encode → decode round-trips every payload, metadata and data exactly', async () => {
    const payloads: Payload[] = [
      defaultPayloadConverter.toPayload({ contact: MARKER, n: 1 }),
      defaultPayloadConverter.toPayload(new Uint8Array([0, 1, 2, 255])),
      defaultPayloadConverter.toPayload(undefined),
      defaultPayloadConverter.toPayload(''),
      { metadata: { encoding: Buffer.from('json/protobuf'), messageType: Buffer.from('x.Y'), empty: new Uint8Array() }, data: new Uint8Array() },
    ];
    const encoded = await codec.encode(payloads);
    expect(encoded).toHaveLength(payloads.length);
    for (const e of encoded) {
      expect(text(e.metadata?.encoding)).toBe(ENCODING_SM4);
      expect(text(e.metadata?.[METADATA_KEY_ID])).toBe('t1');
      expect(Object.keys(e.metadata ?? {}).sort()).toEqual(['encoding', METADATA_KEY_ID].sort());
      expect(Buffer.from(e.data!).includes(Buffer.from(MARKER))).toBe(false);
    }
    const decoded = await codec.decode(encoded);
    expect(decoded.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, text(v)])), data: text(p.data) }))).toEqual(
      payloads.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, text(v)])), data: text(p.data) })),
    );
    expect(defaultPayloadConverter.fromPayload(decoded[0])).toEqual({ contact: MARKER, n: 1 });
    expect(await codec.encode([])).toEqual([]);
  });

  test('decode passes through payloads that are not encrypted (histories recorded before the codec)', async () => {
    const plain = [defaultPayloadConverter.toPayload({ old: 'history' }), defaultPayloadConverter.toPayload(null)];
    const decoded = await codec.decode(plain);
    expect(decoded).toEqual(plain);
    // a mix of old and new payloads in one list
    const [enc] = await codec.encode([defaultPayloadConverter.toPayload('new')]);
    const mixed = await codec.decode([plain[0], enc]);
    expect(defaultPayloadConverter.fromPayload(mixed[0])).toEqual({ old: 'history' });
    expect(defaultPayloadConverter.fromPayload(mixed[1])).toBe('new');
  });

  test('encode is idempotent: an already encrypted payload is not wrapped twice', async () => {
    const once = await codec.encode([defaultPayloadConverter.toPayload('x')]);
    const twice = await codec.encode(once);
    expect(twice).toEqual(once);
    expect(isEncryptedPayload(twice[0])).toBe(true);
  });

  test('tampered, swapped-key-id and wrong-key payloads are errors, never passed through', async () => {
    const [enc] = await codec.encode([defaultPayloadConverter.toPayload(MARKER)]);
    const flipped = Buffer.from(enc.data!);
    flipped[flipped.length - 40] ^= 1;
    await expect(codec.decode([{ ...enc, data: flipped }])).rejects.toMatchObject({ code: 'AUTHENTICATION_FAILED' });
    await expect(codec.decode([{ ...enc, data: flipped.subarray(0, 10) }])).rejects.toMatchObject({ code: 'MALFORMED' });
    await expect(codec.decode([{ ...enc, metadata: { ...enc.metadata, [METADATA_KEY_ID]: Buffer.from('t9') } }])).rejects.toMatchObject({ code: 'MALFORMED' });
    await expect(createPayloadCodec(ring('temporal-payload', 't1')).decode([enc])).rejects.toMatchObject({ code: 'AUTHENTICATION_FAILED' });
    await expect(createPayloadCodec(ring('temporal-payload', 'other')).decode([enc])).rejects.toMatchObject({ code: 'UNKNOWN_KEY' });
    // a database field key cannot serve as the payload key
    expect(() => createPayloadCodec(ring('field'))).toThrow(CryptoError);
  });

  test('rotation: new payloads name the new key id; payloads under the old id still decode', async () => {
    const [old] = await codec.encode([defaultPayloadConverter.toPayload('before')]);
    const rotated = createPayloadCodec(withCurrent(keys, 't2', [{ id: 't2', secret: crypto.randomBytes(32) }]));
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload('after')]);
    expect(text(fresh.metadata?.[METADATA_KEY_ID])).toBe('t2');
    expect((await rotated.decode([old, fresh])).map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['before', 'after']);
  });

  test('the inner serialisation refuses anything cut short', () => {
    const b = serialisePayload({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"x"') });
    expect(text(deserialisePayload(b).data)).toBe('"x"');
    for (let n = 0; n < 3 + 2 + 8 + 4 + 10; n++) expect(() => deserialisePayload(b.subarray(0, n))).toThrow(CryptoError);
  });

  test('dataConverter: the codec and the failure converter that encodes messages and stack traces', async () => {
    const set = new KeySet([keys]);
    const dc = dataConverter(set);
    expect(dc.payloadCodecs).toHaveLength(1);
    expect(dc.failureConverterPath).toBe(FAILURE_CONVERTER_PATH);
    const { failureConverter } = await import(FAILURE_CONVERTER_PATH);
    expect(failureConverter.options.encodeCommonAttributes).toBe(true);
    const [p] = await dc.payloadCodecs![0].encode([defaultPayloadConverter.toPayload('x')]);
    expect(defaultPayloadConverter.fromPayload((await codec.decode([p]))[0])).toBe('x');
  });
});
