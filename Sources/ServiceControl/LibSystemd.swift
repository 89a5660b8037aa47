import CSystemd
import Glibc

/// libsystemd's sd-bus, loaded with dlopen so the binaries also start where it is absent.
/// `@unsafe`: it holds C function pointers from dlsym, and a call through one is as safe as
/// the C function it points to, with the arguments it is given.
@unsafe struct LibSystemd {
    let openSystem: ctagent_sd_bus_open_system_t
    let flushCloseUnref: ctagent_sd_bus_flush_close_unref_t
    let addMatch: ctagent_sd_bus_add_match_t
    let newMethodCall: ctagent_sd_bus_message_new_method_call_t
    let appendBasic: ctagent_sd_bus_message_append_basic_t
    let readBasic: ctagent_sd_bus_message_read_basic_t
    let call: ctagent_sd_bus_call_t
    let messageUnref: ctagent_sd_bus_message_unref_t
    let process: ctagent_sd_bus_process_t
    let wait: ctagent_sd_bus_wait_t
    let errorFree: ctagent_sd_bus_error_free_t
    let setAllowInteractiveAuthorization: ctagent_sd_bus_set_allow_interactive_authorization_t

    static func load() throws(RestartError) -> LibSystemd {
        guard let handle = unsafe dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL) else {
            throw .busUnavailable(reason: "libsystemd.so.0 is not installed")
        }
        func symbol<T>(_ name: String, as type: T.Type) throws(RestartError) -> T {
            guard let pointer = unsafe dlsym(handle, name) else {
                throw .busUnavailable(reason: "libsystemd.so.0 has no \(name)")
            }
            return unsafe unsafeBitCast(pointer, to: type)
        }
        return unsafe LibSystemd(
            openSystem: try symbol("sd_bus_open_system", as: ctagent_sd_bus_open_system_t.self),
            flushCloseUnref: try symbol("sd_bus_flush_close_unref", as: ctagent_sd_bus_flush_close_unref_t.self),
            addMatch: try symbol("sd_bus_add_match", as: ctagent_sd_bus_add_match_t.self),
            newMethodCall: try symbol("sd_bus_message_new_method_call", as: ctagent_sd_bus_message_new_method_call_t.self),
            appendBasic: try symbol("sd_bus_message_append_basic", as: ctagent_sd_bus_message_append_basic_t.self),
            readBasic: try symbol("sd_bus_message_read_basic", as: ctagent_sd_bus_message_read_basic_t.self),
            call: try symbol("sd_bus_call", as: ctagent_sd_bus_call_t.self),
            messageUnref: try symbol("sd_bus_message_unref", as: ctagent_sd_bus_message_unref_t.self),
            process: try symbol("sd_bus_process", as: ctagent_sd_bus_process_t.self),
            wait: try symbol("sd_bus_wait", as: ctagent_sd_bus_wait_t.self),
            errorFree: try symbol("sd_bus_error_free", as: ctagent_sd_bus_error_free_t.self),
            setAllowInteractiveAuthorization: try symbol("sd_bus_set_allow_interactive_authorization",
                                                         as: ctagent_sd_bus_set_allow_interactive_authorization_t.self)
        )
    }
}
