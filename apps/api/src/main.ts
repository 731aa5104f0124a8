import 'reflect-metadata';
import { ApiConfig, loadConfig } from '@jiebang/runtime';
import { createApp, internalServer } from './app.factory';

async function bootstrap(): Promise<void> {
  const cfg = loadConfig(ApiConfig);
  const app = await createApp(cfg);
  await app.listen(cfg.PORT, cfg.HOST);
  if (cfg.INTERNAL_PORT) {
    const internal = internalServer(app);
    await new Promise<void>((resolve, reject) => internal.once('error', reject).listen(cfg.INTERNAL_PORT, cfg.INTERNAL_HOST ?? cfg.HOST, resolve));
    // Nest's shutdown hooks end the process on SIGTERM; the supervisor's exit below does too.
  }
  // Supervised by `npm start`: leave when the supervisor goes.
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

bootstrap().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
});
