#!/usr/bin/python3
"""A stand-in for the endpoint-security agent, run by real systemd in the VM test
(scripts/test-systemd-vm.sh) as ctagent.service with Restart=on-failure.

It reads /etc/ctagent/config.yaml as the agent does and reaches its platform the way the
seed's failover rule says: the proxies in order (CONNECT, then TLS with the platform), the
first that works is kept, direct when none does. It exits 1 — and systemd restarts it, so
NRestarts climbs for real — when the config cannot be read, when it holds a value this
agent cannot live with (log-level "trace": the tool accepts it, this agent does not), or
when no path reaches the platform. While it runs it checks its path every 2 s."""
import socket
import ssl
import sys
import time
import urllib.parse

import yaml

from tls_fixtures import read_request  # beside this file in the VM

CONFIG = sys.argv[1] if len(sys.argv) > 1 else '/etc/ctagent/config.yaml'
CA = '/usr/lib/ssl/cert.pem'


def reaches(platform, proxy):
    host, port = platform
    try:
        if proxy:
            connection = socket.create_connection(proxy, timeout=3)
            connection.sendall(f'CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n'.encode())
            status_line = read_request(connection)  # the proxy's answer is read as a request is
            if status_line is None or status_line.split(' ')[1] != '200':
                return False
        else:
            connection = socket.create_connection((host, port), timeout=3)
        context = ssl.create_default_context(cafile=CA)
        with context.wrap_socket(connection, server_hostname=host):
            return True
    except (OSError, ssl.SSLError, IndexError):
        return False


def path_to(settings):
    url = urllib.parse.urlsplit(str(settings['platform-url']))
    platform = (url.hostname, url.port or 443)
    proxies = [p for p in str(settings.get('proxy') or '').split(',') if p]
    for index, proxy in enumerate(proxies, 1):
        address = urllib.parse.urlsplit(proxy)
        if reaches(platform, (address.hostname, address.port)):
            return f'proxy #{index} {proxy}'
    return 'direct' if reaches(platform, None) else None


def main():
    try:
        with open(CONFIG) as f:
            settings = yaml.safe_load(f)['configuration']
    except Exception as error:  # the agent cannot start without its config
        print(f'cannot read {CONFIG}: {error}', flush=True)
        sys.exit(1)
    if settings.get('log-level') == 'trace':
        print('log-level trace is not supported by this agent', flush=True)
        sys.exit(1)
    while True:
        path = path_to(settings)
        if path is None:
            print('no path to the platform', flush=True)
            sys.exit(1)
        print(f'heartbeat via {path}', flush=True)
        time.sleep(2)


main()
