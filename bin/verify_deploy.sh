#!/usr/bin/env bash
# Check the files of deploy/ the way their programs read them:
#
# - the systemd units and timers (deploy/systemd/, or the directory given as
#   the first argument) with `systemd-analyze verify`;
# - the nginx site (deploy/nginx/wabp.conf) with `nginx -t`, inside a minimal
#   nginx.conf, when nginx is installed.
#
# Needs no running systemd and changes nothing on the host: the units are
# checked in a scratch root (--root) holding a copy of the host's own system
# units (for the targets they name), the units themselves, and an empty
# executable at each path an Exec…= line starts (the programs of /srv/wabp are
# not installed here; systemd checks only that they exist). Every other
# setting is checked as on a server. Any warning counts as a failure: an
# unknown or misspelt setting is only a warning to systemd, which then runs
# the unit without it.
#
#   bin/verify_deploy.sh [UNIT_DIRECTORY]
#
# tests/test_deploy.py runs it.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
units=$(cd "${1:-$repo/deploy/systemd}" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "systemd-analyze is not installed: the units were not checked" >&2
  exit 2
fi

root=$scratch/root
mkdir -p "$root/usr/lib/systemd" "$root/usr/bin" "$root/usr/sbin" "$root/etc/systemd/system"
ln -s usr/lib "$root/lib"
ln -s usr/bin "$root/bin"
ln -s usr/sbin "$root/sbin"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
cp "$units"/*.service "$units"/*.timer "$root/etc/systemd/system/"
# The program of each Exec…= line: its first word, without the prefixes
# systemd allows before it (-, @, :, +, !).
sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^ ]*\).*/\1/p' "$units"/*.service | sort -u |
  while read -r program; do
    mkdir -p "$root$(dirname "$program")"
    printf '#!/bin/sh\n' >"$root$program"
    chmod +x "$root$program"
  done

echo "systemd-analyze verify: $(cd "$units" && echo *.service *.timer)"
if ! output=$(systemd-analyze verify --man=no --root="$root" \
  "$root"/etc/systemd/system/*.service "$root"/etc/systemd/system/*.timer 2>&1) \
  || [ -n "$output" ]; then
  printf '%s\n' "${output//$root/}" >&2
  echo "FAILED: systemd units" >&2
  status=1
else
  echo "ok"
fi

nginx=$(command -v nginx || true)
[ -z "$nginx" ] && [ -x /usr/sbin/nginx ] && nginx=/usr/sbin/nginx
if [ -n "$nginx" ]; then
  site=$repo/deploy/nginx/wabp.conf
  prefix=$scratch/nginx
  mkdir -p "$prefix/logs"
  # The site's logs go to the scratch directory, not to /var/log/nginx.
  sed "s#/var/log/nginx/#$prefix/logs/#g" "$site" >"$prefix/site.conf"
  cat >"$prefix/nginx.conf" <<EOF
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $prefix/client_body;
    proxy_temp_path $prefix/proxy;
    fastcgi_temp_path $prefix/fastcgi;
    uwsgi_temp_path $prefix/uwsgi;
    scgi_temp_path $prefix/scgi;
    include $prefix/site.conf;
}
EOF
  echo "nginx -t: deploy/nginx/wabp.conf"
  if ! output=$("$nginx" -t -q -e "$prefix/logs/error.log" -p "$prefix" \
    -c "$prefix/nginx.conf" 2>&1) || [ -n "$output" ]; then
    printf '%s\n' "${output//$prefix\/site.conf/deploy/nginx/wabp.conf}" >&2
    echo "FAILED: nginx site" >&2
    status=1
  else
    echo "ok"
  fi
else
  echo "nginx is not installed: the site was not checked"
fi
exit "$status"
