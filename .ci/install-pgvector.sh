#!/usr/bin/env bash
# Builds pgvector from Debian trixie's source package into the local PostgreSQL 15 when it is missing.
# Idempotent: exits at once when the extension is already available.
set -euo pipefail
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
available() {
  psql -h "$PGHOST" -U "$PGUSER" -d postgres -tAc \
    "select 1 from pg_available_extensions where name='vector'" 2>/dev/null | grep -q 1
}
if available; then echo "pgvector: already available"; exit 0; fi

export DEBIAN_FRONTEND=noninteractive
pg_major=$(pg_config --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
dpkg -s "postgresql-server-dev-$pg_major" >/dev/null 2>&1 || {
  apt-get update -qq
  apt-get install -y -qq "postgresql-server-dev-$pg_major" make gcc >/dev/null
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/trixie-src.sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
mkdir -p "$work/lists/partial"
apt_opts=(-o "Dir::Etc::SourceList=$work/trixie-src.sources" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$work/lists")
apt-get "${apt_opts[@]}" update -qq
(cd "$work" && apt-get "${apt_opts[@]}" source --download-only pgvector >/dev/null)
tar -xzf "$work"/pgvector_*.orig.tar.gz -C "$work"
src=$(find "$work" -maxdepth 1 -type d -name 'pgvector*' | head -n1)
make -C "$src" -s >/dev/null
make -C "$src" -s install >/dev/null
available && echo "pgvector: installed"
