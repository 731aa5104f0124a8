/**
 * Temporal payload codec: every payload leaving a worker or client is SM4-encrypted (the
 * envelope of envelope.ts, under the temporal-payload keys), so Temporal's store, its visibility
 * of memos and its UI hold no plaintext application data. The key id travels in the payload's
 * metadata (`encryption-key-id`) beside `encoding: binary/sm4-encrypted`, so keys rotate: new
 * payloads use the current key, every known key still decodes.
 *
 * Decoding passes through payloads that are not encrypted, so histories recorded before the codec
 * (and the replay histories in test/replay/histories) still replay. A payload that is encrypted
 * but does not verify is an error, never passed through.
 *
 * Search attributes are not payload-encoded (the server indexes them): they must never hold
 * personal data (workflows/search-attributes.ts).
 */
import path from 'node:path';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { openEnvelope, parseEnvelope, sealEnvelope } from '../envelope';
import { CryptoError } from '../errors';
import { KeyRing, type KeySet } from '../keys';

export const ENCODING_SM4 = 'binary/sm4-encrypted';
export const METADATA_ENCODING = 'encoding';
export const METADATA_KEY_ID = 'encryption-key-id';
/** Associated data of every payload envelope: a payload envelope never opens as a database field, nor the reverse. */
const PAYLOAD_AAD = 'jiebang/temporal-payload/v1';
const INNER_FORMAT = 1;

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/**
 * The original payload, serialised before encryption: format (u8 = 1), metadata entry count
 * (u16), each entry as key length (u16), key (UTF-8), value length (u32), value; then the data.
 */
export function serialisePayload(p: Payload): Buffer {
  const entries = Object.entries(p.metadata ?? {});
  if (entries.length > 0xffff) throw new CryptoError('MALFORMED', 'too many metadata entries');
  const parts: Buffer[] = [Buffer.from([INNER_FORMAT, entries.length >> 8, entries.length & 0xff])];
  for (const [k, v] of entries) {
    const key = utf8(k);
    const value = Buffer.from(v ?? new Uint8Array());
    const head = Buffer.alloc(6);
    head.writeUInt16BE(key.length, 0);
    head.writeUInt32BE(value.length, 2);
    parts.push(head.subarray(0, 2), key, head.subarray(2), value);
  }
  parts.push(Buffer.from(p.data ?? new Uint8Array()));
  return Buffer.concat(parts);
}

export function deserialisePayload(b: Buffer): Payload {
  const fail = () => new CryptoError('MALFORMED', 'decrypted payload is not a serialised payload');
  if (b.length < 3 || b[0] !== INNER_FORMAT) throw fail();
  const count = b.readUInt16BE(1);
  let at = 3;
  const metadata: Record<string, Uint8Array> = {};
  for (let i = 0; i < count; i++) {
    if (at + 2 > b.length) throw fail();
    const kl = b.readUInt16BE(at);
    at += 2;
    if (at + kl + 4 > b.length) throw fail();
    const k = b.subarray(at, at + kl).toString('utf8');
    at += kl;
    const vl = b.readUInt32BE(at);
    at += 4;
    if (at + vl > b.length) throw fail();
    metadata[k] = new Uint8Array(b.subarray(at, at + vl));
    at += vl;
  }
  return { metadata, data: new Uint8Array(b.subarray(at)) };
}

function metadataString(p: Payload, key: string): string | undefined {
  const v = p.metadata?.[key];
  return v ? Buffer.from(v).toString('utf8') : undefined;
}

export function isEncryptedPayload(p: Payload): boolean {
  return metadataString(p, METADATA_ENCODING) === ENCODING_SM4;
}

export class Sm4PayloadCodec implements PayloadCodec {
  constructor(readonly ring: KeyRing) {
    if (ring.purpose !== 'temporal-payload') throw new CryptoError('KEY_CONFIG', `the payload codec needs the temporal-payload keys, not ${ring.purpose}`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (isEncryptedPayload(p)) return p;
      return {
        metadata: { [METADATA_ENCODING]: utf8(ENCODING_SM4), [METADATA_KEY_ID]: utf8(this.ring.current.id) },
        data: new Uint8Array(sealEnvelope(this.ring, serialisePayload(p), PAYLOAD_AAD)),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (!isEncryptedPayload(p)) return p;
      const data = Buffer.from(p.data ?? new Uint8Array());
      const keyId = metadataString(p, METADATA_KEY_ID);
      if (keyId !== parseEnvelope(data).keyId) throw new CryptoError('MALFORMED', `payload metadata names key ${keyId ?? '(none)'} but its envelope another`);
      return deserialisePayload(openEnvelope(this.ring, data, PAYLOAD_AAD));
    });
  }
}

function ringOf(keys: KeySet | KeyRing): KeyRing {
  return keys instanceof KeyRing ? keys : keys.ring('temporal-payload');
}

/** The SM4 payload codec over the temporal-payload keys (a KeySet holding them, or their ring). */
export function createPayloadCodec(keys: KeySet | KeyRing): Sm4PayloadCodec {
  return new Sm4PayloadCodec(ringOf(keys));
}

/** Module path of the failure converter that puts messages and stack traces into encrypted payloads. */
export const FAILURE_CONVERTER_PATH = path.join(__dirname, 'failure-converter');

/**
 * The data converter for `Worker.create`, `new Client` / `Connection` users and the codec
 * endpoint: the SM4 codec, and the failure converter that routes failure messages through it.
 *
 * The workflow sandbox converts workflow failures with the converter built into the workflow
 * bundle: a prebuilt bundle must be built with `bundleWorkflowCode({ ..., failureConverterPath:
 * FAILURE_CONVERTER_PATH })` too, or workflow failure messages stay plain text.
 */
export function dataConverter(keys: KeySet | KeyRing): DataConverter {
  return { payloadCodecs: [createPayloadCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
