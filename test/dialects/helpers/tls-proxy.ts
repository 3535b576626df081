import { readFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));

/**
 * The test CA (its key discarded) and a server certificate it signed for localhost and 127.0.0.1. Test-only
 * material, valid for a century.
 */
export const TEST_CA_FILE = fixture('ca.pem');

/** SSLRequest: length 8, then the magic code 80877103. */
const SSL_REQUEST_CODE = 80877103;

export interface TlsProxy {
  readonly port: number;
  /** How each session reached the proxy, in order. */
  readonly sessions: readonly ('tls' | 'plain')[];
  close(): Promise<void>;
}

/**
 * A PostgreSQL server that speaks TLS in front of one that does not: answers SSLRequest with 'S', terminates TLS
 * with the test certificate and relays the decrypted protocol to the real server. So sslmode can be tested
 * against a real database whose own server has ssl = off.
 */
export async function startTlsProxy(upstream: { host: string; port: number }): Promise<TlsProxy> {
  const key = readFileSync(fixture('server-key.pem'));
  const cert = readFileSync(fixture('server.pem'));
  const sessions: ('tls' | 'plain')[] = [];
  const sockets = new Set<Socket>();

  const relay = (client: Socket | TLSSocket, first: Buffer | undefined) => {
    const server = createConnection(upstream);
    sockets.add(server);
    server.on('close', () => sockets.delete(server));
    if (first !== undefined && first.length > 0) server.write(first);
    client.pipe(server).pipe(client);
    const end = () => {
      client.destroy();
      server.destroy();
    };
    client.on('error', end);
    server.on('error', end);
    client.on('close', end);
    server.on('close', end);
  };

  const proxy: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first) => {
      if (first.length >= 8 && first.readInt32BE(4) === SSL_REQUEST_CODE) {
        sessions.push('tls');
        socket.write('S');
        const secure = new TLSSocket(socket, { isServer: true, key, cert });
        relay(secure, first.subarray(8));
      } else {
        sessions.push('plain');
        relay(socket, first);
      }
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}
