/** Wire shapes of the Assets API (snake_case, as sent). Only the fields the app reads are typed. */

export interface WireAsset {
  _id: string;
  method: 'direct' | 'url' | 'multipart';
  status: 'processing' | 'ready' | 'failed';
  filename: string;
  file_type: string;
  created_at: string;
  user_metadata?: Record<string, string | number | boolean>;
}

export interface WireAssetDetail extends WireAsset {
  size?: number;
  duration?: number;
  hls?: { status: 'pending' | 'processing' | 'ready' | 'error'; manifest_url?: string };
  thumbnail?: { status: 'pending' | 'processing' | 'ready' | 'error'; representative_url?: string };
  technical_metadata?: Record<string, unknown>;
  error?: { message: string };
}

export interface WirePageInfo {
  limit_per_page: number;
  page: number;
  total_page: number;
  total_results: number;
}

export interface WirePresignedUrl {
  chunk_index: number;
  url: string;
  expires_at: string;
}

export interface WireMultipartSession {
  upload_id: string;
  asset_id: string;
  upload_urls?: WirePresignedUrl[];
  upload_headers?: Record<string, string>;
  chunk_size: number;
  total_chunks: number;
  expires_at: string;
}

export interface WireReportResponse {
  asset_id?: string;
  processed_chunks?: number;
  duplicate_chunks?: number;
  total_completed?: number;
  url?: string;
}

export interface WireUploadStatus {
  upload_id: string;
  status: 'active' | 'completed' | 'failed' | 'expired';
  uploaded_chunks: { index: number; status: 'completed' | 'pending' | 'failed' }[];
  chunks_completed: number;
  page_info: WirePageInfo;
}

export interface WireIncompleteUpload {
  upload_id: string;
  status: string;
  total_size: number;
  chunk_size: number;
  total_chunks: number;
  created_at?: string;
  expires_at?: string;
}

/** An index (v1.3 `IndexSchema`), as far as this app uses it. */
export interface WireIndex {
  _id: string;
  index_name: string;
  created_at?: string;
  expires_at?: string;
  video_count: number;
  /** Seconds of video in it. */
  total_duration: number;
  models: { model_name: string; model_options: string[] }[];
  addons: string[];
}

/** An asset put into an index: a job ending `ready` (searchable) or `failed`. */
export interface WireIndexedAsset {
  _id: string;
  asset_id?: string;
  status: 'pending' | 'queued' | 'indexing' | 'ready' | 'failed';
  created_at?: string;
  updated_at?: string;
  indexed_at?: string;
}

/** One entry of `GET /assets/{id}/indexed-assets`: which index holds the asset. */
export interface WireAssetIndex {
  _id: string;
  index: { _id: string; name: string };
}
