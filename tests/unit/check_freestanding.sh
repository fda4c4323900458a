#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Checks on objects built for the core.
#   check_freestanding.sh no-canary FILE     no stack-protector code: no
#       __stack_chk_* symbol and no %fs-relative access (the canary lives
#       at %fs:0x28, and nothing in the core sets up %fs).
#   check_freestanding.sh no-undefined FILE  nm -u lists nothing.
# NM and OBJDUMP may name the tools. Exit status 0 only if the check holds.
set -eu
NM=${NM:-nm}
OBJDUMP=${OBJDUMP:-objdump}
mode=$1
file=$2

fail()
{
	echo "$file: $*" >&2
	exit 1
}

case $mode in
no-canary)
	dis=$(mktemp)
	trap 'rm -f "$dis"' EXIT
	$OBJDUMP -d "$file" >"$dis" || fail "objdump failed"
	# An empty disassembly would pass trivially; insist on real code.
	grep -q '<fdt_check_header>:' "$dis" ||
		fail "no fdt_check_header in the disassembly"
	if $NM "$file" | grep '__stack_chk'; then
		fail "references the stack protector"
	fi
	if grep '%fs:' "$dis" | head -5 | grep .; then
		fail "reads %fs (stack canary?)"
	fi
	;;
no-undefined)
	undefined=$($NM -u "$file") || fail "nm failed"
	if [ -n "$undefined" ]; then
		echo "$undefined" >&2
		fail "undefined symbols (listed above)"
	fi
	;;
*)
	fail "unknown check '$mode'"
	;;
esac
