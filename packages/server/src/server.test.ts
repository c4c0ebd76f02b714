import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { startServer } from './server';
import { testDatabase } from './test/db';
import { TEST_SECRET } from './test/harness';

describe('start-up', () => {
  it('serves without the SMTP receiver when its port is taken outside production, and says so', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    const lines: string[] = [];
    const running = await startServer(
      loadConfig({
        NODE_ENV: 'development',
        CASEBOOK_SECRET: TEST_SECRET,
        CASEBOOK_DEMO: '0',
        CASEBOOK_WORKER: '0',
        CASEBOOK_WEB_DIR: '/nonexistent',
        PORT: '0',
        HOST: '127.0.0.1',
        CASEBOOK_SMTP_PORT: String(port),
      }),
      { database: await testDatabase(), log: (line) => lines.push(line) },
    );
    try {
      expect(running.smtp).toBeUndefined();
      expect(lines).toContain(`Not receiving mail by SMTP: port ${port} is in use (set CASEBOOK_SMTP_PORT).`);
      const health = await fetch(`${running.url}/api/v1/health`);
      expect(health.status).toBe(200);
    } finally {
      await running.close();
      busy.close();
    }
  });
});
