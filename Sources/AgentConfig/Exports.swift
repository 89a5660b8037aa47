// The proxy list's values are part of the settings model's interface: whoever reads the
// settings gets them too.
@_exported import ProxyList
