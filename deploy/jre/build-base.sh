#!/usr/bin/env bash
# Builds the image deploy/Dockerfile can use as its base from Debian's packages alone, with podman:
#   deploy/jre/build-base.sh              -> localhost/gradstream-jre:17
# then: podman build --build-arg BASE=localhost/gradstream-jre:17 -f deploy/Dockerfile .
# Each image is built once: one that exists is kept (remove it to rebuild). Needs root, debootstrap
# and podman. PODMAN overrides the podman command (for example with --runtime runc).
set -euo pipefail
cd "$(dirname "$0")"
podman_cmd=(${PODMAN:-podman})
minbase=localhost/debian-minbase:bookworm
jre=localhost/gradstream-jre:17

if ! "${podman_cmd[@]}" image exists "$minbase"; then
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
  # what debootstrap downloaded and the docs are no use in an image
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
         "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
  tar -C "$rootfs" -c . | "${podman_cmd[@]}" import --quiet - "$minbase" >/dev/null
fi
if ! "${podman_cmd[@]}" image exists "$jre"; then
  # --layers=false: the JDK stage (680 MB) is not kept once the runtime is copied out of it
  "${podman_cmd[@]}" build -q --layers=false --network host --build-arg DEBIAN="$minbase" -t "$jre" -f Containerfile . >/dev/null
fi
echo "$jre"
