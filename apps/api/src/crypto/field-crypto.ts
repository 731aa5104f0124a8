import { Global, Injectable, Module } from '@nestjs/common';
import { BlindIndex, fieldAad, KeySet, openText, sealText } from '@jiebang/crypto';
import { userEmailIndex } from '@jiebang/db';

/**
 * SM4 for fields at rest (`sm4:` envelopes bound to their table, column and row, libs/crypto) and
 * blind indexes where such a field must be found by equality. Keys come from the process's key
 * provider (a local key file in development, JIEBANG_KEYS_* or a KMS in production).
 */
@Injectable()
export class FieldCrypto {
  readonly emailIndex: BlindIndex;

  constructor(readonly keys: KeySet) {
    this.emailIndex = userEmailIndex(keys);
  }

  seal(table: string, column: string, rowKey: string, plaintext: string): string {
    return sealText(this.keys.ring('field'), plaintext, fieldAad(table, column, rowKey));
  }

  open(table: string, column: string, rowKey: string, sealed: string): string {
    return openText(this.keys.ring('field'), sealed, fieldAad(table, column, rowKey));
  }
}

/** FieldCrypto for the whole API, on the keys createApp loaded once at start-up (KeySet, from ConfigModule). */
@Global()
@Module({
  providers: [{ provide: FieldCrypto, inject: [KeySet], useFactory: (keys: KeySet) => new FieldCrypto(keys) }],
  exports: [FieldCrypto],
})
export class CryptoModule {}
