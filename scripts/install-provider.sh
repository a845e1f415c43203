#!/usr/bin/env bash
# Builds the calinks provider into the project mirror under both registry
# host names, so that terraform and tofu install it like a published one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=${1:?usage: install-provider.sh VERSION}
platform="$(go env GOOS)_$(go env GOARCH)"
binary="terraform-provider-calinks_v$version"
primary="$root/.build/mirror/registry.terraform.io/calinks/calinks/$version/$platform/$binary"
mkdir -p "$(dirname "$primary")"
(cd "$root" && go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$primary.tmp" .)
mv "$primary.tmp" "$primary"
secondary="$root/.build/mirror/registry.opentofu.org/calinks/calinks/$version/$platform/$binary"
mkdir -p "$(dirname "$secondary")"
ln -sfn "$primary" "$secondary"
echo "calinks/calinks $version: $primary"
