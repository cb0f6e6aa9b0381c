// Shapes shared by the compatibility check's modules.
import type { Level } from './rules.js';

export type JsonObject = Record<string, unknown>;

/** One side of the comparison: a bundled contract and a resolver for its internal `$ref`s. */
export interface Side {
  doc: JsonObject;
  resolve(ref: string): unknown;
}

/** Reports a difference under a rule id, at a JSON Pointer (segments) into the contract, with a sentence. */
/** `scope` names the component a shared schema's finding sits in, instead of the operation that reached it. */
export type Emit = (id: string, pointer: string[], message: string, scope?: string) => void;

export interface Finding {
  id: string;
  /** The verdict for clients, and for implementations built on the base contract. */
  clients: Level;
  implementations: Level;
  /** `POST /v1/collection_cases`, `webhook claim.submitted`, or `contract` for document-wide parts. */
  operation: string;
  /** JSON Pointer into the head contract (into the base one for what the head no longer has). */
  path: string;
  message: string;
}
