# SPDX-License-Identifier: GPL-2.0-only
#
# The XenStore core library (portable C, no OS calls): one list for every
# build that compiles it — the XenStore domain, host unit tests, and the
# fuzz target (tests/fuzz/targets/list.cmake names the files itself, as
# paths relative to the repository). Users add these include directories:
#   ${ATOLL_ROOT}/xenstore-stubdom/core  (xs_store.h)
#   ${ATOLL_ROOT}/include/public         (xen/io/xs_wire.h)
set(XS_CORE_DIR ${ATOLL_ROOT}/xenstore-stubdom/core)
set(XS_CORE_SOURCES
  ${XS_CORE_DIR}/xs_conn.c
  ${XS_CORE_DIR}/xs_domain.c
  ${XS_CORE_DIR}/xs_ops.c
  ${XS_CORE_DIR}/xs_ops_conn.c
  ${XS_CORE_DIR}/xs_proto.c
  ${XS_CORE_DIR}/xs_quota.c
  ${XS_CORE_DIR}/xs_store.c
  ${XS_CORE_DIR}/xs_tree.c
  ${XS_CORE_DIR}/xs_txn.c
  ${XS_CORE_DIR}/xs_util.c
  ${XS_CORE_DIR}/xs_watch.c)
set(XS_CORE_INCLUDES ${XS_CORE_DIR} ${ATOLL_ROOT}/include/public)
