import { timestamp } from './http';
import type { AssetRecord, SessionRecord } from './state';
import { technicalMetadata } from './media';

/** The `Asset` shape of create responses. `user_metadata` is absent when empty, as the API does. */
export function assetJson(asset: AssetRecord): Record<string, unknown> {
  return {
    _id: asset.id,
    method: asset.method,
    status: asset.status,
    filename: asset.filename,
    file_type: asset.fileType,
    created_at: timestamp(asset.createdAt),
    ...(Object.keys(asset.userMetadata).length > 0 && { user_metadata: asset.userMetadata }),
  };
}

/** The `AssetDetail` shape of retrieve and list. */
export function assetDetailJson(asset: AssetRecord, origin: string): Record<string, unknown> {
  const detail = assetJson(asset);
  const files = `${origin}/__files/${asset.id}`;
  if (asset.status === 'ready' && asset.size !== undefined) {
    detail.size = asset.size;
    if (asset.probe?.duration !== undefined && asset.probe.kind !== 'image') detail.duration = asset.probe.duration;
  }
  if (asset.hls) {
    detail.hls = {
      status: asset.hls.status,
      ...(asset.hls.status === 'ready' && { manifest_url: `${files}/hls/index.m3u8` }),
    };
  }
  if (asset.thumbnail) {
    detail.thumbnail = {
      status: asset.thumbnail.status,
      ...(asset.thumbnail.status === 'ready' && { representative_url: `${files}/thumbnail.jpg` }),
    };
  }
  if (asset.status !== 'processing' && asset.probe && asset.size !== undefined) {
    detail.technical_metadata = technicalMetadata(asset.probe, asset.size);
  }
  if (asset.status === 'failed') detail.error = { message: asset.errorMessage ?? 'Processing failed.' };
  return detail;
}

/** `page_info` of every paged route. */
export function pageInfo(page: number, limit: number, total: number): Record<string, number> {
  return { limit_per_page: limit, page, total_page: Math.ceil(total / limit), total_results: total };
}

export function sessionSummaryJson(session: SessionRecord): Record<string, unknown> {
  return {
    upload_id: session.uploadId,
    status: session.status,
    total_size: session.totalSize,
    chunk_size: session.chunkSize,
    total_chunks: session.totalChunks,
    created_at: timestamp(session.createdAt),
    expires_at: timestamp(session.expiresAt),
  };
}
