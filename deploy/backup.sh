#!/bin/sh
# The nightly backup of README.md ("Backups and restore"): the database
# (pg_dump, custom format) and MEDIA_ROOT, taken the same night, into
# BACKUP_DIR as db-YYYY-MM-DD.dump and media-YYYY-MM-DD.tar.gz; files older
# than 14 nights are deleted. wabp-backup.service runs it after the
# retention (wabp-purge-personal-data), as the portal's user, with the
# portal's environment (/etc/wabp/env):
#
#   DATABASE_URL  the database (PostgreSQL); pg_dump must be the server's
#                 major version or newer (Debian: postgresql-client)
#   MEDIA_ROOT    the uploads (default: media/ of the checkout)
#   BACKUP_DIR    where the backups go (default /var/backups/wabp)
#
# Both files hold personal data: they are readable by their owner only.
# Encrypt them and copy them off the machine from BACKUP_DIR.
set -eu
umask 077

root=$(cd "$(dirname "$0")/.." && pwd)
backup_dir=${BACKUP_DIR:-/var/backups/wabp}
media_root=${MEDIA_ROOT:-$root/media}
day=$(date +%F)

# pg_dump gets the address without the password, which goes in PGPASSWORD:
# a command line is visible to every user of the host (ps), a process's
# environment only to its owner.
connection=$("$root/.venv/bin/python" - <<'PYTHON'
import os
import shlex
from urllib.parse import unquote, urlsplit, urlunsplit

url = urlsplit(os.environ["DATABASE_URL"])
if url.scheme not in {"postgres", "postgresql", "pgsql"}:
    raise SystemExit("backup.sh: DATABASE_URL is not a PostgreSQL database")
host = url.hostname or ""
if ":" in host:
    host = f"[{host}]"
netloc = (f"{url.username}@" if url.username else "") + host
netloc += f":{url.port}" if url.port else ""
address = urlunsplit(("postgresql", netloc, url.path, url.query, ""))
print(f"database={shlex.quote(address)}")
print(f"PGPASSWORD={shlex.quote(unquote(url.password or ''))}; export PGPASSWORD")
PYTHON
)
eval "$connection"

# Written under a temporary name first: a backup cut short is never taken
# for a whole one.
pg_dump --format=custom --no-password --dbname="$database" \
    --file="$backup_dir/.db-$day.dump.part"
mv "$backup_dir/.db-$day.dump.part" "$backup_dir/db-$day.dump"
tar -C "$(dirname "$media_root")" -czf "$backup_dir/.media-$day.tar.gz.part" \
    "$(basename "$media_root")"
mv "$backup_dir/.media-$day.tar.gz.part" "$backup_dir/media-$day.tar.gz"

find "$backup_dir" -maxdepth 1 -type f -name '*-20*' -mtime +13 -delete
echo "backup of $day written to $backup_dir"
