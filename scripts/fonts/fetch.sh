#!/usr/bin/env bash
# Fetches the fonts compiled into report.pdf from pinned Debian packages.
#
#     scripts/fonts/fetch.sh            # (re)write fonts/ and fonts/licences/
#     scripts/fonts/fetch.sh --check    # fetch into a temp dir and compare with fonts/
#
# Each .deb comes through `apt-get download` (Debian's own client) and is checked against the
# sha256 pinned below before it is opened; each extracted font is checked again against its own
# pinned sha256, which src/render/pdf/fonts.rs also tests against the embedded bytes.
# Needs: apt-get (Debian 12 "bookworm" sources), dpkg-deb, sha256sum.
set -euo pipefail
cd "$(dirname "$0")/../.."

# package=version, sha256 of the .deb
DEBS=(
  "fonts-dejavu-core=2.37-6 8892669e51aab4dc56682c8e39d8ddb7d70fad83c369344e1e240bf3ca22bb76"
  "fonts-droid-fallback=1:6.0.1r16-1.1 d2096d4edde128fedf6749be2dd204a5810210a6201126d99b8d412344f71056"
)
# path inside the package, sha256 of the file
FONTS=(
  "usr/share/fonts/truetype/dejavu/DejaVuSans.ttf abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322"
  "usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf 0d977336a6d5fba34eab8e3199eb218327161b5143749f802982c2bc34df0c96"
  "usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf 0f5db4f1749979d961019838b160bec74abdf7f9eca69553fe1aa856bbff49a4"
  "usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf acb6440a713d880a13a21b468ba7cd43f5a2b2934972e51be791c880730777b8"
)
# The packages' copyright files, renamed per package.
LICENCES=(
  "usr/share/doc/fonts-dejavu-core/copyright fonts-dejavu-core.copyright"
  "usr/share/doc/fonts-droid-fallback/copyright fonts-droid-fallback.copyright"
)
# Droid's copyright file refers to Debian's copy of the Apache licence (package base-files).
APACHE=/usr/share/common-licenses/Apache-2.0
APACHE_SHA256=cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30

check=no
[[ "${1:-}" == "--check" ]] && check=yes

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sha_of() { sha256sum "$1" | cut -d' ' -f1; }
need_sha() { # file expected what
  local got
  got=$(sha_of "$1")
  if [[ "$got" != "$2" ]]; then
    echo "error: $3: sha256 $got, expected $2; refusing to use it" >&2
    exit 1
  fi
}

(cd "$work" && for entry in "${DEBS[@]}"; do apt-get download -q "${entry%% *}" >/dev/null; done)
for entry in "${DEBS[@]}"; do
  pkgver=${entry%% *} sha=${entry##* }
  pkg=${pkgver%%=*}
  deb=$(ls "$work"/"$pkg"_*.deb)
  need_sha "$deb" "$sha" "$pkgver"
  dpkg-deb -x "$deb" "$work/root"
done

out="$work/out"
mkdir -p "$out/licences"
for entry in "${FONTS[@]}"; do
  path=${entry%% *} sha=${entry##* }
  need_sha "$work/root/$path" "$sha" "$path"
  cp "$work/root/$path" "$out/"
done
for entry in "${LICENCES[@]}"; do
  cp "$work/root/${entry%% *}" "$out/licences/${entry##* }"
done
need_sha "$APACHE" "$APACHE_SHA256" "$APACHE (package base-files)"
cp "$APACHE" "$out/licences/Apache-2.0"

if [[ $check == yes ]]; then
  status=0
  for f in "$out"/*.ttf "$out"/licences/*; do
    rel=${f#"$out"/}
    if ! cmp -s "$f" "fonts/$rel"; then
      echo "fonts/$rel differs from the pinned package" >&2
      status=1
    fi
  done
  [[ $status == 0 ]] && echo "fonts/ matches the pinned packages"
  exit $status
fi

mkdir -p fonts/licences
cp "$out"/*.ttf fonts/
cp "$out"/licences/* fonts/licences/
echo "wrote fonts/ from ${#DEBS[@]} packages:"
(cd fonts && sha256sum ./*.ttf)
