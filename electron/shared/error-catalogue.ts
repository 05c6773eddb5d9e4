import type { ApiErrorCode } from './api-errors';

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

const FIX_FILE = 'Export the file again in a supported format, or remove it from the list.';

/**
 * Every error code the Assets API documents, plus the app's own, mapped to plain language and an
 * action (UX.md: never an HTTP status or a code as the main text). The server's own message still
 * travels with the item for "Details".
 */
export const ERROR_CATALOGUE: Readonly<Record<ApiErrorCode | AppErrorCode, PlainError>> = {
  content_type_invalid: {
    message: 'The upload was sent in a form TwelveLabs does not accept.',
    action: 'Try again; if it keeps happening, copy the diagnostics for support.',
    remedy: 'contact-support',
    retryable: true,
  },
  multipart_boundary_missing: {
    message: 'The upload was sent in a form TwelveLabs does not accept.',
    action: 'Try again; if it keeps happening, copy the diagnostics for support.',
    remedy: 'contact-support',
    retryable: true,
  },
  invalid_multipart: { message: 'The upload arrived damaged.', action: 'Try again.', remedy: 'retry', retryable: true },
  parameter_not_provided: {
    message: 'The upload was missing something TwelveLabs needs.',
    action: 'Try again; if it keeps happening, copy the diagnostics for support.',
    remedy: 'contact-support',
    retryable: false,
  },
  parameter_invalid: {
    message: 'TwelveLabs could not use this file or one of its details.',
    action: 'Open Details to see what was refused, fix it, and try again.',
    remedy: 'replace-file',
    retryable: false,
  },
  media_url_unsupported_format: {
    message: 'The address does not point to a video, audio or image file.',
    action: 'Use a direct link to the media file itself.',
    remedy: 'check-url',
    retryable: false,
  },
  media_url_not_accessible: {
    message: 'TwelveLabs could not open the address.',
    action: 'Check that the link is right and publicly reachable, then try again.',
    remedy: 'check-url',
    retryable: true,
  },
  media_url_file_broken: {
    message: 'The file at the address is damaged.',
    action: 'Check the file at its source, then try again.',
    remedy: 'check-url',
    retryable: false,
  },
  media_filesize_too_large: {
    message: 'The file is larger than TwelveLabs accepts.',
    action: 'Make the file smaller, or remove it from the list.',
    remedy: 'replace-file',
    retryable: false,
  },
  video_file_broken: {
    message: 'This video is damaged or incomplete.',
    action: 'Export or copy the video again, then add the new file.',
    remedy: 'replace-file',
    retryable: false,
  },
  video_file_live: {
    message: 'This is a live stream, not a recording.',
    action: 'Use the address of a finished recording.',
    remedy: 'check-url',
    retryable: false,
  },
  video_resolution_too_low: {
    message: 'The video picture is too small for TwelveLabs.',
    action: 'Use a version at least 360 pixels high and wide.',
    remedy: 'replace-file',
    retryable: false,
  },
  video_resolution_too_high: {
    message: 'The video picture is larger than TwelveLabs accepts.',
    action: 'Export a version no larger than 5184x2160.',
    remedy: 'replace-file',
    retryable: false,
  },
  video_resolution_invalid_aspect_ratio: {
    message: 'The video is too wide or too tall for TwelveLabs.',
    action: 'Crop or pad it to between 1:2.4 and 2.4:1.',
    remedy: 'replace-file',
    retryable: false,
  },
  video_duration_too_short: {
    message: 'The video is too short for TwelveLabs.',
    action: 'Use a clip of at least 4 seconds.',
    remedy: 'replace-file',
    retryable: false,
  },
  video_duration_too_long: {
    message: 'The video is longer than TwelveLabs accepts.',
    action: 'Split it into shorter parts.',
    remedy: 'replace-file',
    retryable: false,
  },
  video_filesize_too_large: {
    message: 'The video file is larger than TwelveLabs accepts.',
    action: 'Make the file smaller, or remove it from the list.',
    remedy: 'replace-file',
    retryable: false,
  },
  audio_file_broken: {
    message: 'This audio file is damaged or incomplete.',
    action: FIX_FILE,
    remedy: 'replace-file',
    retryable: false,
  },
  audio_duration_too_short: {
    message: 'The audio is too short for TwelveLabs.',
    action: 'Use a recording of at least 4 seconds.',
    remedy: 'replace-file',
    retryable: false,
  },
  audio_duration_too_long: {
    message: 'The audio is longer than TwelveLabs accepts.',
    action: 'Split it into shorter parts.',
    remedy: 'replace-file',
    retryable: false,
  },
  audio_filesize_too_large: {
    message: 'The audio file is larger than TwelveLabs accepts.',
    action: 'Make the file smaller, or remove it from the list.',
    remedy: 'replace-file',
    retryable: false,
  },
  audio_format_unsupported: {
    message: 'TwelveLabs does not accept this kind of audio file.',
    action: 'Convert it to WAV, MP3 or FLAC.',
    remedy: 'replace-file',
    retryable: false,
  },
  resource_not_exist: {
    message: 'TwelveLabs no longer has this item.',
    action: 'Remove it from the list, or upload the file again.',
    remedy: 'remove',
    retryable: false,
  },
  api_key_invalid: {
    message: 'Your API key was rejected.',
    action: 'Update it in Settings.',
    remedy: 'update-key',
    retryable: true,
  },
  too_many_requests: {
    message: 'TwelveLabs asked us to slow down.',
    action: 'Nothing to do: uploads continue by themselves.',
    remedy: 'wait',
    retryable: true,
  },
  asset_in_use: {
    message: 'This item is used by an index.',
    action: 'Delete it anyway only if you no longer need it in that index.',
    remedy: 'contact-support',
    retryable: false,
  },
  upload_session_expired: {
    message: 'The upload took longer than a day and had to start over.',
    action: 'Nothing to do: it restarts by itself.',
    remedy: 'wait',
    retryable: true,
  },
  unsupported_type: {
    message: 'This is not a video, audio, image or document file.',
    action: 'Remove it from the list.',
    remedy: 'remove',
    retryable: false,
  },
  file_changed: {
    message: 'The file changed while it was uploading.',
    action: 'Retry to upload the new version from the start.',
    remedy: 'retry',
    retryable: true,
  },
  file_missing: {
    message: 'The file is no longer where it was.',
    action: 'Reconnect the drive or remove this item.',
    remedy: 'remove',
    retryable: true,
  },
  network: {
    message: 'The connection to TwelveLabs kept failing.',
    action: 'Check your connection, then retry.',
    remedy: 'retry',
    retryable: true,
  },
  server_error: {
    message: 'TwelveLabs had a problem on its side.',
    action: 'Retry in a few minutes.',
    remedy: 'retry',
    retryable: true,
  },
  processing_failed: {
    message: 'TwelveLabs could not process this file.',
    action: 'Open Details for the reason; fix the file and upload it again.',
    remedy: 'replace-file',
    retryable: false,
  },
  incomplete: {
    message: 'TwelveLabs does not have every part of this file yet.',
    action: 'Retry: only the missing parts are sent again.',
    remedy: 'retry',
    retryable: true,
  },
  insecure_upload_url: {
    message: 'TwelveLabs gave an upload address that is not secure, so nothing was sent to it.',
    action: 'Retry later; if it keeps happening, copy the diagnostics for support.',
    remedy: 'contact-support',
    retryable: true,
  },
  unknown: {
    message: 'The upload failed for a reason we did not recognise.',
    action: 'Retry; if it keeps happening, copy the diagnostics for support.',
    remedy: 'retry',
    retryable: true,
  },
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
  | 'unknown';

/** The plain entry for any code, known or not. */
/** The catalogue's entry for a code it has, or null (the words then come with the problem itself). */
export function catalogued(code: string): PlainError | null {
  return code !== 'unknown' && Object.hasOwn(ERROR_CATALOGUE, code)
    ? (ERROR_CATALOGUE as Record<string, PlainError>)[code]!
    : null;
}

export function plainError(code: string): PlainError {
  return (ERROR_CATALOGUE as Record<string, PlainError>)[code] ?? ERROR_CATALOGUE.unknown;
}
