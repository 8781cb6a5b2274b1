#!/usr/bin/env bash
# Soak a separate `diglot serve` process for SECONDS (default 600): wrk keeps 64 connections
# busy on one page while that page is rewritten every 2 s; the server's resident memory, open
# descriptors and threads are sampled every 30 s. Loopback only; everything stops by itself.
#
#   bash bench/soak.sh BOOK_DIR REL_PAGE_FILE URL_PATH [SECONDS]
#   e.g. bash bench/soak.sh /tmp/d1000 content/chapter-001/page-00006.md /chapter-001/page-00006/
set -euo pipefail
book=$1; page_file=$2; url=$3; seconds=${4:-600}
port=3995
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r "$book"/book.toml "$book"/content "$work"/
diglot=${DIGLOT:-target/release/diglot}
"$diglot" serve "$work" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port$url" && break; sleep 0.1; done
page="$work/$page_file"
original=$(cat "$page")
wrk -t2 -c64 -d"${seconds}s" --latency "http://127.0.0.1:$port$url" > "$work/wrk.log" 2>&1 &
load=$!
start=$(date +%s); n=0
while [ $(( $(date +%s) - start )) -lt "$seconds" ]; do
  sleep 2; n=$((n + 1))
  printf '%s\n\n修改 %s。\nEdit %s.\n' "$original" "$n" "$n" > "$page"
  if [ $((n % 15)) -eq 0 ]; then
    echo "t=$(( $(date +%s) - start ))s edits=$n rss=$(awk '/VmRSS/{print $2}' /proc/$server/status)KiB" \
         "fds=$(ls /proc/$server/fd | wc -l) threads=$(ls /proc/$server/task | wc -l)"
  fi
done
wait "$load" || true
cat "$work/wrk.log"
