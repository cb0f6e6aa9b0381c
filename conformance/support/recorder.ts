// Per-worker memory of what the checks sent and got back. The setup file drains it after each test
// into the test's meta, so the reporter (in the CLI's process) can build the coverage matrix and
// show the request and response behind each failure.
import type { Warning } from './warnings.js';

export interface RecordedMessage {
  headers: Record<string, string>;
  /** The body as text, cut to a few KB; binary and multipart bodies are described instead. */
  body?: string;
}

export interface Exchange {
  operationId: string | null;
  method: string;
  url: string;
  status: number | null;
  request: RecordedMessage;
  response?: RecordedMessage;
  durationMs: number;
  /** A transport failure (timeout, connection refused) instead of a response. */
  error?: string;
}

export interface Violation {
  /** The contract rule broken: status-declared, content-type-json, body-schema, error-envelope, request-id-header, event-payload. */
  rule: string;
  operationId: string | null;
  status: number | null;
  message: string;
}

export type { Warning } from './warnings.js';

export interface CoverageHit {
  operationId: string;
  status: number;
}

const MAX_BODY = 4096;

/** Cuts a body for the reports, saying how much was left out. */
export function clip(text: string, max = MAX_BODY): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Hides most of a credential: `Bearer sk_test_abc…` keeps enough to tell keys apart. */
export function redactAuthorization(value: string): string {
  const match = /^(Bearer\s+)(.*)$/i.exec(value);
  if (!match) return value.length > 12 ? `${value.slice(0, 12)}…` : value;
  const key = match[2]!;
  return `${match[1]}${key.length > 16 ? `${key.slice(0, 16)}…` : key}`;
}

class Recorder {
  private exchanges: Exchange[] = [];
  private warnings: Warning[] = [];
  private violations: Violation[] = [];
  private coverage: CoverageHit[] = [];

  exchange(exchange: Exchange): void {
    this.exchanges.push(exchange);
    // Keep memory flat on long tests: only the last few exchanges are ever reported.
    if (this.exchanges.length > 20) this.exchanges.splice(0, this.exchanges.length - 20);
    if (exchange.operationId && exchange.status !== null)
      this.coverage.push({ operationId: exchange.operationId, status: exchange.status });
  }

  violation(violation: Violation): void {
    this.violations.push(violation);
  }

  /** Something the contract allows but warns about (see warnings.ts); kept per test, reported whatever the outcome. */
  warning(warning: Warning): void {
    this.warnings.push(warning);
    this.onWarning?.(warning);
  }

  /** Set by the setup file while a test runs, to annotate it (annotations are junit.xml properties). */
  onWarning: ((warning: Warning) => void) | undefined;

  /** Everything recorded since the last drain (requests made by hooks count towards the next test). */
  drain(): { exchanges: Exchange[]; violations: Violation[]; coverage: CoverageHit[]; warnings: Warning[] } {
    const out = {
      exchanges: this.exchanges,
      violations: this.violations,
      coverage: this.coverage,
      warnings: this.warnings,
    };
    this.warnings = [];
    this.exchanges = [];
    this.violations = [];
    this.coverage = [];
    return out;
  }
}

export const recorder = new Recorder();
