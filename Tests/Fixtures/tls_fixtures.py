"""TLS peers for testProxy's tests, on loopback only, with certificates made here.

  tls_fixtures.py certs DIR
      CA "ctagent Test Root CA" (ca.pem), and signed by it: platform.pem (127.0.0.1, localhost),
      expired.pem, wrong-name.pem (other.example), proxy.pem (127.0.0.1); a second CA
      "Corp TLS Inspection CA" (intercept-ca.pem) and its intercept.pem (127.0.0.1, localhost);
      selfsigned.pem. Each NAME.pem has its key in NAME.key.
  tls_fixtures.py server PORT_FILE CERT      a TLS server (the platform)
  tls_fixtures.py intercept PORT_FILE CERT   a proxy that answers CONNECT with 200 and then
                                             presents CERT itself (TLS interception)
  tls_fixtures.py https-proxy PORT_FILE CERT an https:// proxy: TLS, then CONNECT, then a relay
Each server listens on 127.0.0.1, writes its port to PORT_FILE, and serves until killed."""
import datetime
import ipaddress
import os
import socket
import ssl
import sys
import threading

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
except ImportError:
    # Only `certs` needs it: the servers run on ssl alone (in the systemd VM, which has no
    # python3-cryptography, with certificates made outside).
    x509 = None

NOW = datetime.datetime.now(datetime.timezone.utc)


def name(common):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ctagent tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make(directory, filename, common, issuer=None, ca=False, hosts=(), not_before=None, not_after=None):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = name(common)
    signer_name, signer_key = (issuer if issuer else (subject, key))
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(signer_name).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before or NOW - datetime.timedelta(days=1))
               .not_valid_after(not_after or NOW + datetime.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if hosts:
        entries = []
        for host in hosts:
            try:
                entries.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                entries.append(x509.DNSName(host))
        builder = builder.add_extension(x509.SubjectAlternativeName(entries), critical=False)
    certificate = builder.sign(signer_key, hashes.SHA256())
    with open(os.path.join(directory, filename + ".pem"), "wb") as out:
        out.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(os.path.join(directory, filename + ".key"), "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return subject, key


def certs(directory):
    os.makedirs(directory, exist_ok=True)
    root = make(directory, "ca", "ctagent Test Root CA", ca=True)
    loopback = ("127.0.0.1", "localhost")
    make(directory, "platform", "platform.test", issuer=root, hosts=loopback)
    make(directory, "expired", "platform.test", issuer=root, hosts=loopback,
         not_before=NOW - datetime.timedelta(days=60), not_after=NOW - datetime.timedelta(days=30))
    make(directory, "wrong-name", "other.example", issuer=root, hosts=("other.example", "10.0.0.1"))
    make(directory, "proxy", "proxy.test", issuer=root, hosts=("127.0.0.1",))
    inspection = make(directory, "intercept-ca", "Corp TLS Inspection CA", ca=True)
    make(directory, "intercept", "platform.test", issuer=inspection, hosts=loopback)
    make(directory, "selfsigned", "platform.test", hosts=loopback)


def tls_context(cert):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, cert[:-4] + ".key")
    return context


def listen(port_file):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    with open(port_file + ".tmp", "w") as out:
        out.write(str(server.getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    return server


def read_request(connection):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            return None
        data += chunk
    return data.split(b"\r\n")[0].decode("latin-1")


def relay(a, b):
    def pump(source, target):
        try:
            while True:
                data = source.recv(16384)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
    threading.Thread(target=pump, args=(a, b), daemon=True).start()
    pump(b, a)


def serve(port_file, handler):
    server = listen(port_file)
    while True:
        connection, _ = server.accept()
        threading.Thread(target=guarded, args=(handler, connection), daemon=True).start()


def guarded(handler, connection):
    try:
        connection.settimeout(10)
        handler(connection)
    except (OSError, ssl.SSLError):
        pass
    finally:
        connection.close()


def main():
    command = sys.argv[1]
    if command == "certs":
        if x509 is None:
            sys.exit("tls_fixtures.py certs needs python3-cryptography")
        certs(sys.argv[2])
        return
    port_file, cert = sys.argv[2], sys.argv[3]
    context = tls_context(cert)
    if command == "server":
        def platform(connection):
            with context.wrap_socket(connection, server_side=True) as tls:
                tls.recv(1)  # until the client closes
        serve(port_file, platform)
    elif command == "intercept":
        def intercept(connection):
            if read_request(connection) is None:
                return
            connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            with context.wrap_socket(connection, server_side=True) as tls:
                tls.recv(1)
        serve(port_file, intercept)
    elif command == "https-proxy":
        def https_proxy(connection):
            tls = context.wrap_socket(connection, server_side=True)
            line = read_request(tls)
            if not line or not line.startswith("CONNECT "):
                return
            host, port = line.split(" ")[1].rsplit(":", 1)
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=5)
            tls.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            relay(tls, upstream)
        serve(port_file, https_proxy)
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main()
