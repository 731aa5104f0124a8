/** What an action carries besides its comment: the field kinds of the registry and their values. */
import type { AttestationKey, MaterialKind } from './reference/tasks';
import type { Choice } from './vocabulary';

/** Every action may carry a comment of at most this many characters. */
export const MAX_COMMENT = 2000;

/**
 * A field of an action's payload besides its comment: what it holds, its Chinese label (the
 * rules' messages and the console's form use it) and, in `doc`, what engineers read in the API
 * description.
 */
export type FieldSpec = { readonly label: string; readonly doc?: string } & (
  | { readonly kind: 'choice'; readonly choices: readonly Choice[] }
  | { readonly kind: 'attestations' }
  /** The materials present at submission; gathered by the system, never typed in. */
  | { readonly kind: 'materials' }
  | { readonly kind: 'experts'; readonly max: number }
  | { readonly kind: 'score'; readonly min: number; readonly max: number; readonly decimals: number }
  /** An instant, given as ISO 8601 or Asia/Shanghai local time; epoch ms in the domain. */
  | { readonly kind: 'instant' }
  /** One of the application's open objections. */
  | { readonly kind: 'objection'; readonly maxLength: number }
  /** A file uploaded beforehand with this material kind. */
  | { readonly kind: 'file'; readonly material: MaterialKind }
  | { readonly kind: 'text'; readonly maxLength: number }
  /** Material kinds out of `of` (at least one). */
  | { readonly kind: 'materialKinds'; readonly of: readonly MaterialKind[] }
);

/** The body of an action: a name (shared by actions with the same body) and its fields. */
export interface PayloadSpec {
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

export type Attestations = Partial<Record<AttestationKey, boolean>>;

/** The value a field of this spec holds in the domain. */
export type FieldValue<F> = F extends { kind: 'choice'; choices: ReadonlyArray<{ value: infer V }> }
  ? V
  : F extends { kind: 'attestations' }
    ? Attestations
    : F extends { kind: 'materials' }
      ? MaterialKind[]
      : F extends { kind: 'materialKinds' }
        ? MaterialKind[]
      : F extends { kind: 'experts' }
        ? string[]
        : F extends { kind: 'score' | 'instant' }
          ? number
          : string;
