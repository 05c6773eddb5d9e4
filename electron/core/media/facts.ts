/** What a probe learned about a file; null where the file does not say. */
export interface MediaFacts {
  /** "MPEG-4", "Matroska", "Wave", "JPEG"… as MediaInfo names it; null when nothing was recognised. */
  readonly container: string | null;
  readonly videoCodec: string | null;
  readonly audioCodec: string | null;
  readonly durationSeconds: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly frameRate: number | null;
  readonly hasVideo: boolean;
  readonly hasAudio: boolean;
  readonly isImage: boolean;
}
