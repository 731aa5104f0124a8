import { Global, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { BlindIndex, createKeyProvider, fieldAad, KeySet, openText, sealText, type KeyProvider } from '@jiebang/crypto';

/** The key purposes the API holds: personal and secret fields (SM4) and their blind indexes (HMAC-SM3). */
export const API_KEY_PURPOSES = ['field', 'blind-index'] as const;

/**
 * SM4 for fields at rest (`sm4:` envelopes bound to their table, column and row, libs/crypto) and
 * blind indexes where such a field must be found by equality. Keys come from the process's key
 * provider (a local key file in development, JIEBANG_KEYS_* or a KMS in production).
 */
@Injectable()
export class FieldCrypto {
  readonly emailIndex: BlindIndex;

  constructor(readonly keys: KeySet) {
    this.emailIndex = new BlindIndex(keys.ring('blind-index'), 'users.email', 'email');
  }

  seal(table: string, column: string, rowKey: string, plaintext: string): string {
    return sealText(this.keys.ring('field'), plaintext, fieldAad(table, column, rowKey));
  }

  open(table: string, column: string, rowKey: string, sealed: string): string {
    return openText(this.keys.ring('field'), sealed, fieldAad(table, column, rowKey));
  }
}

/** FieldCrypto for the whole API, its keys loaded once at start-up (a missing key stops the start). */
@Global()
@Module({})
export class CryptoModule {
  static forRoot(provider?: KeyProvider): DynamicModule {
    return {
      module: CryptoModule,
      providers: [
        { provide: KeySet, useFactory: () => KeySet.load(provider ?? createKeyProvider(), API_KEY_PURPOSES) },
        { provide: FieldCrypto, inject: [KeySet], useFactory: (keys: KeySet) => new FieldCrypto(keys) },
      ],
      exports: [KeySet, FieldCrypto],
    };
  }
}
