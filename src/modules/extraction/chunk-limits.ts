/** Chunk sizes a vector store may ask for, in tokens. */
export const CHUNK_LIMITS = { minSize: 100, maxSize: 4096 };
