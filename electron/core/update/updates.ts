import { EventEmitter } from 'node:events';
import type { UpdateInfo, UpdateState, UpdatesOff } from '../../shared/updates';
import { installDecision, nextCheckDelay } from './policy';

/** What the app's updater (electron-updater in main) reports; nothing here knows Electron. */
export type UpdaterEvent =
  | { readonly kind: 'checking' }
  | { readonly kind: 'none' }
  | { readonly kind: 'progress'; readonly version: string; readonly percent: number }
  | { readonly kind: 'downloaded'; readonly version: string }
  | { readonly kind: 'error'; readonly message: string };

export interface Updater {
  /** Looks for a new version (and downloads it); what happens is reported through `onEvent`. */
  check(): Promise<void>;
  /** Quits and installs the downloaded version; the app starts again by itself. */
  install(): void;
  onEvent(listener: (event: UpdaterEvent) => void): void;
}

/**
 * The app's updates: a quiet check after start and daily, and a restart only when no files are
 * uploading (asked while they are, it waits for the queue to finish).
 */
export class Updates extends EventEmitter<{ change: [UpdateInfo] }> {
  readonly #updater: Updater | null;
  readonly #current: string;
  readonly #uploading: () => boolean;
  #installing = false;
  readonly #now: () => number;
  #state: UpdateState;
  #checkedAt: number | null = null;
  #timer: NodeJS.Timeout | undefined;
  #version = '';

  constructor(options: {
    readonly updater: Updater | null;
    readonly current: string;
    /** Why there are none, when `updater` is null. */
    readonly offReason: UpdatesOff;
    readonly uploading: () => boolean;
    readonly now?: () => number;
  }) {
    super();
    this.#updater = options.updater;
    this.#current = options.current;
    this.#uploading = options.uploading;
    this.#now = options.now ?? Date.now;
    this.#state = options.updater ? { kind: 'idle', checkedAt: null } : { kind: 'off', reason: options.offReason };
    options.updater?.onEvent((event) => this.#onEvent(event));
  }

  get info(): UpdateInfo {
    return { current: this.#current, state: this.#state };
  }

  /** Starts the automatic checks. */
  start(): void {
    if (!this.#updater) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.check(), nextCheckDelay(this.#checkedAt, this.#now()));
    this.#timer.unref();
  }

  async check(): Promise<void> {
    if (!this.#updater || ['checking', 'downloading', 'ready', 'waiting-for-uploads'].includes(this.#state.kind)) {
      return;
    }
    this.#set({ kind: 'checking' });
    try {
      await this.#updater.check();
    } catch (error) {
      this.#onEvent({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      this.start();
    }
  }

  /** The person chose "Restart to update". */
  restart(): void {
    this.#decide('restart-asked');
  }

  /** The queue has nothing left uploading: a restart asked for earlier happens now. */
  uploadsFinished(): void {
    this.#decide('uploads-finished');
  }

  close(): void {
    clearTimeout(this.#timer);
  }

  #decide(event: 'restart-asked' | 'uploads-finished'): void {
    const { kind } = this.#state;
    const decision = installDecision({
      state: kind === 'ready' || kind === 'waiting-for-uploads' ? kind : 'other',
      event,
      uploading: this.#uploading(),
    });
    if (decision === 'wait-for-uploads') this.#set({ kind: 'waiting-for-uploads', version: this.#version });
    if (decision === 'install' && !this.#installing) {
      // Once: installing quits the app, and every queue change until then would ask again.
      this.#installing = true;
      this.#updater?.install();
    }
  }

  #onEvent(event: UpdaterEvent): void {
    switch (event.kind) {
      case 'checking':
        this.#set({ kind: 'checking' });
        break;
      case 'none':
        this.#checkedAt = this.#now();
        this.#set({ kind: 'idle', checkedAt: this.#checkedAt });
        break;
      case 'progress':
        this.#set({ kind: 'downloading', version: event.version, percent: event.percent });
        break;
      case 'downloaded':
        this.#checkedAt = this.#now();
        this.#version = event.version;
        this.#set({ kind: 'ready', version: event.version });
        break;
      case 'error':
        this.#checkedAt = this.#now();
        this.#set({ kind: 'error', message: event.message });
        break;
    }
  }

  #set(state: UpdateState): void {
    // A restart already asked for stays asked for; a state said once is not said again.
    if (this.#state.kind === 'waiting-for-uploads' && state.kind === 'ready') return;
    if (JSON.stringify(state) === JSON.stringify(this.#state)) return;
    this.#state = state;
    this.emit('change', this.info);
  }
}
