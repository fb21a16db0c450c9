#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Starts t2ibench-emulator, runs replicate_sdk_check.mjs (Replicate's JavaScript SDK, unchanged) against
# it (--protocol replicate), stops it with SIGTERM and checks the truth file: its jobs came in by the
# replicate front and it ends with the ledger.
# usage: run_replicate_sdk_check.sh EMULATOR COMPAT_DIR     exit 77: skipped (no node or no SDK)
set -u
emulator=$1
here=$2
if ! command -v node >/dev/null 2>&1; then
    echo "node is not installed: skipped"
    exit 77
fi
if [ ! -f "$here/node_modules/replicate/package.json" ]; then
    echo "replicate is not installed (npm ci --prefix $here): skipped"
    exit 77
fi

work=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

T2I_COMPAT_KEY=compat-key
export T2I_COMPAT_KEY
# A short time scale keeps the check quick.
"$emulator" --profile steady --time-scale 0.3 --port 0 --seed 1 --api-key-env T2I_COMPAT_KEY --protocol replicate \
    --truth "$work/truth.jsonl" >"$work/stdout" 2>"$work/stderr" &
pid=$!

line=
tries=0
while [ $tries -lt 300 ]; do
    line=$(head -n 1 "$work/stdout")
    case "$line" in "listening on http://"*) break ;; esac
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "the emulator exited early:"; cat "$work/stderr"; exit 1
    fi
    sleep 0.1
    tries=$((tries + 1))
done
case "$line" in "listening on http://"*) ;; *) echo "no 'listening on' line"; cat "$work/stderr"; exit 1 ;; esac
base=${line#listening on }

node "$here/replicate_sdk_check.mjs" "$base/v1" compat-key
status=$?

kill -TERM "$pid"
wait "$pid"
exit_code=$?
pid=
if [ $exit_code -ne 0 ]; then
    echo "the emulator exited with $exit_code on SIGTERM"; cat "$work/stderr"; exit 1
fi
if ! tail -n 1 "$work/truth.jsonl" | grep -q '^{"ledger":'; then
    echo "the truth file does not end with the ledger"; exit 1
fi
if ! grep -q '"front":"replicate"' "$work/truth.jsonl"; then
    echo "the truth file has no job with front replicate"; exit 1
fi
exit $status
