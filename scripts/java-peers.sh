#!/usr/bin/env bash
# Real Apache RocketMQ peers for Apogee's interop tests, from published Maven jars.
#
#   scripts/java-peers.sh fetch <4.9.8|5.3.3>   copy the runtime classpaths and prepare ROCKETMQ_HOME
#   scripts/java-peers.sh path  <4.9.8|5.3.3>   print the version's folder (after a fetch)
#
# Layout it produces (test-e2e/.java/ is git-ignored; jars are never committed):
#   test-e2e/.java/<v>/lib/          rocketmq-client + rocketmq-tools <v> and their runtime deps
#   test-e2e/.java/<v>/server-lib/   rocketmq-namesrv + rocketmq-broker and their runtime deps
#   test-e2e/.java/<v>/home/conf/    ROCKETMQ_HOME; the logback configs the 4.9 line requires
#
# The 4.9 line was not published whole to Maven Central: client/tools exist as 4.9.8, but
# namesrv/broker stop at 4.9.7, so "4.9.8" means client 4.9.8 with servers 4.9.7.
# Idempotent: a stamp file records what was fetched; a repeat run with the same pom returns at
# once without starting Maven. Maven caches downloads in its local repository (~/.m2).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
pom_dir="$root/test-e2e/java"
java_dir="$root/test-e2e/.java"

usage() {
  echo "usage: $0 fetch|path <4.9.8|5.3.3>" >&2
  exit 2
}

server_version_of() {
  case "$1" in
    5.3.3) echo 5.3.3 ;;
    4.9.8) echo 4.9.7 ;;
    *) echo "unsupported RocketMQ version '$1' (pinned: 4.9.8, 5.3.3)" >&2; exit 2 ;;
  esac
}

stamp_of() {
  local version="$1" server_version="$2"
  local pom_sum conf_sum
  pom_sum="$(sha256sum "$pom_dir/pom.xml" | cut -d' ' -f1)"
  conf_sum="$(cat "$pom_dir"/conf/*.xml | sha256sum | cut -d' ' -f1)"
  echo "client=$version server=$server_version pom=$pom_sum conf=$conf_sum"
}

copy_classpath() {
  local profile="$1" version="$2" server_version="$3" out="$4"
  rm -rf "$out.tmp"
  mkdir -p "$out.tmp"
  if ! mvn -q -B -f "$pom_dir/pom.xml" "-P$profile" dependency:copy-dependencies \
      -DincludeScope=runtime \
      "-Drocketmq.version=$version" "-Drocketmq.server.version=$server_version" \
      "-DoutputDirectory=$out.tmp" >"$java_dir/fetch-$version-$profile.log" 2>&1; then
    echo "maven failed for profile $profile of $version; see $java_dir/fetch-$version-$profile.log" >&2
    tail -n 20 "$java_dir/fetch-$version-$profile.log" >&2
    exit 1
  fi
  rm -rf "$out"
  mv "$out.tmp" "$out"
}

fetch() {
  local version="$1" server_version stamp dir
  server_version="$(server_version_of "$version")"
  dir="$java_dir/$version"
  stamp="$(stamp_of "$version" "$server_version")"
  if [[ -f "$dir/.fetched" && "$(cat "$dir/.fetched")" == "$stamp" ]]; then
    echo "$dir"
    return 0
  fi
  command -v mvn >/dev/null || { echo "mvn not found on PATH (Maven 3.8+ is required)" >&2; exit 1; }
  command -v java >/dev/null || { echo "java not found on PATH (JDK 17 is required)" >&2; exit 1; }
  mkdir -p "$dir"
  copy_classpath client "$version" "$server_version" "$dir/lib"
  copy_classpath server "$version" "$server_version" "$dir/server-lib"
  rm -rf "$dir/home"
  mkdir -p "$dir/home/conf"
  cp "$pom_dir"/conf/*.xml "$dir/home/conf/"
  echo "$stamp" >"$dir/.fetched"
  echo "$dir"
}

[[ $# -eq 2 ]] || usage
case "$1" in
  fetch)
    server_version_of "$2" >/dev/null
    mkdir -p "$java_dir"
    # Serialize concurrent fetches (a test run and a capture run may start together).
    exec 9>"$java_dir/.fetch.lock"
    if command -v flock >/dev/null; then flock -w 600 9; fi
    fetch "$2"
    ;;
  path)
    server_version_of "$2" >/dev/null
    [[ -f "$java_dir/$2/.fetched" ]] || { echo "not fetched: run $0 fetch $2" >&2; exit 1; }
    echo "$java_dir/$2"
    ;;
  *) usage ;;
esac
