#!/usr/bin/env bash
# Install synod-kv OUTSIDE the monorepo, as a user would, and run it:
# build each package's dist/, `pnpm pack` them, `npm install` the tarballs into a fresh directory,
# start a 3-node cluster with the installed `synod-kv` binary (plain node, no tsx), run the client
# library against it, stop the cluster. Needs the npm registry for the third-party dependencies.
# Usage: bash examples/synod-kv/scripts/try-outside.sh [DIR]   (default: a fresh temporary directory)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
out="${1:-$(mktemp -d -t synod-kv-outside-XXXXXX)}"
mkdir -p "$out/t"
for p in packages/core packages/quorum packages/raft packages/security packages/pbft packages/runtime examples/synod-kv; do
  (cd "$repo/$p" && pnpm exec tsc -p tsconfig.build.json && pnpm pack --pack-destination "$out/t" >/dev/null)
done
cd "$out"
cat > package.json <<JSON
{
  "name": "synod-kv-outside", "private": true, "type": "module",
  "dependencies": { "synod-kv": "file:./t/synod-kv-0.1.0.tgz" },
  "overrides": {
    "@synod/core": "file:./t/synod-core-0.1.0.tgz", "@synod/quorum": "file:./t/synod-quorum-0.1.0.tgz",
    "@synod/raft": "file:./t/synod-raft-0.1.0.tgz", "@synod/runtime": "file:./t/synod-runtime-0.1.0.tgz",
    "@synod/security": "file:./t/synod-security-0.1.0.tgz", "@synod/pbft": "file:./t/synod-pbft-0.1.0.tgz"
  }
}
JSON
npm install --no-audit --no-fund --loglevel=error
./node_modules/.bin/synod-kv cluster --dir "$out/state" --base-port 17600 > cluster.log 2>&1 &
cluster=$!
trap 'kill -TERM $cluster 2>/dev/null || true' EXIT
cat > client.mjs <<'JS'
import { KvClient } from "synod-kv";
const kv = new KvClient({ endpoints: ["http://127.0.0.1:17701", "http://127.0.0.1:17702", "http://127.0.0.1:17703"], deadlineMs: 60_000 });
const results = [await kv.put("x", "1"), await kv.cas("x", "1", "2"), await kv.get("x")];
console.log(JSON.stringify(results));
if (results[2].value !== "2") process.exit(1);
JS
node client.mjs
echo "synod-kv ran outside the monorepo from $out (cluster log: $out/cluster.log)"
