// Memory of each function, with its reason, in one place (README "Memory, architecture and cold starts").
//
// On Lambda, memory buys CPU: a function gets CPU in proportion to its memory, one full vCPU at 1,769 MB. A Node
// function runs its JavaScript on one thread, so more than 1,769 MB makes it no faster. None of these functions needs
// the memory itself (about 50 MB resident after loading its bundle, measured with the deployed environment): the figure
// is chosen for the CPU, which sets how long a cold start takes (parsing the bundle, building the SDK client and the
// schemas: CPU-bound, single-threaded) and how long each request's own work takes. arm64 (Graviton) for every function:
// about 20 % cheaper per GB-second than x86_64, and the bundles hold no native code.
import type { FunctionName } from '../build/bundling.js';

export interface MemorySize {
  readonly mb: number;
  readonly why: string;
}

export const MEMORY_SIZES: Readonly<Record<FunctionName, MemorySize>> = {
  'contact-group-access': {
    mb: 1769,
    why: 'the access checks and lookups: on the path of every other workload, so its cold starts are their p99; one full vCPU makes its cold start and each check as fast as one Node thread can be',
  },
  'contact-access': { mb: 1024, why: 'interactive reads and writes around a contact, less often called than the checks: about 0.58 vCPU' },
  'contact-groups': { mb: 1024, why: 'interactive group reads, writes and searches: as contact-access' },
  'contact-relatives': { mb: 1024, why: 'interactive reads and writes of relatives: as contact-access' },
  docs: { mb: 512, why: 'serves a document generated at build time, a page and a file: little CPU, rarely called' },
  ingest: { mb: 1024, why: 'applies inbound events (cascades over many items): CPU for the marshalling, no user waits on it' },
  publish: { mb: 512, why: 'maps stream records to events and puts them: light work in batches' },
  project: { mb: 1024, why: 'projects the reach index from the stream: per-record reads and writes in batches of up to 100' },
};
