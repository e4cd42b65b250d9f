#!/usr/bin/env bash
# Install the Debian packages given as arguments when any is missing: with apt-get as root, otherwise say how.
set -euo pipefail

command -v dpkg-query >/dev/null || { echo "Not Debian: make sure these are installed: $*" >&2; exit 0; }
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages; run: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
