extension String {
    /// `8` → `08`: numbers as the kernel and systemd print them (/proc/locks device numbers,
    /// InvocationID bytes, `\x` escapes).
    public func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
