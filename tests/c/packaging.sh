#!/usr/bin/env bash
# The C library as users get it: scripts/install-c into a temporary prefix, then
#   - the shared library's SONAME and links, the static library, the header;
#   - the header alone as C99 and C11 (-pedantic -Werror) and as C++17;
#   - the README's C example (checked equal to examples/c/assess.c) built with
#     `pkg-config --cflags --libs exposure` (shared) and with the static library and the
#     libraries `pkg-config --static` names, both run;
#   - the CMake example project (examples/cmake: find_package(exposure), exposure::exposure,
#     exposure::static, the C++17 RAII example) configured, built and run.
# Every example is built with AddressSanitizer and UBSan, so a leak or misuse fails it.
# On the shared data (EXPOSURE_SHARED_DIR) the examples assess a real SBOM against the Go
# vulnerability database; without it, the demo. Run from the repository root by scripts/test
# (which built the debug library); CARGO_TARGET_DIR is honoured. Needs cc, c++, pkg-config,
# cmake, readelf.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
fail() { echo "packaging: $*" >&2; exit 1; }
sanitize="-fsanitize=address,undefined -fno-omit-frame-pointer"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

scripts/install-c --debug "$prefix" >/dev/null
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
major=${version%%.*}; rest=${version#*.}; minor=${rest%%.*}
[ "$major" = 0 ] && soname="libexposure.so.0.$minor" || soname="libexposure.so.$major"

# Layout and SONAME.
lib="$prefix/lib"
[ -f "$lib/libexposure.so.$version" ] && [ ! -L "$lib/libexposure.so.$version" ] || fail "no libexposure.so.$version"
[ "$(readlink "$lib/$soname")" = "libexposure.so.$version" ] || fail "$soname does not link to libexposure.so.$version"
[ "$(readlink "$lib/libexposure.so")" = "$soname" ] || fail "libexposure.so does not link to $soname"
[ -f "$lib/libexposure.a" ] && [ -f "$prefix/include/exposure.h" ] || fail "no static library or header"
readelf -d "$lib/libexposure.so.$version" | grep -q "Library soname: \[$soname\]" || fail "SONAME is not $soname"
cmp -s include/exposure.h "$prefix/include/exposure.h" || fail "the installed header differs"

# The header alone, as C99, C11 and C++17.
for std in c99 c11; do
  cc -std=$std -pedantic -Wall -Wextra -Werror -Wstrict-prototypes -fsyntax-only -I"$prefix/include" tests/c/header_c.c \
    || fail "the header does not compile as $std"
done
c++ -std=c++17 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$prefix/include" tests/c/header_cpp.cpp \
  || fail "the header does not compile as C++17"

# The README's C example is examples/c/assess.c, verbatim.
awk '/^```c$/ {inside = 1; next} /^```$/ {if (inside) exit} inside' README.md > "$work/readme.c"
cmp -s "$work/readme.c" examples/c/assess.c || {
  diff -u examples/c/assess.c "$work/readme.c" | head -20
  fail "README.md's C example is not examples/c/assess.c"
}

data="${EXPOSURE_SHARED_DIR:-../shared}/data"
if [ -f "$data/osv-go/golang-vulndb-osv.tar.gz" ]; then
  args=("$data/osv-go/golang-vulndb-osv.tar.gz" "$data/sbom-cyclonedx/proton-bridge__proton-bridge-v1.8.0.bom.json")
  expect='"devices":1,"vulnerable_devices":1,"findings":58}'
else
  case "${CI:-}" in true | 1) fail "the shared data $data is absent in CI" ;; esac
  echo "packaging: SKIPPED the real-data assessment ($data is absent): the examples assess the demo"
  args=()
  expect='"devices":5,"vulnerable_devices":5,"findings":11}'
fi
run() { # name, command...: runs an example, which must print the expected organisation
  local name=$1; shift
  local out
  out=$("$@" "${args[@]}") || fail "$name failed"
  grep -qF "$expect" <<<"$out" || fail "$name printed no $expect: ${out:0:300}"
}

# pkg-config: shared, then static (libexposure.a with the libraries Libs.private names).
export PKG_CONFIG_PATH="$lib/pkgconfig"
[ "$(pkg-config --modversion exposure)" = "$version" ] || fail "pkg-config gives another version"
cc -std=c99 -pedantic -Wall -Wextra -Werror $sanitize examples/c/assess.c $(pkg-config --cflags --libs exposure) -o "$work/pc_shared"
readelf -d "$work/pc_shared" | grep -q "NEEDED.*\[$soname\]" || fail "the shared example does not need $soname"
run "pkg-config shared" env LD_LIBRARY_PATH="$lib" "$work/pc_shared"
static_libs=$(pkg-config --static --libs exposure)
cc -std=c99 -pedantic -Wall -Wextra -Werror $sanitize examples/c/assess.c $(pkg-config --cflags exposure) \
  ${static_libs/-lexposure/-l:libexposure.a} -o "$work/pc_static"
! readelf -d "$work/pc_static" | grep -q "libexposure" || fail "the static example needs libexposure.so"
run "pkg-config static" "$work/pc_static"

# CMake: find_package(exposure) and its targets.
cmake -S examples/cmake -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS="$sanitize" -DCMAKE_CXX_FLAGS="$sanitize" -DCMAKE_EXE_LINKER_FLAGS="$sanitize" >"$work/cmake.log" 2>&1 \
  || { cat "$work/cmake.log"; fail "cmake could not configure examples/cmake"; }
cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; fail "cmake could not build examples/cmake"; }
run "cmake exposure::exposure" "$work/cmake/assess_shared"
run "cmake exposure::static" "$work/cmake/assess_static"
! readelf -d "$work/cmake/assess_static" | grep -q "libexposure" || fail "exposure::static links the shared library"
run "cmake C++ RAII" "$work/cmake/assess_cpp"
"$work/cmake/assess_cpp" | grep -q "^refused: EXPOSURE_STATUS_INVALID_DATE: " || fail "the C++ example's exception lacks its status"
# An older or another major version is refused by the version file.
mkdir -p "$work/v9" && printf 'cmake_minimum_required(VERSION 3.16)\nproject(v LANGUAGES C)\nfind_package(exposure 9.0 REQUIRED CONFIG)\n' > "$work/v9/CMakeLists.txt"
! cmake -S "$work/v9" -B "$work/v9/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null 2>&1 || fail "find_package(exposure 9.0) accepted $version"

echo "packaging: install layout, SONAME $soname, header as C99/C11/C++17, README example, pkg-config (shared, static), CMake (shared, static, C++17): ok"
