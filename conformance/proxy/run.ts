// A proxy session: the pass-through (proxy-server.ts), every finished exchange checked
// (exchange-check.ts) and grouped (session.ts), optionally recorded (record.ts); the live console
// lines; the reports (the suite's report.json, report.html, junit.xml) on demand and at the end.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderHtmlReport } from '../report/html-report.js';
import { renderJUnit } from '../report/junit.js';
import { monotonicMs, realNowIso } from '../support/runtime.js';
import { createExchangeChecker, type CapturedExchange, type ProxyApi } from './exchange-check.js';
import { startProxyServer, type RunningProxy } from './proxy-server.js';
import { SessionRecorder } from './record.js';
import { Redactor } from './redact.js';
import { ProxySession, type FindingGroup, type SessionLimits } from './session.js';
import { startWebhookRelay } from './webhook-relay.js';

export interface ProxyRunOptions {
  targetUrl: string;
  port: number;
  api: ProxyApi;
  strict: boolean;
  failOn: 'error' | 'warning';
  /** Where the reports go; null writes none. */
  reportDir: string | null;
  record?: string;
  maxBodyBytes: number;
  maxConcurrent: number;
  maxRecordedSteps: number;
  timeoutMs: number;
  limits?: Partial<SessionLimits>;
  /** Relay webhook deliveries: listen here (0: any free port)… */
  webhookListen?: number;
  /** …and forward each to this receiver. */
  forwardTo?: string;
  /** The endpoint's secret, to check signatures (never written anywhere). */
  webhookSecret?: string;
  write?: (line: string) => void;
  color?: boolean;
}

export const PROXY_DEFAULTS = {
  port: 4020,
  maxBodyBytes: 1024 * 1024,
  maxConcurrent: 64,
  maxRecordedSteps: 1000,
  timeoutMs: 30_000,
  reportDir: 'reports/proxy',
} as const;

export interface ProxyReports {
  verdict: 'pass' | 'fail';
  exitCode: 0 | 1;
  files: string[];
  recording?: string;
}

export interface ProxyHandle {
  url: string;
  /** Where deliveries go (`--webhook-listen`), when relaying. */
  webhookUrl?: string;
  session: ProxySession;
  /** Exchanges still being checked are waited for; then the reports (and the recording) are written. */
  report(): Promise<ProxyReports>;
  /** Stops accepting traffic, writes the reports, closes. */
  stop(): Promise<ProxyReports>;
  proxy: RunningProxy;
}

const paint = (on: boolean, code: number, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/** The live line of a group the moment it first appears. */
export function formatGroupLine(group: FindingGroup, color = false): string {
  const mark = group.severity === 'error' ? paint(color, 31, '✗') : paint(color, 33, '!');
  return `  ${mark} ${group.operationId ?? group.route}  ${group.rule}: ${group.messages[0] ?? ''}`;
}

/** The console summary: per operation, its exchanges and the rules broken with their counts. */
export function formatProxySummary(session: ProxySession, color = false): string {
  const section = session.section();
  const lines = [
    '',
    `${section.exchanges} exchange(s) through the proxy${section.refusedBusy ? `, ${section.refusedBusy} refused as busy` : ''}${section.transportErrors ? `, ${section.transportErrors} without an answer` : ''}`,
  ];
  for (const op of section.operations) {
    const groups = section.groups.filter((g) => g.operationId === op.operationId);
    const errors = groups.filter((g) => g.severity === 'error');
    const mark = errors.length ? paint(color, 31, '✗') : paint(color, 32, '✓');
    lines.push(`${mark} ${op.operationId ?? '(not an operation)'}  ${op.route}  ${op.clean}/${op.exchanges} clean`);
    for (const g of groups)
      lines.push(
        `    ${g.severity === 'error' ? 'error  ' : 'warning'} ${g.rule} ×${g.count}${g.paths.length ? ` (${g.paths.slice(0, 3).join(', ')})` : ''}: ${g.messages[0] ?? ''}`,
      );
  }
  if (section.droppedFindings)
    lines.push(`(${section.droppedFindings} finding(s) of further groups not kept: --max-groups)`);
  return lines.join('\n');
}

/**
 * Starts a proxy session.
 * @example const handle = await startProxy({ targetUrl: 'http://127.0.0.1:4010', port: 0, … }); await handle.stop();
 */
export async function startProxy(options: ProxyRunOptions): Promise<ProxyHandle> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const redactor = new Redactor();
  const checker = createExchangeChecker({ api: options.api, strict: options.strict });
  const started = monotonicMs();
  const session = new ProxySession({
    api: options.api,
    targetUrl: new URL(options.targetUrl).origin + new URL(options.targetUrl).pathname.replace(/\/+$/, ''),
    strict: options.strict,
    checker,
    redactor,
    limits: options.limits,
    startedAt: realNowIso(),
    onNewGroup: (group) => write(formatGroupLine(group, options.color ?? false)),
  });
  // An endpoint created for the relay's address hands out its secret once: the relay checks signatures with it.
  const learnedSecrets = new Set<string>();
  const relayAt: { port?: number } = {};
  const learnSecret = (exchange: CapturedExchange, operationId: string | null) => {
    if (relayAt.port === undefined || !exchange.responseBody || (exchange.status ?? 500) >= 300) return;
    if (operationId !== 'createWebhookEndpoint' && operationId !== 'createWebhook') return;
    try {
      const body = JSON.parse(exchange.responseBody.toString('utf8')) as { url?: string; secret?: string };
      const at = body.url ? new URL(body.url) : undefined;
      if (body.secret && at && Number(at.port) === relayAt.port && learnedSecrets.size < 100)
        learnedSecrets.add(body.secret);
    } catch {
      // not JSON: nothing to learn
    }
  };
  const recorder = options.record
    ? new SessionRecorder({
        api: options.api,
        file: options.record,
        targetUrl: options.targetUrl,
        redactor,
        maxSteps: options.maxRecordedSteps,
      })
    : undefined;

  const report = async (): Promise<ProxyReports> => {
    const result = session.result(monotonicMs() - started, options.failOn);
    const failing = result.verdict === 'fail' || (options.failOn === 'warning' && result.warnings.length > 0);
    const files: string[] = [];
    if (options.reportDir !== null) {
      const dir = path.resolve(options.reportDir);
      await mkdir(dir, { recursive: true });
      const texts = {
        'report.json': `${JSON.stringify(result, null, 2)}\n`,
        'report.html': renderHtmlReport(result),
        'junit.xml': renderJUnit(result, 'casapay-conformance proxy'),
      };
      for (const [name, text] of Object.entries(texts)) {
        // Last line of defence: whatever reached the text, no credential the session saw leaves it.
        await writeFile(path.join(dir, name), redactor.text(text));
        files.push(path.join(dir, name));
      }
    }
    const recording = recorder ? await recorder.write() : undefined;
    return {
      verdict: failing ? 'fail' : 'pass',
      exitCode: failing ? 1 : 0,
      files,
      ...(recording ? { recording } : {}),
    };
  };

  const proxy = await startProxyServer({
    targetUrl: options.targetUrl,
    port: options.port,
    maxBodyBytes: options.maxBodyBytes,
    maxConcurrent: options.maxConcurrent,
    timeoutMs: options.timeoutMs,
    keepMultipart: recorder !== undefined,
    onBusy: () => session.refusedBusy++,
    onExchange: (exchange) => {
      redactor.rememberHeaders(exchange.requestHeaders);
      if (exchange.responseBody) redactor.rememberBody(exchange.responseBody.toString('utf8'));
      const checked = checker.check(exchange);
      session.add(exchange, checked);
      learnSecret(exchange, checked.operationId);
      recorder?.add(exchange, checked);
    },
    ownRoute: async (method, route) => {
      if (route === '/__proxy/report' && method === 'POST') return { status: 200, body: await report() };
      if (route === '/__proxy/report' && method === 'GET')
        return { status: 200, body: session.result(monotonicMs() - started, options.failOn) };
      return {
        status: 404,
        body: {
          error: {
            type: 'invalid_request_error',
            code: 'resource_not_found',
            message: `the proxy has no route ${method} ${route} (POST /__proxy/report, GET /__proxy/report)`,
            param: null,
          },
        },
      };
    },
  });

  redactor.remember(options.webhookSecret);
  const relay =
    options.webhookListen !== undefined && options.forwardTo
      ? await startWebhookRelay({
          api: options.api,
          port: options.webhookListen,
          forwardTo: options.forwardTo,
          secrets: () => [...(options.webhookSecret ? [options.webhookSecret] : []), ...learnedSecrets],
          strict: options.strict,
          maxBodyBytes: options.maxBodyBytes,
          maxConcurrent: options.maxConcurrent,
          timeoutMs: options.timeoutMs,
          onDelivery: (exchange, checked) => {
            redactor.rememberHeaders(exchange.requestHeaders);
            session.add(exchange, checked);
          },
        })
      : undefined;
  relayAt.port = relay ? Number(new URL(relay.url).port) : undefined;
  return {
    url: proxy.url,
    ...(relay ? { webhookUrl: relay.url } : {}),
    session,
    proxy,
    report,
    async stop() {
      await proxy.close();
      await relay?.close();
      return report();
    },
  };
}
