/** What an asset is. Documents (PDF, plain text, Markdown) are assets since the API of 2026-07. */
export type MediaKind = 'video' | 'audio' | 'image' | 'document';
