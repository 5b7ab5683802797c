#!/usr/bin/env bash
# Debian packages the tests need: Chromium for end-to-end tests, Python + torch/onnx/scipy/h5py for the
# training pipeline and the independent reference readers. Skips apt when everything is already there.
set -euo pipefail
PKGS=(chromium python3-torch python3-onnx python3-h5py python3-scipy python3-pandas python3-pytest python3-matplotlib)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
