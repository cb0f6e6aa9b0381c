# The CasaPay mock as an image. Build it where a registry can be reached:
#   docker build -t casapay-mock .
# or, where none can (a base image made from a Node binary on the machine, see docker/build-base-image.sh):
#   docker build --network host --build-arg BASE_IMAGE=casapay-node-base:node24 -t casapay-mock .
# Run: docker run -p 4010:4010 casapay-mock  (flags through env: PORT, CASAPAY_MOCK_SCENARIO, CASAPAY_MOCK_SEED, …)
# State: in memory by default; CASAPAY_MOCK_DATA_DIR=/data with a volume on /data (SQLite, Node's own
# node:sqlite), or CASAPAY_MOCK_DATABASE_URL=postgres://… (pg). Node 24 because the image then needs no
# native build for SQLite (DECISIONS.md); on a Node 20 base, --data-dir says it has no SQLite driver.
ARG BASE_IMAGE=node:24-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Scripts off: `prepare` would build before the sources are here; the build runs below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY generated ./generated
COPY client ./client
COPY kit ./kit
COPY mocks ./mocks
COPY conformance ./conformance
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${BASE_IMAGE}
WORKDIR /app
# Off loopback the console and /__admin need an admin token: pass CASAPAY_MOCK_ADMIN_TOKEN, or the
# mock makes one and prints it in its start-up line.
ENV NODE_ENV=production \
    CASAPAY_MOCK_HOST=0.0.0.0 \
    CASAPAY_MOCK_PORT=4010 \
    CASAPAY_MOCK_GENERATE_ADMIN_TOKEN=true
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/generated/casapay.json /src/generated/debitura-customer.json /src/generated/debitura-referral.json ./generated/
COPY --from=build /src/mocks/apis/casapay/scenarios/*.yaml ./mocks/apis/casapay/scenarios/
COPY --from=build /src/mocks/apis/debitura/scenarios/*.yaml ./mocks/apis/debitura/scenarios/
# The data folder for CASAPAY_MOCK_DATA_DIR=/data, the user's: a new named volume on it takes this owner.
# (node, not mkdir/chown: a base image made by docker/build-base-image.sh has no coreutils.)
RUN node -e "require('node:fs').mkdirSync('/data', { recursive: true }); require('node:fs').chownSync('/data', 1000, 1000)"
USER node
EXPOSE 4010
HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || process.env.CASAPAY_MOCK_PORT}/__admin/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec: node is PID 1 and gets SIGTERM directly; PORT, when set, wins over CASAPAY_MOCK_PORT.
CMD ["sh", "-c", "exec node dist/mocks/cli.js ${PORT:+--port \"$PORT\"}"]
