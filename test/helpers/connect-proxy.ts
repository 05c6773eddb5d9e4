import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** A company's explicit proxy on loopback: the only way to the hosts it knows. */
export interface ConnectProxy {
  /** `http://user:password@127.0.0.1:PORT` (credentials only when the proxy asks for them). */
  readonly url: string;
  /** `http://127.0.0.1:PORT`, without credentials. */
  readonly bare: string;
  /** "host:port" of every CONNECT it was asked for, and the status it answered. */
  readonly asked: { readonly target: string; readonly status: number }[];
  /** Everything clients sent through its tunnels, to check that no secret crossed it in clear. */
  relayed(): Buffer;
  close(): Promise<void>;
}

/**
 * A CONNECT proxy that wants Basic credentials (when `login` is given) and reaches only the hosts
 * in `hosts` (name -> loopback port): a host it does not know is refused with 403, as a policy
 * proxy does, and nothing resolves those names but the proxy.
 */
export async function startConnectProxy(options: {
  readonly hosts: Readonly<Record<string, number>>;
  readonly login?: { readonly user: string; readonly password: string };
  /** A proxy that wants the Windows login (NTLM, Negotiate), which it never gets here. */
  readonly windowsLogin?: boolean;
}): Promise<ConnectProxy> {
  const asked: { target: string; status: number }[] = [];
  const relayed: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_request, response) => {
    // Plain http through the proxy is never what the app should send.
    response.writeHead(405).end();
  });
  server.on('connect', (request, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const target = request.url ?? '';
    const answer = (status: number, words: string, headers = '') => {
      asked.push({ target, status });
      client.end(`HTTP/1.1 ${status} ${words}\r\n${headers}Via: 1.1 corp-proxy\r\nContent-Length: 0\r\n\r\n`);
    };
    if (options.windowsLogin) {
      answer(407, 'Proxy Authentication Required', 'Proxy-Authenticate: Negotiate\r\nProxy-Authenticate: NTLM\r\n');
      return;
    }
    if (options.login) {
      const expected = `Basic ${Buffer.from(`${options.login.user}:${options.login.password}`).toString('base64')}`;
      if (request.headers['proxy-authorization'] !== expected) {
        answer(407, 'Proxy Authentication Required', 'Proxy-Authenticate: Basic realm="corp"\r\n');
        return;
      }
    }
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const to = options.hosts[host];
    if (to === undefined || to !== port) {
      answer(403, 'Forbidden');
      return;
    }
    const upstream = connect(to, '127.0.0.1', () => {
      asked.push({ target, status: 200 });
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.on('data', (chunk: Buffer) => relayed.push(chunk));
      client.pipe(upstream).pipe(client);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const bare = `http://127.0.0.1:${port}`;
  const credentials = options.login
    ? `${encodeURIComponent(options.login.user)}:${encodeURIComponent(options.login.password)}@`
    : '';
  return {
    url: `http://${credentials}127.0.0.1:${port}`,
    bare,
    asked,
    relayed: () => Buffer.concat(relayed),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
