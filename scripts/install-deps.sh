#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages Atoll needs to build, test and run. As root it
# installs what is missing; otherwise it prints the one apt-get line to run.
set -eu

PACKAGES="build-essential cmake python3 clang clang-format libclang-rt-14-dev
qemu-system-x86 qemu-utils grub-pc-bin grub-common xorriso mtools
device-tree-compiler libfdt-dev libxxhash-dev xxhash newlib-source
linux-source-6.1 libcmocka-dev xenstore-utils"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "Atoll needs these Debian packages:$missing" >&2
	echo "Run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
