// The writer thread's entry: the server runs TypeScript through tsx, and a worker thread starts without the loader
// its parent was given (and under Vitest without one at all), so it loads the writer through tsx's scoped API.
import { tsImport } from 'tsx/esm/api'

// A failure to load rejects here and ends the thread with an 'error' the writer reports.
void tsImport('./writer-thread.ts', import.meta.url)
