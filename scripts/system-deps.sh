#!/usr/bin/env bash
# Make sure the Debian packages the tests and benchmarks need are present; install the missing
# ones with apt-get when we are root, otherwise say which to install and fail.
set -euo pipefail
declare -A need=([chromium]=chromium [wrk]=wrk [msgfmt]=gettext [node]=nodejs [npm]=npm)
missing=()
for cmd in "${!need[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installation des paquets Debian manquants : ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Paquets Debian manquants : ${missing[*]}. Installez-les : sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
