import type { ApiErrorCode } from './api-errors';
import { m } from './i18n';

/** What the person can do about a problem; surfaces turn it into a button where they can. */
export type Remedy = 'retry' | 'remove' | 'replace-file' | 'update-key' | 'check-url' | 'wait' | 'contact-support';

export interface PlainError {
  /** What happened, in the user's words. */
  readonly message: string;
  /** What to do next. */
  readonly action: string;
  readonly remedy: Remedy;
  /** Whether trying the same upload again can succeed. */
  readonly retryable: boolean;
}

/** An entry whose words are read in the language of the moment, whenever they are read. */
function entry(message: () => string, action: () => string, remedy: Remedy, retryable: boolean): PlainError {
  return {
    get message() {
      return message();
    },
    get action() {
      return action();
    },
    remedy,
    retryable,
  };
}

/**
 * Every error code the Assets API documents, plus the app's own, mapped to plain language and an
 * action (UX.md: never an HTTP status or a code as the main text). The server's own message still
 * travels with the item for "Details".
 */
export const ERROR_CATALOGUE: Readonly<Record<ApiErrorCode | AppErrorCode, PlainError>> = {
  content_type_invalid: entry(m.error_form, m.error_action_support, 'contact-support', true),
  multipart_boundary_missing: entry(m.error_form, m.error_action_support, 'contact-support', true),
  invalid_multipart: entry(m.error_invalid_multipart, m.error_action_try_again, 'retry', true),
  parameter_not_provided: entry(m.error_parameter_not_provided, m.error_action_support, 'contact-support', false),
  parameter_invalid: entry(m.error_parameter_invalid, m.error_parameter_invalid_action, 'replace-file', false),
  media_url_unsupported_format: entry(m.error_url_format, m.error_url_format_action, 'check-url', false),
  media_url_not_accessible: entry(m.error_url_not_accessible, m.error_url_not_accessible_action, 'check-url', true),
  media_url_file_broken: entry(m.error_url_file_broken, m.error_url_file_broken_action, 'check-url', false),
  media_filesize_too_large: entry(m.error_file_too_large, m.error_action_smaller, 'replace-file', false),
  video_file_broken: entry(m.error_video_broken, m.error_video_broken_action, 'replace-file', false),
  video_file_live: entry(m.error_video_live, m.error_video_live_action, 'check-url', false),
  video_resolution_too_low: entry(m.error_video_too_small, m.error_video_too_small_action, 'replace-file', false),
  video_resolution_too_high: entry(m.error_video_too_big, m.error_video_too_big_action, 'replace-file', false),
  video_resolution_invalid_aspect_ratio: entry(m.error_video_shape, m.error_video_shape_action, 'replace-file', false),
  video_duration_too_short: entry(m.error_video_too_short, m.error_video_too_short_action, 'replace-file', false),
  video_duration_too_long: entry(m.error_video_too_long, m.error_action_split, 'replace-file', false),
  video_filesize_too_large: entry(m.error_video_file_too_large, m.error_action_smaller, 'replace-file', false),
  audio_file_broken: entry(m.error_audio_broken, m.error_action_fix_file, 'replace-file', false),
  audio_duration_too_short: entry(m.error_audio_too_short, m.error_audio_too_short_action, 'replace-file', false),
  audio_duration_too_long: entry(m.error_audio_too_long, m.error_action_split, 'replace-file', false),
  audio_filesize_too_large: entry(m.error_audio_file_too_large, m.error_action_smaller, 'replace-file', false),
  audio_format_unsupported: entry(m.error_audio_format, m.error_audio_format_action, 'replace-file', false),
  resource_not_exist: entry(m.error_not_exist, m.error_not_exist_action, 'remove', false),
  api_key_invalid: entry(m.error_key_invalid, m.error_key_invalid_action, 'update-key', true),
  too_many_requests: entry(m.error_too_many_requests, m.error_action_nothing, 'wait', true),
  asset_in_use: entry(m.error_asset_in_use, m.error_asset_in_use_action, 'contact-support', false),
  upload_session_expired: entry(m.error_session_expired, m.error_action_restarts, 'wait', true),
  unsupported_type: entry(m.error_unsupported_type, m.error_action_remove, 'remove', false),
  file_changed: entry(m.error_file_changed, m.error_file_changed_action, 'retry', true),
  file_missing: entry(m.error_file_missing, m.error_file_missing_action, 'remove', true),
  network: entry(m.error_network, m.error_network_action, 'retry', true),
  server_error: entry(m.error_server, m.error_server_action, 'retry', true),
  processing_failed: entry(m.error_processing_failed, m.error_processing_failed_action, 'replace-file', false),
  incomplete: entry(m.error_incomplete, m.error_incomplete_action, 'retry', true),
  insecure_upload_url: entry(m.error_insecure_url, m.error_insecure_url_action, 'contact-support', true),
  copy_failed: entry(m.copy_failed, m.error_action_try_again, 'retry', true),
  unknown: entry(m.error_unknown, m.error_unknown_action, 'retry', true),
};

/** Codes the app produces itself, beside the API's. */
export type AppErrorCode =
  | 'unsupported_type'
  | 'file_changed'
  | 'file_missing'
  | 'network'
  | 'server_error'
  | 'processing_failed'
  | 'incomplete'
  | 'insecure_upload_url'
  /** FFmpeg could not make an upload copy (its own words go to Details). */
  | 'copy_failed'
  | 'unknown';

/**
 * Why a request from the window or the CLI was refused (a bad argument, a sender not trusted, a
 * queue that cannot be written): the words come with each refusal, written where it happens.
 */
export type RefusalCode =
  | 'address_not_allowed'
  | 'certificate_unreadable'
  | 'disk_full'
  | 'folder_not_watchable'
  | 'index_name'
  | 'index_not_made'
  | 'index_options'
  | 'indexes_unreadable'
  | 'internal_error'
  | 'invalid_argument'
  | 'invalid_setting'
  | 'key_check_failed'
  | 'link_list_too_large'
  | 'link_list_unreadable'
  | 'metadata_invalid'
  | 'metadata_type'
  | 'network_blocked'
  | 'no_batch'
  | 'no_links'
  | 'no_source'
  | 'not_a_file'
  | 'not_watched'
  | 'offline'
  | 'proxy_login_unavailable'
  | 'reserved_key'
  | 'settings_invalid'
  | 'storage_failed'
  | 'unknown_channel'
  | 'unknown_item'
  | 'untrusted_sender';

/** Every code a failure may carry: the API's, the app's own, and a request's refusals. */
export type FailureCode = ApiErrorCode | AppErrorCode | RefusalCode;

/** The catalogue's entry for a code it has, or null (the words then come with the problem itself). */
export function catalogued(code: string): PlainError | null {
  return code !== 'unknown' && isCatalogued(code) ? ERROR_CATALOGUE[code] : null;
}

/** True for a code the catalogue has words for (a server may send others). */
export function isCatalogued(code: string): code is ApiErrorCode | AppErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/** The plain entry for any code, known or not. */
export function plainError(code: string): PlainError {
  return (ERROR_CATALOGUE as Record<string, PlainError>)[code] ?? ERROR_CATALOGUE.unknown;
}
