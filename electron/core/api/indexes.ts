import type { IndexChoice, IndexSummary } from '../../shared/indexes';
import { fail, ok, type Result } from '../../shared/result';
import type { ApiClient } from './client';
import type { WireIndex } from './types';
import { formatNumber, m } from '../../shared/i18n';

/** Indexes read at most (20 pages of 50): a picker of more would not be read by anyone. */
const MAX_PAGES = 20;

function summaryOf(index: WireIndex): IndexSummary {
  const search = index.models.find((model) => model.model_name.startsWith('marengo')) ?? index.models[0];
  const expires = index.expires_at ? Date.parse(index.expires_at) : NaN;
  return {
    id: index._id,
    name: index.index_name,
    videoCount: index.video_count,
    totalSeconds: index.total_duration,
    expiresAt: Number.isFinite(expires) ? expires : null,
    options: search?.model_options ?? [],
    thumbnails: index.addons.includes('thumbnail'),
  };
}

/**
 * The jobs that hold (or are indexing) an asset, with their indexes: TwelveLabs lists every job
 * for the asset, failed ones too, so each is asked where it stands (`indexId` asks about one
 * index only). Asked before any request to index: a second request is billed again.
 */
export async function liveJobs(
  client: Pick<ApiClient, 'assetIndexes' | 'getIndexedAsset'>,
  assetId: string,
  signal?: AbortSignal,
  indexId?: string,
): Promise<{ readonly jobId: string; readonly index: IndexChoice }[]> {
  const live: { jobId: string; index: IndexChoice }[] = [];
  for (const entry of await client.assetIndexes(assetId, signal)) {
    if (indexId !== undefined && entry.index._id !== indexId) continue;
    if (live.some((job) => job.index.id === entry.index._id)) continue;
    const job = await client.getIndexedAsset(entry.index._id, entry._id, signal);
    if (job.status !== 'failed')
      live.push({ jobId: entry._id, index: { id: entry.index._id, name: entry.index.name } });
  }
  return live;
}

/** The job holding an asset in one index, if one does (see `liveJobs`). */
export async function liveJob(
  client: Pick<ApiClient, 'assetIndexes' | 'getIndexedAsset'>,
  assetId: string,
  indexId: string,
  signal?: AbortSignal,
): Promise<string | null> {
  return (await liveJobs(client, assetId, signal, indexId))[0]?.jobId ?? null;
}

/** The indexes files can be searched in (Marengo's), newest first. */
export async function searchIndexes(client: Pick<ApiClient, 'listIndexes'>): Promise<IndexSummary[]> {
  const found: IndexSummary[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const result = await client.listIndexes(page, 50);
    for (const index of result.data) {
      if (index.models.length === 0 || index.models.some((model) => model.model_name.startsWith('marengo'))) {
        found.push(summaryOf(index));
      }
    }
    if (result.data.length < 50 || page >= result.pageInfo.total_page) break;
  }
  return found;
}

/** The index a person named, by id or by name (exactly, else ignoring case when that is unique). */
export function findIndex(indexes: readonly IndexSummary[], nameOrId: string): IndexSummary | null {
  const wanted = nameOrId.trim();
  const exact = indexes.find((index) => index.id === wanted || index.name === wanted);
  if (exact) return exact;
  const folded = indexes.filter((index) => index.name.toLowerCase() === wanted.toLowerCase());
  return folded.length === 1 ? folded[0]! : null;
}

/** Why an index name cannot be used, in words, or null. */
function nameProblem(name: string, existing: readonly IndexSummary[]): string | null {
  if (name === '') return m.index_give_name();
  if (name.length > 100) return m.index_name_long({ n: formatNumber(100) });
  if (existing.some((index) => index.name === name)) return m.index_exists({ name });
  return null;
}

/**
 * Makes an index for search: Marengo with what it should search (what is seen, what is heard,
 * or both) and, if asked, thumbnails. None of it can be changed later, and names are unique: a
 * name taken, or nothing to search, is refused in words before anything is made.
 */
export async function createSearchIndex(
  client: Pick<ApiClient, 'createIndex' | 'listIndexes'>,
  options: { readonly name: string; readonly visual: boolean; readonly audio: boolean; readonly thumbnails: boolean },
): Promise<Result<IndexSummary>> {
  const name = options.name.trim();
  const modelOptions = [...(options.visual ? ['visual' as const] : []), ...(options.audio ? ['audio' as const] : [])];
  if (modelOptions.length === 0) {
    return fail('index_options', m.index_seen_or_heard());
  }
  const problem = nameProblem(name, await searchIndexes(client));
  if (problem) return fail('index_name', problem);
  const id = await client.createIndex({ name, options: modelOptions, thumbnails: options.thumbnails });
  // As it was made: a new index holds nothing yet.
  return ok({
    id,
    name,
    videoCount: 0,
    totalSeconds: 0,
    expiresAt: null,
    options: modelOptions,
    thumbnails: options.thumbnails,
  });
}
