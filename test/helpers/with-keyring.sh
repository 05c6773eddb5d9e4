#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a throwaway, unlocked gnome-keyring, so tests
# use a real Secret Service without touching anyone's own keyring. Usage: with-keyring.sh CMD...
set -euo pipefail

if [ "${WITH_KEYRING_INNER:-}" != "1" ]; then
  export WITH_KEYRING_INNER=1
  exec dbus-run-session -- "$0" "$@"
fi

scratch=$(mktemp -d)
export XDG_RUNTIME_DIR="$scratch/runtime" XDG_DATA_HOME="$scratch/data" HOME_KEYRING_SCRATCH="$scratch"
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME"
chmod 700 "$XDG_RUNTIME_DIR"

printf 'throwaway-test-keyring' | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
daemon=$!
cleanup() {
  kill "$daemon" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.1
done

"$@"
