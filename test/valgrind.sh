#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The wrapper of 'meson test --setup valgrind': a program of this build runs under memcheck, and
# any error or definite/indirect leak makes it exit 99. Anything else (python3 running a test
# script, systemd-analyze) runs as it is, with OCI_TEST_WRAPPER set, so that the test scripts
# start the generator through this wrapper too.
#
#   test/valgrind.sh BUILD_ROOT PROGRAM [ARGS...]
build=$1
shift
case "$1" in
"$build"/*)
        exec valgrind --quiet --error-exitcode=99 --leak-check=full \
                --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
                --child-silent-after-fork=yes "$@"
        ;;
esac
OCI_TEST_WRAPPER="'$0' '$build'"
export OCI_TEST_WRAPPER
exec "$@"
