/**
 * The error codes the Assets API documents, with the server's own message templates (from the seed
 * API page). `{name}` placeholders are filled from the situation. The emulator answers with these;
 * the app maps each code to plain words and an action for people.
 */
export const API_ERROR_TEMPLATES = {
  content_type_invalid: 'The content type {content_type} is not supported. Please use multipart/form-data.',
  multipart_boundary_missing: 'Multipart boundary is missing. Please provide the boundary in the Content-Type header.',
  invalid_multipart: 'Invalid multipart form. Please check your implementation and try again.',
  parameter_not_provided: 'The {parameter} parameter is required but was not provided. {detail}',
  parameter_invalid: 'The {parameter} parameter is invalid. {detail}',
  media_url_unsupported_format:
    'The file at the provided URL is not a supported media format. Detected format: {detected_format}. Please provide a valid asset file.',
  media_url_not_accessible:
    'Cannot access the media URL {url}. The server responded with an error. Please verify the URL is correct and publicly accessible.',
  media_url_file_broken:
    'Cannot read the media file at the specified URL. Please verify the file is valid and try again.',
  media_filesize_too_large:
    'The media file is too large. Please upload a file smaller than {maximum_size}. The current size is {current_size}.',
  video_file_broken: 'Unable to process video file. Please check if the file is valid and try again.',
  video_file_live: 'Live video streams are not supported. Please provide a URL that is not a live stream.',
  video_resolution_too_low:
    'The resolution of the video is too low. Please upload a video with a resolution between {minimum_resolution} and {maximum_resolution}. Current resolution is {current_resolution}.',
  video_resolution_too_high:
    'The resolution of the video is too high. Please upload a video with a resolution between {minimum_resolution} and {maximum_resolution}. Current resolution is {current_resolution}.',
  video_resolution_invalid_aspect_ratio:
    'The aspect ratio of the video is invalid. Please upload a video with an aspect ratio between 1:1 and {maximum_aspect_ratio}. Current resolution is {current_resolution}.',
  video_duration_too_short:
    'The video is too short. Please use a video with a duration of at least {minimum_duration} seconds. Current duration is {current_duration} seconds.',
  video_duration_too_long:
    'The video is too long. Please use a video with a duration between {minimum_duration} and {maximum_duration} seconds. Current duration is {current_duration} seconds.',
  video_filesize_too_large:
    'The video is too large. Please use a video with a size less than {maximum_size}. The current size is {current_size}.',
  audio_file_broken: 'Unable to process audio file. Please check if the file is valid and try again.',
  audio_duration_too_short:
    'The audio is too short. Please use an audio file with a duration of at least {minimum_duration} seconds. Current duration is {current_duration} seconds.',
  audio_duration_too_long:
    'The audio is too long. Please use an audio file with a duration between {minimum_duration} and {maximum_duration} seconds. Current duration is {current_duration} seconds.',
  audio_filesize_too_large:
    'The audio is too large. Please use an audio file with a size less than {maximum_size}. The current size is {current_size}.',
  audio_format_unsupported:
    'The audio format {format} is not supported. Please use one of the following formats: {supported_formats}.',
  resource_not_exist: 'Resource with id {id} does not exist in {collection}.',
  api_key_invalid: 'The API key you provided is not valid. Please check your API key and try again.',
  too_many_requests:
    'You have exceeded the rate limit ({limit} requests per {window}). Please retry after {retry_after} seconds.',
  asset_in_use:
    'The asset {id} is used by one or more indexed assets. Delete them first, or set force=true to delete the asset anyway.',
  upload_session_expired: 'The upload session {id} expired at {expires_at}. Start a new multipart upload.',
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_TEMPLATES;

/** The template with its placeholders filled; an unknown placeholder is left visible, not dropped. */
export function apiErrorMessage(code: ApiErrorCode, values: Readonly<Record<string, string | number>> = {}): string {
  return API_ERROR_TEMPLATES[code].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
