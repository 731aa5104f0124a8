import { Modal, message, type ModalProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { newKey, type ApiError } from '../api/client';

/** A bulk operation in the console's one shape: preview it, confirm, run it once (one idempotency key per preview), show the result. */
export interface PreviewRun<P, R> {
  preview: P | null;
  result: R | null;
  running: boolean;
  /** Ask for a fresh preview (and a fresh key); a refusal is shown as a message. */
  open: () => Promise<void>;
  /** Run what was previewed under the preview's key; a refusal is shown as a message. */
  run: () => Promise<void>;
  close: () => void;
}

/**
 * The preview → confirm → run → result flow. `enabled` gates both calls (e.g. a campaign is
 * chosen); `onDone` runs after a successful run (reload the list, clear the selection).
 */
export function usePreviewRun<P, R>(opts: { enabled: boolean; preview: () => Promise<P>; run: (idempotencyKey: string) => Promise<R>; onDone: () => void }): PreviewRun<P, R> {
  const [preview, setPreview] = useState<P | null>(null);
  const [result, setResult] = useState<R | null>(null);
  const [running, setRunning] = useState(false);
  const [key, setKey] = useState(newKey());

  const open = async () => {
    if (!opts.enabled) return;
    try {
      setResult(null);
      setKey(newKey());
      setPreview(await opts.preview());
    } catch (e) {
      void message.error((e as ApiError).message);
    }
  };

  const run = async () => {
    if (!opts.enabled || preview === null) return;
    setRunning(true);
    try {
      setResult(await opts.run(key));
      opts.onDone();
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setRunning(false);
    }
  };

  return { preview, result, running, open, run, close: () => setPreview(null) };
}

/**
 * The flow's modal: open while there is a preview; OK runs it (disabled when nothing can run),
 * then closes it once the result is in.
 */
export function PreviewRunModal<P, R>({
  flow,
  okText,
  doneText = '关闭',
  canRun,
  okTestId,
  children,
  ...rest
}: { flow: PreviewRun<P, R>; okText: string; doneText?: string; canRun: boolean; okTestId: string; children: (preview: P) => ReactNode } & Pick<ModalProps, 'title' | 'width'> & { 'data-testid'?: string }) {
  return (
    <Modal
      open={flow.preview !== null}
      onCancel={flow.close}
      onOk={flow.result ? flow.close : () => void flow.run()}
      okText={flow.result ? doneText : okText}
      cancelText="取消"
      okButtonProps={{ disabled: !flow.result && !canRun, loading: flow.running, 'data-testid': okTestId } as { disabled: boolean; loading: boolean }}
      {...rest}
    >
      {flow.preview !== null ? children(flow.preview) : null}
    </Modal>
  );
}
