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
    let openContainer: ctagent_sd_bus_message_open_container_t
    let closeContainer: ctagent_sd_bus_message_close_container_t
    let readArray: ctagent_sd_bus_message_read_array_t
    let getProperty: ctagent_sd_bus_get_property_t
    let getPropertyString: ctagent_sd_bus_get_property_string_t
    let getPropertyTrivial: ctagent_sd_bus_get_property_trivial_t

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
                                                         as: ctagent_sd_bus_set_allow_interactive_authorization_t.self),
            openContainer: try symbol("sd_bus_message_open_container", as: ctagent_sd_bus_message_open_container_t.self),
            closeContainer: try symbol("sd_bus_message_close_container", as: ctagent_sd_bus_message_close_container_t.self),
            readArray: try symbol("sd_bus_message_read_array", as: ctagent_sd_bus_message_read_array_t.self),
            getProperty: try symbol("sd_bus_get_property", as: ctagent_sd_bus_get_property_t.self),
            getPropertyString: try symbol("sd_bus_get_property_string", as: ctagent_sd_bus_get_property_string_t.self),
            getPropertyTrivial: try symbol("sd_bus_get_property_trivial", as: ctagent_sd_bus_get_property_trivial_t.self)
        )
    }
}
