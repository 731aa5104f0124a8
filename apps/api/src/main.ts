import 'reflect-metadata';
import { ApiConfig, loadConfig } from '@jiebang/runtime';
import { createApp } from './app.factory';

async function bootstrap(): Promise<void> {
  const cfg = loadConfig(ApiConfig);
  const app = await createApp(cfg);
  await app.listen(cfg.PORT, cfg.HOST);
  // Supervised by `npm start`: leave when the supervisor goes.
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

bootstrap().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
});
