#!/usr/bin/env bash
# Install the toolchain, get the runtime-tools source and build the validation suite.
#
#   tests/oci-validation/prepare.sh [SRC]
#
# Without SRC the source comes from Debian's archive (get-source.sh), which is all CI
# can reach. With SRC (e.g. an upstream checkout, which has vendor/) that tree is built.
# The suite lands in $OCI_VALIDATION_SUITE (default ~/.cache/berth/oci-validation/suite),
# where run.sh looks for it.
set -euo pipefail

here=$(dirname "$(realpath "$0")")
suite=${OCI_VALIDATION_SUITE:-${XDG_CACHE_HOME:-$HOME/.cache}/berth/oci-validation/suite}
"$here/install-deps.sh"
if [ $# -ge 1 ]; then
    src=$1
else
    src_root=$(dirname "$suite")/src
    "$here/get-source.sh" "$src_root"
    src=$src_root/runtime-tools
fi
rm -rf "$suite"
"$here/build.sh" "$src" "$suite"
echo "prepare: suite ready in $suite; now: tests/oci-validation/run.sh RUNTIME" >&2
