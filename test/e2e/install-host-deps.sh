#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The host packages the end-to-end suite needs (Debian or Ubuntu), beyond the build's own.
# .ci/run calls this after its apt-get update. Needs root.
#   debootstrap, debian-archive-keyring  make the Debian guest
#   systemd-container                    systemd-nspawn
#   util-linux                           nsenter, flock, setsid
#   python3                              JSON handling in the checks
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends \
        debootstrap debian-archive-keyring systemd-container util-linux python3 >/dev/null
