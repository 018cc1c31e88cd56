#!/bin/sh
# The nightly backup of the portal's PostgreSQL database (deploy/systemd/portal-backup.service).
# pg_dump's custom format: consistent (one snapshot) while the portal runs, compressed, and
# restored with pg_restore into an empty database (deploy/README.md, "Restoring";
# bench/two_servers.py does exactly that and serves the restored copy).
# The document files are not in the database: back up DOCUMENT_STORAGE_PATH with them.
set -eu
: "${PGDATABASE:=portal}"
: "${BACKUP_DIR:=/var/backups/portal}"
: "${BACKUP_KEEP_DAYS:=14}"
umask 077
mkdir -p "$BACKUP_DIR"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$BACKUP_DIR/$PGDATABASE-$stamp.dump"
# Written under a temporary name, renamed once complete: a half-written dump never looks done.
pg_dump --format=custom --no-owner --file="$target.partial" "$PGDATABASE"
pg_restore --list "$target.partial" > /dev/null  # readable as a whole
mv "$target.partial" "$target"
echo "backup written: $target ($(du -h "$target" | cut -f1))"
find "$BACKUP_DIR" -name "$PGDATABASE-*.dump" -mtime +"$BACKUP_KEEP_DAYS" -delete
