import type { FormInstance } from 'antd/es/form';
import type { NamePath } from 'antd/es/form/interface';
import type { ApiError } from '../api/client';

/**
 * A modal form's submit: the fields validated first (antd shows their messages), then `send`;
 * done, the modal closes. A refusal is shown at the control `fieldOf` names, else above the form.
 */
export async function submitForm<V>(
  form: FormInstance,
  ui: { setBusy(b: boolean): void; setError(m: string | null): void; onClose(): void; onDone(): void },
  send: (values: V) => Promise<void>,
  fieldOf: (err: ApiError) => NamePath | null,
): Promise<void> {
  let values: V;
  try {
    values = (await form.validateFields()) as V;
  } catch {
    return;
  }
  ui.setBusy(true);
  ui.setError(null);
  try {
    await send(values);
    ui.onClose();
    ui.onDone();
  } catch (e) {
    const err = e as ApiError;
    const field = fieldOf(err);
    if (field) form.setFields([{ name: field, errors: [err.message] }]);
    else ui.setError(err.message);
  } finally {
    ui.setBusy(false);
  }
}
