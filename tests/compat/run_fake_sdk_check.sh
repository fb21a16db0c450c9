#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Starts `t2i-fake --protocol PROTOCOL` (a test fake of a platform this machine cannot reach), runs
# PROTOCOL_sdk_check.mjs (the platform's official JavaScript SDK, unchanged) against it, and stops
# the fake by closing its standard input.
# usage: run_fake_sdk_check.sh T2I_FAKE COMPAT_DIR PROTOCOL NPM_PACKAGE   exit 77: skipped (no node or no SDK)
set -u
fake=$1
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

work=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

mkfifo "$work/stdin"
"$fake" --protocol "$protocol" --port 0 <"$work/stdin" >"$work/stdout" 2>"$work/stderr" &
pid=$!
exec 3>"$work/stdin" # held open: the fake serves until it is closed

line=
tries=0
while [ $tries -lt 300 ]; do
    line=$(head -n 1 "$work/stdout")
    case "$line" in "listening on http://"*) break ;; esac
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "the fake exited early:"; cat "$work/stderr"; exit 1
    fi
    sleep 0.1
    tries=$((tries + 1))
done
case "$line" in "listening on http://"*) ;; *) echo "no 'listening on' line"; cat "$work/stderr"; exit 1 ;; esac
base=${line#listening on }

node "$here/${protocol}_sdk_check.mjs" "$base"
status=$?

exec 3>&-
wait "$pid"
pid=
exit $status
