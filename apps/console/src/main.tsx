import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './a11y.css';
import { App } from './App';
import { SessionProvider } from './session';

dayjs.locale('zh-cn');

/**
 * The province's blue, and text colours that meet WCAG AA contrast (4.5:1) on white: Ant Design's
 * defaults for secondary text, descriptions, placeholders and links do not.
 */
const THEME = {
  colorPrimary: '#1d5fbf',
  colorInfo: '#1d5fbf',
  colorLink: '#1d5fbf',
  colorError: '#cf1322',
  borderRadius: 4,
  colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
  colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
  colorTextDescription: 'rgba(0, 0, 0, 0.62)',
  colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
};

// The server's Content-Security-Policy allows style elements only with this response's nonce
// (no 'unsafe-inline'); Vite writes the meta tag (html.cspNonce), the API fills in the nonce.
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider csp={nonce ? { nonce } : undefined} locale={zhCN} theme={{ token: THEME }}>
      <AntApp>
        <SessionProvider>
          <App />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
