# shellcheck shell=bash
# need_wrk: makes sure the load generator wrk is installed (the Debian package, when run as root), or stops the
# calling benchmark with a clear message. Sourced by the benchmarks that drive HTTP load.
need_wrk() {
  command -v wrk >/dev/null && return
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    printf '[bench] installing wrk (Debian package)\n' >&2
    apt-get install -y -q wrk >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null)
  fi
  command -v wrk >/dev/null || { printf '[bench] wrk is required (apt-get install wrk)\n' >&2; exit 1; }
}
