#!/bin/sh
# SPDX-License-Identifier: ISC
# Assemble the bundle in the build tree, laid out exactly as installed, so that
# tests load it through lilv with LV2_PATH=<builddir>/lv2 and every TTL bug
# shows. Usage: build-bundle.sh STAMP BUNDLE_DIR FILE...
set -eu
stamp=$1
bundle=$2
shift 2
rm -rf "$bundle.tmp"
mkdir -p "$bundle.tmp"
cp "$@" "$bundle.tmp/"
rm -rf "$bundle"
mv "$bundle.tmp" "$bundle"
touch "$stamp"
