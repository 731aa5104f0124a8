import { Alert, Button, Modal, Space, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { fileBlob, type Schemas } from '../api/client';

type PdfDocument = Awaited<ReturnType<typeof import('pdfjs-dist')['getDocument']>['promise']>;

/** Whether the console can show this file itself (PDF, or an image a browser decodes). */
export function previewable(f: Pick<Schemas['FileDto'], 'mime' | 'filename'>): 'pdf' | 'image' | null {
  if (f.mime === 'application/pdf' || /\.pdf$/i.test(f.filename)) return 'pdf';
  if (/^image\/(png|jpeg|gif|webp)$/.test(f.mime)) return 'image';
  return null;
}

/** pdf.js, loaded only when a PDF is opened (its own chunk, ./pdf): parsed in its worker, drawn on a canvas. */
async function openPdf(data: ArrayBuffer): Promise<PdfDocument> {
  return (await import('./pdf')).openPdf(data);
}

function PdfPages({ doc, name }: { doc: PdfDocument; name: string }) {
  const [pageNo, setPageNo] = useState(1);
  const [failed, setFailed] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    let task: { cancel(): void; promise: Promise<void> } | null = null;
    void (async () => {
      try {
        const page = await doc.getPage(pageNo);
        if (cancelled || !canvas.current) return;
        const width = box.current?.clientWidth ?? 800;
        const base = page.getViewport({ scale: 1 });
        const ratio = window.devicePixelRatio || 1;
        const viewport = page.getViewport({ scale: (width / base.width) * ratio });
        canvas.current.width = Math.floor(viewport.width);
        canvas.current.height = Math.floor(viewport.height);
        canvas.current.style.width = `${Math.floor(viewport.width / ratio)}px`;
        task = page.render({ canvas: canvas.current, viewport });
        await task.promise;
        if (!cancelled) canvas.current.dataset.rendered = String(pageNo);
      } catch (e) {
        if (!cancelled && (e as { name?: string }).name !== 'RenderingCancelledException') setFailed('该文件无法预览，请下载后查看');
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [doc, pageNo]);

  if (failed) return <Alert type="warning" showIcon message={failed} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Button size="small" disabled={pageNo <= 1} onClick={() => setPageNo(pageNo - 1)}>
          上一页
        </Button>
        <Typography.Text>
          第 {pageNo} 页，共 {doc.numPages} 页
        </Typography.Text>
        <Button size="small" disabled={pageNo >= doc.numPages} onClick={() => setPageNo(pageNo + 1)}>
          下一页
        </Button>
      </Space>
      <div ref={box} style={{ width: '100%', background: '#f5f5f5', textAlign: 'center' }}>
        <canvas ref={canvas} role="img" aria-label={`${name}，第 ${pageNo} 页`} data-testid="pdf-canvas" style={{ maxWidth: '100%', background: '#fff' }} />
      </div>
    </Space>
  );
}

/** A file shown inside the console: a PDF page by page, an image as it is; the download stays beside it. */
export function FilePreview({ applicationId, file, onClose }: { applicationId: string; file: Schemas['FileDto']; onClose(): void }) {
  const kind = previewable(file);
  const [image, setImage] = useState<string | null>(null);
  const [pdf, setPdf] = useState<PdfDocument | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let url: string | null = null;
    let doc: PdfDocument | null = null;
    let cancelled = false;
    void (async () => {
      try {
        const blob = await fileBlob(applicationId, file.id);
        if (cancelled) return;
        if (kind === 'image') {
          url = URL.createObjectURL(blob);
          setImage(url);
        } else {
          doc = await openPdf(await blob.arrayBuffer());
          if (cancelled) void doc.destroy();
          else setPdf(doc);
        }
      } catch (e) {
        if (!cancelled) setError((e as Error).message && /[\u4e00-\u9fa5]/.test((e as Error).message) ? (e as Error).message : '该文件无法预览，请下载后查看');
      }
    })();
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
      void doc?.destroy();
    };
  }, [applicationId, file.id, kind]);

  return (
    <Modal open title={`预览：${file.filename}`} onCancel={onClose} footer={null} width={900} destroyOnHidden data-testid="file-preview">
      {error ? (
        <Alert type="warning" showIcon message={error} />
      ) : kind === 'image' ? (
        image ? <img src={image} alt={file.filename} style={{ maxWidth: '100%', display: 'block', margin: '0 auto' }} data-testid="image-preview" /> : <Spin aria-label="加载中" />
      ) : pdf ? (
        <PdfPages doc={pdf} name={file.filename} />
      ) : (
        <Spin aria-label="加载中" />
      )}
    </Modal>
  );
}
