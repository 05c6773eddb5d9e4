import { z } from 'zod';
import type { InvokeChannel } from './ipc-contract';
import { LINK_TEXT_MAX_CHARS } from './links';
import { metadataKeyProblem } from './metadata';
import { PAGE_ROWS_MAX } from './queue-pages';
import { settingsPatchSchema, settingsSchema } from './settings';

/**
 * The argument schema of every invoke channel. `satisfies` makes a channel without a schema a type
 * error, so nothing reaches a handler unvalidated.
 */
const itemId = z.uuid('Unknown item.');
const itemIds = z.array(itemId).max(1_000_000);
const queueQuery = z.strictObject({
  filter: z.enum(['all', 'uploading', 'processing', 'waiting', 'attention', 'done']),
  source: z.string().max(32_767).nullable(),
  search: z.string().max(1000),
  sort: z.enum(['added', 'name', 'size', 'state']),
});
const rowsQuery = queueQuery.extend({
  grouped: z.boolean(),
  collapsed: z.array(z.string().max(70_000)).max(100_000),
});
/** Picked files as the list shows them: by id, or all a few queries show but some. */
const picked = z.union([
  z.strictObject({ ids: itemIds }),
  z.strictObject({ all: z.array(queueQuery).max(100), except: itemIds }),
]);
const pickedInView = z.strictObject({ picked, view: queueQuery });
const selection = z.union([z.literal('all'), itemIds, pickedInView]);
const targets = z.union([itemIds, pickedInView]);
/** Absolute on any system: `/…`, `C:\…` or `C:/…`, or a share `\\server\…`. */
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\\\[^\\])/;
/**
 * A file system path as the OS gave it: absolute, with no NUL, and no longer than any OS allows. A
 * relative path would be read against main's working folder, which nobody chose.
 */
export const filePath = z
  .string()
  .min(1)
  .max(32_767)
  .refine((value) => ABSOLUTE.test(value) && !value.includes('\0'), 'Only whole paths of dropped files are accepted.');
/** TwelveLabs asset ids are short opaque tokens; anything else is refused before a request is made. */
const assetId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'Unknown asset.');
const assetIds = z.array(assetId).min(1, 'Nothing is selected.').max(1_000_000);
const metadataKey = z.string().superRefine((key, context) => {
  const problem = metadataKeyProblem(key);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});
const metadataValue = z.union([z.string().max(10_000), z.number().finite(), z.boolean()]);
const libraryQuery = z.strictObject({
  search: z.string().max(1000),
  kind: z.enum(['all', 'video', 'audio', 'image', 'document']),
  status: z.enum(['all', 'processing', 'ready', 'failed']),
  sort: z.enum(['newest', 'oldest', 'name']),
  // An index's id is an opaque token like an asset's.
  index: z.union([z.enum(['all', 'none']), assetId]),
});

export const INVOKE_ARG_SCHEMAS = {
  'session:state': z.tuple([]),
  'settings:get': z.tuple([]),
  // The address is not a plain setting: page script must not be able to point the key elsewhere.
  'settings:update': z.tuple([
    settingsPatchSchema.omit({ apiBaseUrl: true, watchedFolders: true, certificateFile: true }),
  ]),
  'settings:change-api-address': z.tuple([z.string().max(2000)]),
  'secrets:set-api-key': z.tuple([
    z.string().trim().min(1, 'Paste your API key.').max(512, 'That is too long to be an API key.'),
  ]),
  'secrets:clear-api-key': z.tuple([]),
  'uploads:view': z.tuple([
    rowsQuery.extend({
      from: z.number().int().min(0),
      count: z.number().int().min(0).max(PAGE_ROWS_MAX),
      picked,
    }),
  ]),
  'uploads:row-ids': z.tuple([rowsQuery, z.number().int().min(0), z.number().int().min(0)]),
  'uploads:pick-files': z.tuple([]),
  'uploads:pick-folder': z.tuple([]),
  'uploads:add-dropped': z.tuple([z.array(filePath).min(1, 'Nothing was dropped.').max(100_000)]),
  'uploads:add-links': z.tuple([
    z.string().max(LINK_TEXT_MAX_CHARS, 'That is too much text at once; add the links in parts.'),
  ]),
  'uploads:pick-link-list': z.tuple([]),
  'uploads:pause': z.tuple([selection]),
  'uploads:resume': z.tuple([selection]),
  'uploads:cancel': z.tuple([selection]),
  'uploads:retry': z.tuple([selection]),
  'uploads:retry-indexing': z.tuple([selection]),
  'uploads:make-copies': z.tuple([itemIds]),
  'settings:ffmpeg': z.tuple([]),
  'indexes:list': z.tuple([]),
  'indexes:create': z.tuple([
    z.strictObject({
      name: z.string().trim().min(1).max(100),
      visual: z.boolean(),
      audio: z.boolean(),
      thumbnails: z.boolean(),
    }),
  ]),
  'uploads:remove': z.tuple([targets]),
  'uploads:move-to-top': z.tuple([targets]),
  'uploads:upload-now': z.tuple([targets]),
  'uploads:clear-finished': z.tuple([]),
  'uploads:undo-clear': z.tuple([]),
  'uploads:history': z.tuple([]),
  'uploads:export-report': z.tuple([z.string().min(1).max(100), z.enum(['csv', 'json', 'sheet'])]),
  'uploads:batch-files': z.tuple([z.string().min(1).max(100)]),
  'uploads:reveal': z.tuple([itemId]),
  'app:copy-diagnostics': z.tuple([]),
  'network:check': z.tuple([]),
  'network:status': z.tuple([]),
  'network:choose-certificate': z.tuple([]),
  'network:forget-certificate': z.tuple([]),
  'network:set-proxy-login': z.tuple([
    z.strictObject({ user: z.string().min(1).max(256), password: z.string().max(1024) }).nullable(),
  ]),
  'app:copy-text': z.tuple([z.string().min(1).max(10_000)]),
  'library:list': z.tuple([
    libraryQuery,
    z
      .strictObject({
        askServer: z.boolean().optional(),
        offset: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
      })
      .optional(),
  ]),
  'library:ids': z.tuple([libraryQuery]),
  'library:keys': z.tuple([]),
  'library:refresh': z.tuple([]),
  'library:detail': z.tuple([assetId]),
  'library:update-metadata': z.tuple([
    assetId,
    z.enum(['merge', 'replace', 'clear']),
    z.record(metadataKey, metadataValue.nullable()),
  ]),
  'library:set-key': z.tuple([assetIds, metadataKey, metadataValue.nullable()]),
  'library:delete': z.tuple([assetIds, z.boolean()]),
  'library:add-to-index': z.tuple([
    assetIds,
    z.strictObject({ id: z.string().min(1).max(200), name: z.string().min(1).max(500) }),
  ]),
  'library:export': z.tuple([z.union([assetIds, libraryQuery]), z.enum(['csv', 'json'])]),
  'library:reveal-source': z.tuple([assetId]),
  'watch:list': z.tuple([]),
  'watch:add': z.tuple([]),
  'watch:update': z.tuple([
    z.string().min(1).max(4096),
    z
      .object({
        paused: z.boolean().optional(),
        subfolders: z.boolean().optional(),
        polling: z.enum(['auto', 'on', 'off']).optional(),
        metadataTemplate: settingsSchema.shape.metadataTemplate.optional(),
        filesAreFor: z.enum(['search', 'analysis', 'embeddings', 'entities']).nullable().optional(),
        uploadCopies: z.enum(['skip', 'ask', 'copy']).nullable().optional(),
        index: z
          .object({ id: z.string().min(1).max(200), name: z.string().min(1).max(500) })
          .nullable()
          .optional(),
      })
      .strict(),
  ]),
  'watch:remove': z.tuple([z.string().min(1).max(4096)]),
  'updates:get': z.tuple([]),
  'updates:check': z.tuple([]),
  'updates:restart': z.tuple([]),
} as const satisfies Record<InvokeChannel, z.ZodType>;

/** One readable sentence from a failed validation, for the `{ ok: false }` message. */
/** A refusal in words: the schema's own messages (they name the field and the range). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join(' ');
}

/** The setting (or argument field) a refusal is about, when it is about one: `filesInFlight`. */
export function issueField(error: z.ZodError): string | undefined {
  const names = new Set(error.issues.map((issue) => issue.path.findLast((part) => typeof part === 'string')));
  const [only] = names;
  return names.size === 1 && typeof only === 'string' ? only : undefined;
}
