// Entry of the SQLite writer thread (sqlite-writer.ts). A worker thread does not inherit the
// main thread's TypeScript loader (tsx, or vitest's transform), so it registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-writer.ts');
