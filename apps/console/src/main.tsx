import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SessionProvider } from './session';

dayjs.locale('zh-cn');

// The server's Content-Security-Policy allows style elements only with this response's nonce
// (no 'unsafe-inline'); Vite writes the meta tag (html.cspNonce), the API fills in the nonce.
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider csp={nonce ? { nonce } : undefined} locale={zhCN} theme={{ token: { colorPrimary: '#1d5fbf', borderRadius: 4 } }}>
      <AntApp>
        <SessionProvider>
          <App />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
