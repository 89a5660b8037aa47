import Glibc
import SystemCalls
import Testing
import TestSupport

@Suite struct SocketAddressTests {
    @Test(arguments: [("127.0.0.1", AF_INET, MemoryLayout<sockaddr_in>.size), ("::1", AF_INET6, MemoryLayout<sockaddr_in6>.size)])
    func numericAddressesBecomeTheirFamily(address: String, family: Int32, length: Int) throws {
        let parsed = try #require(SocketAddress(numeric: address, port: 3128))
        #expect(parsed.family == family && Int(parsed.length) == length)
        let port = parsed.withSockaddr { pointer, _ in
            family == AF_INET
                ? pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
                : pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
        }
        #expect(UInt16(bigEndian: port) == 3128)
    }

    @Test(arguments: ["localhost", "127.0.0.256", "", "::g", "10.0.0.1 "])
    func namesAndMalformedAddressesAreRefused(address: String) {
        #expect(SocketAddress(numeric: address, port: 80) == nil)
    }

    @Test func unixPathsFitSunPathOrAreRefused() throws {
        let address = try #require(SocketAddress(unixPath: "/run/systemd/journal/socket"))
        #expect(address.family == AF_UNIX)
        #expect(Int(address.length) == MemoryLayout<sa_family_t>.size + "/run/systemd/journal/socket".utf8.count + 1)
        #expect(SocketAddress(unixPath: "/" + String(repeating: "x", count: 107)) == nil)
        #expect(SocketAddress(unixPath: "/with\u{0}zero") == nil)
    }

    /// The address and the datagram call meet a real socket: a receiver bound on a path.
    @Test func aDatagramReachesAUnixSocketBoundAtThePath() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/receiver"
            let address = try #require(SocketAddress(unixPath: path))
            let receiver = try FileDescriptor.socket(family: AF_UNIX, type: .datagram)
            let bound = address.withSockaddr { bind(receiver.rawValue, $0, $1) }
            #expect(bound == 0)
            let sender = try FileDescriptor.socket(family: AF_UNIX, type: .datagram)
            #expect(try sender.sendDatagram(Array("MESSAGE=hello\n".utf8), to: address))
            #expect(try receiver.receive(upTo: 100) == Array("MESSAGE=hello\n".utf8))
        }
    }
}
