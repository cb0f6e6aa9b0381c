// The environment variable of each casapay-mock flag, shared by the CLI (which reads them) and the
// testcontainers module (which sets them): --scenario is CASAPAY_MOCK_SCENARIO, --error-rate
// CASAPAY_MOCK_ERROR_RATE.

/**
 * @example envName('--error-rate') // 'CASAPAY_MOCK_ERROR_RATE'
 */
export const envName = (flag: string): string => `CASAPAY_MOCK_${flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase()}`;
