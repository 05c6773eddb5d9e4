import { ApiError, intParam, newId, readJson, seedError, sendEmpty, sendJson, timestamp } from '../http';
import { pageInfo } from '../serialize';
import type { IndexedAssetRecord, IndexRecord } from '../state';
import { parseUserMetadata } from './assets';
import type { EmulatorCore, Route, RouteContext } from './context';

/** What an index may be made with (v1.3): Marengo 3.0 for search; add-ons as listed. */
const MODELS = new Set(['marengo3.0', 'marengo2.7', 'pegasus1.2']);
const MODEL_OPTIONS = new Set(['visual', 'audio']);
const ADDONS = new Set(['thumbnail']);
/** How long an index lives unless used (the API's indexes expire; a fixed horizon here). */
const INDEX_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;

function indexJson(core: EmulatorCore, index: IndexRecord): Record<string, unknown> {
  const jobs = [...core.state.indexedAssets.values()].filter(
    (job) => job.indexId === index.id && job.status === 'ready',
  );
  const duration = jobs.reduce((sum, job) => sum + (core.state.assets.get(job.assetId)?.probe?.duration ?? 0), 0);
  return {
    _id: index.id,
    index_name: index.name,
    created_at: timestamp(index.createdAt),
    updated_at: timestamp(index.updatedAt),
    expires_at: timestamp(index.expiresAt),
    video_count: jobs.length,
    total_duration: Number(duration.toFixed(2)),
    models: index.models,
    addons: index.addons,
  };
}

function indexedAssetJson(core: EmulatorCore, job: IndexedAssetRecord): Record<string, unknown> {
  const asset = core.state.assets.get(job.assetId);
  return {
    _id: job.id,
    asset_id: job.assetId,
    status: job.status,
    created_at: timestamp(job.createdAt),
    updated_at: timestamp(job.updatedAt),
    ...(job.indexedAt !== undefined && { indexed_at: timestamp(job.indexedAt) }),
    ...(Object.keys(job.userMetadata).length > 0 && { user_metadata: job.userMetadata }),
    system_metadata: {
      filename: asset?.filename,
      ...(asset?.probe?.duration !== undefined && { duration: asset.probe.duration }),
      ...(asset?.probe?.width !== undefined && { width: asset.probe.width, height: asset.probe.height }),
      ...(asset?.size !== undefined && { size: asset.size }),
    },
  };
}

function findIndex(core: EmulatorCore, id: string | undefined): IndexRecord {
  const index = core.state.indexes.get(id ?? '');
  if (!index) throw seedError(404, 'resource_not_exist', { id: id ?? '', collection: 'indexes' });
  return index;
}

async function createIndex(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const body = (await readJson(context.body)) as { index_name?: unknown; models?: unknown; addons?: unknown };
  const invalid = (parameter: string, detail: string) => seedError(400, 'parameter_invalid', { parameter, detail });
  if (typeof body.index_name !== 'string' || body.index_name.trim() === '') {
    throw seedError(400, 'parameter_not_provided', { parameter: 'index_name', detail: '' });
  }
  if ([...core.state.indexes.values()].some((index) => index.name === body.index_name)) {
    throw new ApiError(
      400,
      'index_name_already_exists',
      `Index name ${body.index_name} already exists. Please use another unique name and try again.`,
    );
  }
  if (!Array.isArray(body.models) || body.models.length === 0) {
    throw seedError(400, 'parameter_not_provided', { parameter: 'models', detail: '' });
  }
  const models = (body.models as { model_name?: unknown; model_options?: unknown }[]).map((model) => {
    if (typeof model.model_name !== 'string' || !MODELS.has(model.model_name)) {
      throw invalid('models', `Unknown model ${String(model.model_name)}.`);
    }
    const options = Array.isArray(model.model_options) ? model.model_options : [];
    if (options.length === 0 || options.some((option) => typeof option !== 'string' || !MODEL_OPTIONS.has(option))) {
      throw invalid('model_options', 'Use visual, audio or both.');
    }
    return { model_name: model.model_name, model_options: options as string[] };
  });
  const addons = Array.isArray(body.addons) ? body.addons : [];
  if (addons.some((addon) => typeof addon !== 'string' || !ADDONS.has(addon))) {
    throw invalid('addons', 'The only add-on is thumbnail.');
  }
  const now = core.now();
  core.state.seq += 1;
  const index: IndexRecord = {
    id: newId(now),
    seq: core.state.seq,
    name: body.index_name,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + INDEX_LIFETIME_MS,
    models,
    addons: addons as string[],
  };
  core.state.indexes.set(index.id, index);
  await core.state.save();
  sendJson(context.response, 201, { _id: index.id });
}

async function listIndexes(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const page = intParam(context.query, 'page', 1, 1, 1_000_000);
  const limit = intParam(context.query, 'page_limit', 10, 1, 50);
  const name = context.query.get('index_name')?.toLowerCase();
  const family = context.query.get('model_family');
  const all = [...core.state.indexes.values()]
    .filter((index) => !name || index.name.toLowerCase().includes(name))
    .filter((index) => !family || index.models.some((model) => model.model_name.startsWith(family)))
    .sort((a, b) => b.seq - a.seq);
  const data = all.slice((page - 1) * limit, page * limit).map((index) => indexJson(core, index));
  sendJson(context.response, 200, { data, page_info: pageInfo(page, limit, all.length) });
}

async function renameIndex(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const index = findIndex(core, context.params[0]);
  const body = (await readJson(context.body)) as { index_name?: unknown };
  if (typeof body.index_name !== 'string' || body.index_name.trim() === '') {
    throw seedError(400, 'parameter_not_provided', { parameter: 'index_name', detail: '' });
  }
  index.name = body.index_name;
  index.updatedAt = core.now();
  await core.state.save();
  sendEmpty(context.response, 204);
}

async function deleteIndex(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const index = findIndex(core, context.params[0]);
  core.state.indexes.delete(index.id);
  for (const job of core.state.indexedAssets.values()) {
    if (job.indexId === index.id) core.state.indexedAssets.delete(job.id);
  }
  await core.state.save();
  sendEmpty(context.response, 204);
}

async function indexAsset(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const index = findIndex(core, context.params[0]);
  const body = (await readJson(context.body)) as {
    asset_id?: unknown;
    enable_video_stream?: unknown;
    user_metadata?: unknown;
  };
  if (typeof body.asset_id !== 'string' || body.asset_id === '') {
    throw seedError(400, 'parameter_not_provided', { parameter: 'asset_id', detail: '' });
  }
  const asset = core.state.assets.get(body.asset_id);
  if (!asset) throw seedError(404, 'resource_not_exist', { id: body.asset_id, collection: 'assets' });
  if (asset.status !== 'ready') {
    throw new ApiError(
      400,
      'asset_not_ready',
      `The asset ${asset.id} is not ready yet. Wait until its status is ready.`,
    );
  }
  const kind = asset.probe?.kind ?? asset.fileType.split('/')[0];
  if (kind !== 'video') {
    throw seedError(400, 'parameter_invalid', { parameter: 'asset_id', detail: 'Only video assets can be indexed.' });
  }
  const earlier = [...core.state.indexedAssets.values()].find(
    (job) => job.indexId === index.id && job.assetId === asset.id && job.status !== 'failed',
  );
  if (earlier && core.options.indexAgain === 'refuse') {
    throw new ApiError(400, 'asset_already_indexed', `The asset ${asset.id} is already in the index ${index.id}.`);
  }
  const userMetadata =
    body.user_metadata === undefined
      ? {}
      : (parseUserMetadata(body.user_metadata, false) as IndexedAssetRecord['userMetadata']);
  const now = core.now();
  core.state.seq += 1;
  const job: IndexedAssetRecord = {
    id: newId(now),
    seq: core.state.seq,
    indexId: index.id,
    assetId: asset.id,
    status: 'pending',
    createdAt: now,
    updatedAt: now,
    userMetadata,
    enableVideoStream: body.enable_video_stream === true,
  };
  core.state.indexedAssets.set(job.id, job);
  const failNext = context.faults.failJobsNext;
  const fail = failNext !== undefined && failNext.count > 0;
  if (fail) failNext.count -= 1;
  core.index(job.id, fail);
  await core.state.save();
  sendJson(context.response, 202, { _id: job.id, asset_id: asset.id });
}

const STATUSES = new Set(['pending', 'queued', 'indexing', 'ready', 'failed']);

async function listIndexedAssets(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const index = findIndex(core, context.params[0]);
  const page = intParam(context.query, 'page', 1, 1, 1_000_000);
  const limit = intParam(context.query, 'page_limit', 10, 1, 50);
  const statuses = context.query.getAll('status');
  for (const status of statuses) {
    if (!STATUSES.has(status)) {
      throw seedError(400, 'parameter_invalid', { parameter: 'status', detail: `Unknown status ${status}.` });
    }
  }
  const filename = context.query.get('filename')?.toLowerCase();
  const sortBy = context.query.get('sort_by') ?? 'created_at';
  const ascending = context.query.get('sort_option') === 'asc';
  const key = (job: IndexedAssetRecord) => (sortBy === 'updated_at' ? job.updatedAt : job.createdAt) * 1e6 + job.seq;
  const all = [...core.state.indexedAssets.values()]
    .filter((job) => job.indexId === index.id)
    .filter((job) => statuses.length === 0 || statuses.includes(job.status))
    .filter((job) => !filename || (core.state.assets.get(job.assetId)?.filename.toLowerCase() ?? '').includes(filename))
    .sort((a, b) => (ascending ? key(a) - key(b) : key(b) - key(a)));
  const data = all.slice((page - 1) * limit, page * limit).map((job) => indexedAssetJson(core, job));
  sendJson(context.response, 200, { data, page_info: pageInfo(page, limit, all.length) });
}

function findJob(core: EmulatorCore, index: IndexRecord, id: string | undefined): IndexedAssetRecord {
  const job = core.state.indexedAssets.get(id ?? '');
  if (!job || job.indexId !== index.id) {
    throw seedError(404, 'resource_not_exist', { id: id ?? '', collection: 'indexed assets' });
  }
  return job;
}

async function assetIndexes(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const assetId = context.params[0] ?? '';
  if (!core.state.assets.has(assetId))
    throw seedError(404, 'resource_not_exist', { id: assetId, collection: 'assets' });
  const page = intParam(context.query, 'page', 1, 1, 1_000_000);
  const limit = intParam(context.query, 'page_limit', 10, 1, 50);
  const all = [...core.state.indexedAssets.values()]
    .filter((job) => job.assetId === assetId && core.state.indexes.has(job.indexId))
    .sort((a, b) => b.seq - a.seq);
  const data = all.slice((page - 1) * limit, page * limit).map((job) => ({
    _id: job.id,
    index: { _id: job.indexId, name: core.state.indexes.get(job.indexId)!.name },
  }));
  sendJson(context.response, 200, { data, page_info: pageInfo(page, limit, all.length) });
}

const ID = '([^/]+)';

export const indexRoutes: readonly Route[] = [
  {
    name: 'POST /indexes',
    method: 'POST',
    pattern: /^\/v1\.3\/indexes\/?$/,
    family: 'indexes',
    auth: true,
    handle: createIndex,
  },
  {
    name: 'GET /indexes',
    method: 'GET',
    pattern: /^\/v1\.3\/indexes\/?$/,
    family: 'indexes',
    auth: true,
    handle: listIndexes,
  },
  {
    name: 'GET /indexes/{id}',
    method: 'GET',
    pattern: new RegExp(`^/v1\\.3/indexes/${ID}$`),
    family: 'indexes',
    auth: true,
    handle: async (context) =>
      sendJson(context.response, 200, indexJson(context.emulator, findIndex(context.emulator, context.params[0]))),
  },
  {
    name: 'PUT /indexes/{id}',
    method: 'PUT',
    pattern: new RegExp(`^/v1\\.3/indexes/${ID}$`),
    family: 'indexes',
    auth: true,
    handle: renameIndex,
  },
  {
    name: 'DELETE /indexes/{id}',
    method: 'DELETE',
    pattern: new RegExp(`^/v1\\.3/indexes/${ID}$`),
    family: 'indexes',
    auth: true,
    handle: deleteIndex,
  },
  {
    name: 'POST /indexes/{id}/indexed-assets',
    method: 'POST',
    pattern: new RegExp(`^/v1\\.3/indexes/${ID}/indexed-assets/?$`),
    family: 'indexes',
    auth: true,
    handle: indexAsset,
  },
  {
    name: 'GET /indexes/{id}/indexed-assets',
    method: 'GET',
    pattern: new RegExp(`^/v1\\.3/indexes/${ID}/indexed-assets/?$`),
    family: 'indexes',
    auth: true,
    handle: listIndexedAssets,
  },
  {
    name: 'GET /indexes/{id}/indexed-assets/{id}',
    method: 'GET',
    pattern: new RegExp(`^/v1\\.3/indexes/${ID}/indexed-assets/${ID}$`),
    family: 'indexes',
    auth: true,
    handle: async (context) => {
      const core = context.emulator;
      const index = findIndex(core, context.params[0]);
      sendJson(context.response, 200, indexedAssetJson(core, findJob(core, index, context.params[1])));
    },
  },
  {
    name: 'DELETE /indexes/{id}/indexed-assets/{id}',
    method: 'DELETE',
    pattern: new RegExp(`^/v1\\.3/indexes/${ID}/indexed-assets/${ID}$`),
    family: 'indexes',
    auth: true,
    handle: async (context) => {
      const core = context.emulator;
      const job = findJob(core, findIndex(core, context.params[0]), context.params[1]);
      core.state.indexedAssets.delete(job.id);
      await core.state.save();
      sendEmpty(context.response, 204);
    },
  },
  {
    name: 'GET /assets/{id}/indexed-assets',
    method: 'GET',
    pattern: new RegExp(`^/v1\\.3/assets/${ID}/indexed-assets/?$`),
    family: 'indexes',
    auth: true,
    handle: assetIndexes,
  },
];
