// Entry of a SQLite reader thread (sqlite-reader-thread.ts) when running from source: a worker
// thread does not inherit the main thread's TypeScript loader (tsx, or vitest's transform).
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-reader-thread.ts');
