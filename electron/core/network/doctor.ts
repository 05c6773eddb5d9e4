import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import { networkProblemWords, type CheckStep, type ConnectionCheck } from '../../shared/network';
import { m } from '../../shared/i18n';
import { ApiClient, type ApiClientOptions } from '../api/client';
import { ApiError } from '../api/errors';
import { presentedIssuer } from './diagnose';
import { routeWords } from './proxy';
import { ENVIRONMENT_ROUTES, type NetworkRoutes } from './routes';
import type { Trust } from './trust';

/** The file the test upload sends: a one-pixel PNG, made here so no file of the person's is touched. */
const TEST_NAME = 'twelvelabs-uploader-connection-check.png';

/**
 * Checks the whole way a file takes, as staff and IT need it told: how the API host and the storage
 * host are reached (direct, or through which proxy), whose certificate each presents, whether the
 * key is taken, and a small real upload to the storage host (deleted after). Requests go straight
 * out, not through the queue's gate, so the check answers even while the queue is held.
 */
export async function checkConnection(options: {
  readonly baseUrl: string;
  readonly apiKey: ApiClientOptions['apiKey'];
  /** The routes the app's requests take (the process's default when absent). */
  readonly routes?: NetworkRoutes;
  /** Roots added to Node's at start (a company's), to tell inspection from a public CA. */
  readonly trust: Trust | null;
  readonly environment: Readonly<Record<string, string>>;
  readonly now?: () => number;
}): Promise<ConnectionCheck> {
  const routes = options.routes ?? ENVIRONMENT_ROUTES;
  const client = new ApiClient({ baseUrl: options.baseUrl, apiKey: options.apiKey, routes });
  const steps: CheckStep[] = [];
  const company = new Set(options.trust?.added.map((root) => root.subject) ?? []);
  let inspectedBy: string | null = null;

  /** The route to `url` and who signs its certificate; the issuer is null for plain http. */
  const reach = async (url: URL): Promise<string | null> => {
    const proxy = await routes.proxyOf(url);
    const what = `Route to ${url.host}`;
    // Storage on the API's own host (a test server): its route was said once already.
    if (!steps.some((step) => step.what === what)) {
      steps.push({ what, ok: true, words: routeWords(proxy) });
    }
    return url.protocol === 'https:' ? presentedIssuer(url, proxy) : null;
  };
  const secure = (url: URL, issuer: string | null) => {
    if (issuer && company.has(issuer)) inspectedBy = issuer;
    const what = `${issuer ? 'Secure connection' : 'Connection'} to ${url.host}`;
    if (steps.some((step) => step.what === what)) return;
    steps.push({
      what,
      ok: true,
      words: !issuer
        ? 'plain http: this computer only'
        : company.has(issuer)
          ? `certificate issued by ${issuer}, your company's root: secure connections are inspected`
          : `certificate issued by ${issuer}`,
    });
  };
  const failed = (what: string, error: unknown) => {
    const words =
      error instanceof ApiError && error.problem
        ? (({ label, detail }) => `${label}. ${detail}`)(networkProblemWords(error.problem))
        : error instanceof ApiError && error.kind === 'network'
          ? `no answer (${error.message}): check the network.`
          : `${(error as Error).message}`;
    steps.push({ what, ok: false, words });
  };

  const api = new URL(client.baseUrl);
  const apiIssuer = await reach(api);
  const key = await options.apiKey();
  try {
    if (!key) throw new ApiError('http', 'No API key is set: add it in Settings.', 401, 'api_key_missing');
    await client.verifyKey(key);
    secure(api, apiIssuer);
    steps.push({ what: 'API key', ok: true, words: 'accepted' });
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'http') {
      secure(api, apiIssuer);
      steps.push({
        what: 'API key',
        ok: false,
        words:
          error.code === 'api_key_missing' ? error.message : `${m.error_key_invalid()} ${m.error_key_invalid_action()}`,
      });
    } else failed(`Connection to ${api.host}`, error);
  }

  if (steps.every((step) => step.ok)) await testUpload(client, reach, secure, failed, steps);

  const ok = steps.every((step) => step.ok);
  const when = new Date((options.now ?? Date.now)()).toISOString();
  const report = [
    `TwelveLabs Uploader connection check, ${when}`,
    ...Object.entries(options.environment).map(([name, value]) => `${name}: ${value}`),
    ...steps.map((step) => `${step.ok ? 'OK  ' : 'FAIL'} ${step.what}: ${step.words}`),
    `Roots added to the built-in ones: ${options.trust?.added.map((root) => `${root.subject} (${root.from})`).join(', ') || 'none'}`,
    ...(options.trust?.problems ?? []),
  ].join('\n');
  return { ok, steps, inspectedBy, report };
}

/** Sends the one-pixel image to the storage host as a one-chunk upload, then deletes the asset. */
async function testUpload(
  client: ApiClient,
  reach: (url: URL) => Promise<string | null>,
  secure: (url: URL, issuer: string | null) => void,
  failed: (what: string, error: unknown) => void,
  steps: CheckStep[],
): Promise<void> {
  const image = onePixelPng();
  let assetId: string | null = null;
  try {
    const session = await client.createMultipart({ filename: TEST_NAME, type: 'image', totalSize: image.length });
    assetId = session.asset_id;
    const address =
      session.upload_urls?.find((url) => url.chunk_index === 1)?.url ??
      (await client.presignedUrls(session.upload_id, 1, 1))[0]?.url;
    if (!address) throw new Error('TwelveLabs gave no address to upload to.');
    const storage = new URL(address);
    const issuer = await reach(storage);
    try {
      const etag = await client.putChunk(address, Readable.from([image]), image.length);
      secure(storage, issuer);
      await client.reportChunks(session.upload_id, [{ index: 1, etag, size: image.length }]);
      steps.push({
        what: `Upload to ${storage.host}`,
        ok: true,
        words: 'a one-pixel test image was sent, then deleted',
      });
    } catch (error) {
      failed(`Upload to ${storage.host}`, error);
    }
  } catch (error) {
    failed('Starting a test upload', error);
  } finally {
    if (assetId) await client.deleteAsset(assetId, true).catch(() => undefined);
  }
}

/** A valid 1x1 grey PNG. */
function onePixelPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 0x80]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
