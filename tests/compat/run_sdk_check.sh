#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Starts t2ibench-emulator speaking PROTOCOL, runs PROTOCOL_sdk_check.mjs (the platform's official
# JavaScript SDK, unchanged) against it, stops it with SIGTERM and checks the truth file: its jobs
# came in by that front and it ends with the ledger.
# usage: run_sdk_check.sh EMULATOR COMPAT_DIR PROTOCOL NPM_PACKAGE   exit 77: skipped (no node or no SDK)
set -u
emulator=$1
here=$2
protocol=$3
package=$4
if ! command -v node >/dev/null 2>&1; then
    echo "node is not installed: skipped"
    exit 77
fi
if [ ! -f "$here/node_modules/$package/package.json" ]; then
    echo "$package is not installed (npm ci --prefix $here): skipped"
    exit 77
fi

# Where each protocol's API lives, and what else its check needs.
case "$protocol" in
    runpod) root=/v2; extra_flags="--endpoint emulated"; extra_args=emulated ;;
    fal) root=""; extra_flags=""; extra_args="" ;;
    *) root=/v1; extra_flags=""; extra_args="" ;;
esac

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
# shellcheck disable=SC2086 # extra_flags is a list of words on purpose
"$emulator" --profile steady --time-scale 0.3 --port 0 --seed 1 --api-key-env T2I_COMPAT_KEY --protocol "$protocol" \
    $extra_flags --truth "$work/truth.jsonl" >"$work/stdout" 2>"$work/stderr" &
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

# shellcheck disable=SC2086
node "$here/${protocol}_sdk_check.mjs" "$base$root" compat-key $extra_args
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
if ! grep -q "\"front\":\"$protocol\"" "$work/truth.jsonl"; then
    echo "the truth file has no job with front $protocol"; exit 1
fi
exit $status
