#!/usr/bin/env bash
# Regenerates the committed seed corpora in Fuzz/seeds from inputs nobody here wrote (the
# yaml-test-suite) and from the project's examples and fixtures. Run from the package root:
#   Fuzz/make-seeds.sh [YAML_TEST_SUITE]
set -euo pipefail
cd "$(dirname "$0")/.."
suite=${1:-${YAML_TEST_SUITE:-../shared/yaml-test-suite}}
rm -rf Fuzz/seeds && mkdir -p Fuzz/seeds/YAMLEdit Fuzz/seeds/Validators Fuzz/seeds/ProbeReply
n=0
# YAMLEdit: two selector bytes (operation/key, value), then the file.
while IFS= read -r file; do
  n=$((n + 1))
  { printf "\\x$(printf %02x $((n % 256)))\\x$(printf %02x $((n * 7 % 256)))"; cat "$file"; } > "Fuzz/seeds/YAMLEdit/suite-$n"
done < <(find "$suite" -name in.yaml | sort)
for op in 0 1 2 3 4 5 6 7; do
  { printf "\\x0$op\\x0$op"; cat examples/config.yaml; } > "Fuzz/seeds/YAMLEdit/example-$op"
done
# Validators: proxies, users and passwords, one per line.
printf '%s\n' 'http://10.10.6.4:3128,http://10.10.4.5:4128' 'ctuser1,ctuser2' 'Y29sb3JzMzIxMQ==,Y29sb3JzMzIxMg==' > Fuzz/seeds/Validators/documentation
printf '%s\n' 'http://[fd00::10]:3128,https://127.0.0.1:8443' ',ctuser' ',cGFzc3dvcmQ=' > Fuzz/seeds/Validators/ipv6-https
printf '%s\n' 'http://user:pw@10.0.0.1:3128;http://proxy.example.net:80' 'a b' 'password' > Fuzz/seeds/Validators/mistakes
printf '%s' 'https://platform.example.net:443/path?q#f' > Fuzz/seeds/Validators/platform-url
printf '%s' 'HTTP://010.10.6.4:03128,10.10.6.4:65536,ftp://1.2.3.4:21' > Fuzz/seeds/Validators/odd-proxies
# ProbeReply: what proxies answer to CONNECT.
printf 'HTTP/1.1 200 Connection established\r\n\r\n' > Fuzz/seeds/ProbeReply/ok
printf 'HTTP/1.0 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="x"\r\n\r\n' > Fuzz/seeds/ProbeReply/407
printf 'HTTP/1.1 403 Access violation\r\nContent-Length: 0\r\n\r\n' > Fuzz/seeds/ProbeReply/403
printf 'HTTP/1.0 500 Unable to connect\r\nServer: tinyproxy/1.11.1\r\n\r\n' > Fuzz/seeds/ProbeReply/500
printf 'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n' > Fuzz/seeds/ProbeReply/ssh
printf 'HTTP/1.1 200\n\n' > Fuzz/seeds/ProbeReply/bare-lf
echo "seeds: $(find Fuzz/seeds -type f | wc -l) files"
