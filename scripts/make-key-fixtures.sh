#!/usr/bin/env bash
# Generates the signing-key fixtures under test/fixtures/keys/ with real GnuPG.
# TEST-ONLY keys: the passphrases are published in test/fixtures/keys/README.md. Never use them for anything real.
#
#   scripts/make-key-fixtures.sh            # regenerate everything into test/fixtures/keys/
#   scripts/make-key-fixtures.sh OUT_DIR    # or into another directory (e.g. to check the script)
#
# Every key is generated in a throw-away GNUPGHOME that is removed on exit.
set -euo pipefail

out="${1:-$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/keys}"
mkdir -p "$out"
GNUPGHOME="$(mktemp -d)"
export GNUPGHOME
chmod 700 "$GNUPGHOME"
cleanup() { gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"; }
trap cleanup EXIT
echo 'allow-loopback-pinentry' >"$GNUPGHOME/gpg-agent.conf"

g() { gpg --batch --no-tty --quiet --no-auto-check-trustdb --pinentry-mode loopback "$@"; }
fpr_of() { gpg --batch --with-colons --list-keys "$1" | awk -F: '$1 == "fpr" { print $10; exit }'; }

# gen NAME ALGO PASSPHRASE [EXPIRE] -> primary key that can sign
gen() {
  local name=$1 algo=$2 pass=$3 expire=${4:-0}
  g --passphrase "$pass" --quick-gen-key "jit-gpg test $name <$name@jit-gpg.test>" "$algo" sign "$expire"
  fpr_of "$name@jit-gpg.test"
}
# export NAME FPR PASSPHRASE [secret-export-option]
export_key() {
  local name=$1 fpr=$2 pass=$3 how=${4:---export-secret-keys}
  g --passphrase "$pass" --armor "$how" "$fpr" >"$out/$name.sec.asc"
  g --armor --export "$fpr" >"$out/$name.pub.asc"
  echo "$name $fpr" >>"$out/fingerprints.txt"
}
# set a passphrase on a key generated without one (so RSA-4096 is generated once)
add_passphrase() {
  local fpr=$1 pass=$2
  printf '%s\n' "$pass" | gpg --batch --no-tty --quiet --pinentry-mode loopback --command-fd 0 --passwd "$fpr"
}

: >"$out/fingerprints.txt"

for spec in rsa2048:rsa2048 ed25519:ed25519 p256:nistp256 p384:nistp384; do
  name=${spec%%:*}
  algo=${spec#*:}
  fpr=$(gen "$name" "$algo" '')
  export_key "$name" "$fpr" ''
  fpr=$(gen "$name-pw" "$algo" "test-only-$name-passphrase")
  export_key "$name-pw" "$fpr" "test-only-$name-passphrase"
done

# RSA-4096: one key, exported without and then with a passphrase.
fpr=$(gen rsa4096 rsa4096 '')
export_key rsa4096 "$fpr" ''
add_passphrase "$fpr" 'test-only-rsa4096-passphrase'
g --passphrase 'test-only-rsa4096-passphrase' --armor --export-secret-keys "$fpr" >"$out/rsa4096-pw.sec.asc"
cp "$out/rsa4096.pub.asc" "$out/rsa4096-pw.pub.asc"
echo "rsa4096-pw $fpr" >>"$out/fingerprints.txt"

# Signing-subkey-only export: certify-only primary, an ed25519 signing subkey and an encryption subkey;
# `--export-secret-subkeys` turns the primary into a gnu-dummy stub.
pass='test-only-subkey-passphrase'
g --passphrase "$pass" --quick-gen-key 'jit-gpg test subkey <subkey@jit-gpg.test>' ed25519 cert 0
fpr=$(fpr_of subkey@jit-gpg.test)
g --passphrase "$pass" --quick-add-key "$fpr" ed25519 sign 0
g --passphrase "$pass" --quick-add-key "$fpr" cv25519 encr 0
export_key subkey-only "$fpr" "$pass" --export-secret-subkeys
gpg --batch --with-colons --list-keys "$fpr" | awk -F: '$1 == "fpr" { print "subkey-only-fprs " $10 }' >>"$out/fingerprints.txt"

# Expired: made in 2020 with a one-day lifetime.
fpr=$(g --faked-system-time 20200101T000000 --passphrase '' --quick-gen-key \
  'jit-gpg test expired <expired@jit-gpg.test>' ed25519 sign 1d 2>/dev/null; fpr_of expired@jit-gpg.test)
export_key expired "$fpr" ''

# Revoked: import the revocation certificate GnuPG made at generation time.
fpr=$(gen revoked ed25519 '')
sed 's/^:-----BEGIN/-----BEGIN/' "$GNUPGHOME/openpgp-revocs.d/$fpr.rev" | g --import
export_key revoked "$fpr" ''

# Encryption-only: certify-only primary plus an encryption subkey; nothing can sign.
g --passphrase '' --quick-gen-key 'jit-gpg test encrypt-only <encrypt-only@jit-gpg.test>' ed25519 cert 0
fpr=$(fpr_of encrypt-only@jit-gpg.test)
g --passphrase '' --quick-add-key "$fpr" cv25519 encr 0
export_key encrypt-only "$fpr" ''

echo "wrote $(ls "$out"/*.asc | wc -l) files to $out"
