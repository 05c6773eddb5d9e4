import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../../../electron/core/upload/failure';
import { ApiError } from '../../../../electron/core/api/errors';
import { FileProblem } from '../../../../electron/core/upload/file-facts';
import { plainError } from '../../../../electron/shared/error-catalogue';

describe("every failure in the catalogue's words", () => {
  it('maps the API, a local file, the disk and anything else the same way everywhere', () => {
    expect(describeFailure(new ApiError('network', 'socket hang up'))).toEqual({
      code: 'network',
      words: plainError('network').message,
      detail: 'socket hang up',
      retryable: true,
    });
    expect(describeFailure(new ApiError('http', 'Bad gateway', 502, 'upstream'))).toMatchObject({
      code: 'server_error',
      retryable: true,
    });
    // A code TwelveLabs sends that the catalogue does not know: unknown, its words kept.
    expect(describeFailure(new ApiError('http', 'Something new', 400, 'brand_new_code'))).toEqual({
      code: 'unknown',
      words: plainError('unknown').message,
      detail: 'Something new',
      retryable: true,
    });
    expect(describeFailure(new ApiError('http', 'Invalid key', 401, 'api_key_invalid'))).toMatchObject({
      code: 'api_key_invalid',
      words: plainError('api_key_invalid').message,
    });
    expect(describeFailure(new FileProblem('file_missing'))).toEqual({
      code: 'file_missing',
      words: plainError('file_missing').message,
      retryable: plainError('file_missing').retryable,
    });
    expect(describeFailure(Object.assign(new Error('no space'), { code: 'ENOSPC' }))).toMatchObject({
      code: 'storage_failed',
      words: expect.stringContaining('Your disk is full.'),
      retryable: true,
    });
    expect(describeFailure(new TypeError('x is undefined'))).toEqual({
      code: 'unknown',
      words: plainError('unknown').message,
      detail: 'x is undefined',
      retryable: true,
    });
  });
});
