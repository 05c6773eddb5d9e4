import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import { networkProblemWords, type CheckStep, type ConnectionCheck } from '../../shared/network';
import { m } from '../../shared/i18n';
import { ApiClient, type ApiClientOptions } from './client';
import { ApiError } from './errors';
import { presentedIssuer } from '../network/diagnose';
import { routeWords } from '../network/proxy';
import { ENVIRONMENT_ROUTES, type NetworkRoutes } from '../network/routes';
import type { Trust } from '../network/trust';

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
    const what = m.doctor_route_to({ host: url.host });
    // Storage on the API's own host (a test server): its route was said once already.
    if (!steps.some((step) => step.what === what)) {
      steps.push({ what, ok: true, words: routeWords(proxy) });
    }
    return url.protocol === 'https:' ? presentedIssuer(url, proxy) : null;
  };
  const secure = (url: URL, issuer: string | null) => {
    if (issuer && company.has(issuer)) inspectedBy = issuer;
    const what = issuer ? m.doctor_secure_to({ host: url.host }) : m.doctor_connection_to({ host: url.host });
    if (steps.some((step) => step.what === what)) return;
    steps.push({
      what,
      ok: true,
      words: !issuer
        ? m.doctor_plain_http()
        : company.has(issuer)
          ? m.doctor_issued_company({ issuer })
          : m.doctor_issued({ issuer }),
    });
  };
  const failed = (what: string, error: unknown) => {
    const words =
      error instanceof ApiError && error.problem
        ? (({ label, detail }) => `${label}. ${detail}`)(networkProblemWords(error.problem))
        : error instanceof ApiError && error.kind === 'network'
          ? m.doctor_no_answer({ error: error.message })
          : `${(error as Error).message}`;
    steps.push({ what, ok: false, words });
  };

  const api = new URL(client.baseUrl);
  const apiIssuer = await reach(api);
  const key = await options.apiKey();
  try {
    if (!key) throw new ApiError('http', m.doctor_no_key(), 401, 'api_key_missing');
    await client.verifyKey(key);
    secure(api, apiIssuer);
    steps.push({ what: m.doctor_key(), ok: true, words: m.doctor_key_accepted() });
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'http') {
      secure(api, apiIssuer);
      steps.push({
        what: m.doctor_key(),
        ok: false,
        words:
          error.code === 'api_key_missing' ? error.message : `${m.error_key_invalid()} ${m.error_key_invalid_action()}`,
      });
    } else failed(m.doctor_connection_to({ host: api.host }), error);
  }

  if (steps.every((step) => step.ok)) await testUpload(client, reach, secure, failed, steps);

  const ok = steps.every((step) => step.ok);
  const when = new Date((options.now ?? Date.now)()).toISOString();
  const report = [
    m.doctor_report_title({ when }),
    ...Object.entries(options.environment).map(([name, value]) => `${name}: ${value}`),
    ...steps.map((step) => `${step.ok ? 'OK  ' : 'FAIL'} ${step.what}: ${step.words}`),
    m.doctor_roots_added({
      roots: options.trust?.added.map((root) => `${root.subject} (${root.from})`).join(', ') || m.doctor_roots_none(),
    }),
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
    if (!address) throw new Error(m.doctor_no_address());
    const storage = new URL(address);
    const issuer = await reach(storage);
    try {
      const etag = await client.putChunk(address, Readable.from([image]), image.length);
      secure(storage, issuer);
      await client.reportChunks(session.upload_id, [{ index: 1, etag, size: image.length }]);
      steps.push({ what: m.doctor_upload_to({ host: storage.host }), ok: true, words: m.doctor_upload_done() });
    } catch (error) {
      failed(m.doctor_upload_to({ host: storage.host }), error);
    }
  } catch (error) {
    failed(m.doctor_upload_start(), error);
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
