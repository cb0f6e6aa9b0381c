// The environment variable of each casapay-mock flag, shared by the CLI (which reads them) and the
// testcontainers module (which sets them): --scenario is CASAPAY_MOCK_SCENARIO, --error-rate
// CASAPAY_MOCK_ERROR_RATE. Also the one conventional name the CLI honours besides them: PORT
// (Heroku, Cloud Run and the Docker image set it).

/**
 * @example envName('--error-rate') // 'CASAPAY_MOCK_ERROR_RATE'
 */
export const envName = (flag: string): string =>
  `CASAPAY_MOCK_${flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase()}`;

/** Where the port came from, in commander's terms (`cli`, `env`, `default`, …). */
export type PortSource = string | undefined;

/**
 * The port to listen on: `--port` wins, then `PORT`, then `CASAPAY_MOCK_PORT`, then the default.
 * Throws naming `PORT` when it is set but not a port, rather than ignoring it.
 * @example choosePort({ value: 4010, source: 'default' }, { PORT: '5100' }) // { port: 5100, from: 'PORT' }
 */
export function choosePort(
  parsed: { value: number; source: PortSource },
  env: Readonly<Record<string, string | undefined>>,
): { port: number; from: string } {
  const fromFlag = {
    port: parsed.value,
    from: parsed.source === 'env' ? 'CASAPAY_MOCK_PORT' : parsed.source === 'cli' ? '--port' : 'default',
  };
  const raw = env.PORT;
  if (parsed.source === 'cli' || raw === undefined || raw === '') return fromFlag;
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || port > 65535)
    throw new Error(
      `PORT=${raw} is not a port (a whole number from 0 to 65535); unset it or pass --port / CASAPAY_MOCK_PORT.`,
    );
  return { port, from: 'PORT' };
}
