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
