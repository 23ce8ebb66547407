// A loopback port with nothing listening on it (for "connection refused" cases): bind port 0,
// note the port, close. Another process could take it in between; on loopback in a test run
// that is rare enough, and a test using it should say what it expects either way.

import { createServer } from 'node:net';

export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
