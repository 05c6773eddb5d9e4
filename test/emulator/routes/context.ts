import type { FaultSettings } from '../faults';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Limits } from '../../../electron/shared/limits';
import type { RouteFamily } from '../faults';
import type { EmulatorState } from '../state';

/** What every route handler gets: the request, its parsed address, and the emulator around it. */
export interface RouteContext {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  /** The request body, throttled when a bandwidth fault is set. */
  readonly body: Readable;
  readonly emulator: EmulatorCore;
  /** The faults in force for this route's family (their counters are shared, not copied). */
  readonly faults: FaultSettings;
}

export interface Route {
  readonly name: string;
  readonly method: string;
  readonly pattern: RegExp;
  /** Faults and rate limits apply per family; control and file routes have none. */
  readonly family?: RouteFamily;
  /** API routes need `x-api-key`; presigned chunk URLs and control routes do not. */
  readonly auth: boolean;
  readonly handle: (context: RouteContext) => Promise<void>;
}

/** The emulator's shared services, as route handlers see them. */
export interface EmulatorCore {
  readonly state: EmulatorState;
  readonly limits: Limits;
  readonly origin: () => string;
  /** Where presigned chunk URLs point (see `EmulatorOptions.storageHostname`). */
  readonly storageOrigin: () => string;
  readonly now: () => number;
  readonly options: {
    readonly chunkSize: number;
    readonly initialUrlCount: number;
    readonly urlTtlMs: number;
    readonly sessionTtlMs: number;
    readonly processingDelayMs: number;
    readonly mediaChecks: boolean;
    /** Refuse a video that breaks the model's rules at upload with the seed's 400 (see `findViolation`). */
    readonly modelRulesAtUpload: boolean;
    /** How long an index job takes from `pending` to `ready` or `failed`. */
    readonly indexingDelayMs: number;
    /** What indexing an asset already in the index does: another job (as billed), or a 400. */
    readonly indexAgain: 'new-job' | 'refuse';
  };
  readonly stats: {
    chunkPuts: number;
    chunkBytes: number;
    /** Per upload session: when its first chunk began arriving and its last was stored, in wall-clock ms. */
    chunkTimes: Map<string, { firstAt: number; lastAt: number; bytes: number }>;
  };
  /** Moves an asset whose bytes are complete through processing to `ready` or `failed`. */
  process(assetId: string): void;
  /** Moves an index job through `queued` and `indexing` to `ready` or `failed`. */
  index(jobId: string, failNext: boolean): void;
}
