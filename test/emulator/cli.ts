import { parseArgs } from 'node:util';
import { makeTestCa } from '../helpers/test-ca';
import { DEFAULT_SANDBOX_KEY, startEmulator } from './server';

const HELP = `Usage: npm run emulator -- [options]

A local TwelveLabs Assets API (v1.3) for development and tests.

  --port N                 port to listen on (default 4010; 0 picks a free one)
  --host H                 address to listen on (default 127.0.0.1)
  --data-dir DIR           where uploads and asset records are kept (default: a new temp dir)
  --api-key KEY            accepted API key; repeat for several (default ${DEFAULT_SANDBOX_KEY})
  --chunk-size BYTES       multipart chunk size (default 5242880)
  --initial-urls N         presigned URLs in a create response (default 10)
  --url-ttl SECONDS        lifetime of a presigned chunk URL (default 3600)
  --session-ttl SECONDS    lifetime of a multipart session (default 86400)
  --processing-delay MS    time an asset stays "processing" (default 1000)
  --indexing-delay MS      time an index job takes to end "ready" or "failed" (default 1500)
  --model-rules-at-upload  refuse videos Marengo cannot use at upload (the seed's 400s), not
                           when they are indexed (the API's way)
  --latency MS             added to every API response
  --error-rate R           share of API requests answered with 500/503 (0..1)
  --reset-rate R           share of requests whose connection is cut mid-body (0..1)
  --drop-response-rate R   share of requests carried out whose response is lost (0..1)
  --bandwidth BYTES_PER_S  request bodies are read no faster than this, each
  --link BYTES_PER_S       all request bodies together are read no faster than this
  --rate-limit N/SECONDS   per key and route family, e.g. 60/60 for 60 per minute
  --seed N                 seed for the fault generator (default 1)
  --no-media-checks        accept any bytes (skip the ffprobe checks)
  --tls DIR                serve https with a certificate signed by a new root, "Example Corp
                           Root CA", written to DIR/ca.pem (trust it with the CLI's --ca-cert)
  --shapes go              answer as a Go server may: empty lists as null, no page_info,
                           unknown fields (all within what the official SDK's types allow)
  -h, --help               this text
`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    'api-key': { type: 'string', multiple: true },
    'chunk-size': { type: 'string' },
    'initial-urls': { type: 'string' },
    'url-ttl': { type: 'string' },
    'session-ttl': { type: 'string' },
    'processing-delay': { type: 'string' },
    'indexing-delay': { type: 'string' },
    latency: { type: 'string' },
    'error-rate': { type: 'string' },
    'reset-rate': { type: 'string' },
    'drop-response-rate': { type: 'string' },
    bandwidth: { type: 'string' },
    link: { type: 'string' },
    'rate-limit': { type: 'string' },
    seed: { type: 'string' },
    'no-media-checks': { type: 'boolean', default: false },
    'model-rules-at-upload': { type: 'boolean', default: false },
    shapes: { type: 'string', default: 'standard' },
    tls: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

function number(name: keyof typeof values): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value) || value < 0) {
    process.stderr.write(`--${name} needs a number, not ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return value;
}

let rateLimits;
if (values['rate-limit']) {
  const match = /^(\d+)\/(\d+)$/.exec(values['rate-limit']);
  if (!match) {
    process.stderr.write('--rate-limit takes N/SECONDS, for example 60/60\n');
    process.exit(2);
  }
  const rule = { limit: Number(match[1]), windowSeconds: Number(match[2]) };
  rateLimits = { 'assets.create': rule, 'assets.read': rule, 'assets.write': rule, multipart: rule, chunks: rule };
}

const seconds = (value: number | undefined) => (value === undefined ? undefined : value * 1000);

const ca = values.tls ? await makeTestCa(values.tls) : undefined;

const emulator = await startEmulator({
  ...(ca && { tls: { key: ca.key, cert: ca.cert }, hostname: 'localhost' }),
  port: number('port'),
  host: values.host,
  dataDir: values['data-dir'],
  apiKeys: values['api-key'],
  chunkSize: number('chunk-size'),
  initialUrlCount: number('initial-urls'),
  urlTtlMs: seconds(number('url-ttl')),
  sessionTtlMs: seconds(number('session-ttl')),
  processingDelayMs: number('processing-delay'),
  indexingDelayMs: number('indexing-delay'),
  seed: number('seed'),
  mediaChecks: values['no-media-checks'] ? false : undefined,
  modelRulesAtUpload: values['model-rules-at-upload'],
  shapes: values.shapes === 'go' ? 'go' : 'standard',
  rateLimits,
  linkBytesPerSecond: number('link'),
  faults: {
    '*': {
      latencyMs: number('latency'),
      errorRate: number('error-rate'),
      resetRate: number('reset-rate'),
      dropResponseRate: number('drop-response-rate'),
      bandwidthBytesPerSecond: number('bandwidth'),
    },
  },
});

process.stdout.write(
  `TwelveLabs Assets API emulator listening on ${emulator.baseUrl}\n` +
    `  API key: ${emulator.apiKey}\n  data:    ${emulator.dataDir}\n` +
    `  try:     TWELVELABS_BASE_URL=${emulator.baseUrl} TWELVE_LABS_API_KEY=${emulator.apiKey}\n` +
    (ca ? `  root:    ${ca.caFile} (signs its certificate: pass it to --ca-cert)\n` : ''),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
