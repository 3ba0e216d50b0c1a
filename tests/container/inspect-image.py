#!/usr/bin/python3
"""Reads an image saved with `docker save` (legacy or OCI layout), layer by layer.

  inspect-image.py files IMAGE_TAR SKIP    every path added by the layers after the first SKIP
                                           (the base image's), one per line
  inspect-image.py secrets IMAGE_TAR       every layer's files, deleted or not, searched for
                                           secrets; prints each finding, exits 1 if any

Each layer is read on its own, so a file that a later layer deletes is still found: that is
what anyone who pulls the image can read.
"""
import json
import re
import sys
import tarfile

# What must never be in an image: the documented Development key, private keys, passwords in
# connection strings, and files that carry credentials.
CONTENT = [
    (re.compile(rb"appraise-dev-key"), "the Development API key"),
    (re.compile(rb"-----BEGIN (?:RSA |EC |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"), "a private key"),
    (re.compile(rb"(?i)\b(?:password|pwd)=[^;\s\"'{}<>]{3,}"), "a password in a connection string"),
    (re.compile(rb"ClearTextPassword"), "a NuGet credential"),
    (re.compile(rb"//[^/\s]+/:_authToken="), "an npm token"),
]
NAMES = [
    (re.compile(r"(^|/)appsettings\.Development\.json$"), "the Development settings (they hold the Development key)"),
    (re.compile(r"\.(pfx|p12|pem|key)$"), "a key or certificate file"),
    (re.compile(r"(^|/)(id_rsa|id_ed25519|\.git-credentials|\.npmrc|\.netrc)$"), "a credentials file"),
    (re.compile(r"(^|/)\.git/"), "a git repository"),
]
# Certificate bundles are public by nature.
PUBLIC = re.compile(r"(^|/)(etc/ssl/certs/|usr/share/ca-certificates/)")


def layers(image_tar):
    with tarfile.open(image_tar) as image:
        manifest = json.load(image.extractfile("manifest.json"))[0]
        for index, name in enumerate(manifest["Layers"]):
            with tarfile.open(fileobj=image.extractfile(name)) as layer:
                yield index, layer


def files(image_tar, skip):
    for index, layer in layers(image_tar):
        if index >= skip:
            for member in layer.getmembers():
                print(member.name)


def secrets(image_tar):
    findings = 0
    for index, layer in layers(image_tar):
        for member in layer.getmembers():
            if PUBLIC.search(member.name):
                continue
            for pattern, what in NAMES:
                if pattern.search(member.name):
                    print(f"layer {index}: {member.name}: {what}")
                    findings += 1
            if not member.isfile():
                continue
            content = layer.extractfile(member).read()
            for pattern, what in CONTENT:
                if pattern.search(content):
                    print(f"layer {index}: {member.name}: {what}")
                    findings += 1
    print(f"{findings} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["files"] and len(sys.argv) == 4:
        files(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1:2] == ["secrets"] and len(sys.argv) == 3:
        sys.exit(secrets(sys.argv[2]))
    else:
        sys.exit(__doc__)
