/*
 * The part of libsystemd's sd-bus ABI that ctagent uses, declared as function-pointer types
 * so that ServiceControl can load libsystemd.so.0 with dlopen at run time. Linking against it
 * instead would make the binaries fail to start on hosts without libsystemd (containers),
 * where editing the config must still work. sd-bus's ABI is stable (symbol version LIBSYSTEMD_221+).
 */
#ifndef CTAGENT_SD_BUS_ABI_H
#define CTAGENT_SD_BUS_ABI_H

#include <stddef.h>
#include <stdint.h>

typedef struct sd_bus sd_bus;
typedef struct sd_bus_message sd_bus_message;
typedef struct sd_bus_slot sd_bus_slot;

/* Same layout as sd-bus.h's struct sd_bus_error. */
typedef struct ctagent_sd_bus_error {
    const char *name;
    const char *message;
    int _need_free;
} ctagent_sd_bus_error;

typedef int (*ctagent_sd_bus_message_handler_t)(sd_bus_message *m, void *userdata, ctagent_sd_bus_error *ret_error);

typedef int (*ctagent_sd_bus_open_system_t)(sd_bus **ret);
typedef sd_bus *(*ctagent_sd_bus_flush_close_unref_t)(sd_bus *bus);
typedef int (*ctagent_sd_bus_add_match_t)(sd_bus *bus, sd_bus_slot **slot, const char *match,
                                          ctagent_sd_bus_message_handler_t callback, void *userdata);
typedef int (*ctagent_sd_bus_message_new_method_call_t)(sd_bus *bus, sd_bus_message **m, const char *destination,
                                                        const char *path, const char *interface, const char *member);
typedef int (*ctagent_sd_bus_message_append_basic_t)(sd_bus_message *m, char type, const void *p);
typedef int (*ctagent_sd_bus_message_read_basic_t)(sd_bus_message *m, char type, void *p);
typedef int (*ctagent_sd_bus_call_t)(sd_bus *bus, sd_bus_message *m, uint64_t usec, ctagent_sd_bus_error *ret_error,
                                     sd_bus_message **reply);
typedef sd_bus_message *(*ctagent_sd_bus_message_unref_t)(sd_bus_message *m);
typedef int (*ctagent_sd_bus_process_t)(sd_bus *bus, sd_bus_message **r);
typedef int (*ctagent_sd_bus_wait_t)(sd_bus *bus, uint64_t timeout_usec);
typedef void (*ctagent_sd_bus_error_free_t)(ctagent_sd_bus_error *e);
typedef int (*ctagent_sd_bus_message_open_container_t)(sd_bus_message *m, char type, const char *contents);
typedef int (*ctagent_sd_bus_message_close_container_t)(sd_bus_message *m);
typedef int (*ctagent_sd_bus_message_read_array_t)(sd_bus_message *m, char type, const void **ptr, size_t *size);
typedef int (*ctagent_sd_bus_get_property_t)(sd_bus *bus, const char *destination, const char *path, const char *interface,
                                             const char *member, ctagent_sd_bus_error *ret_error, sd_bus_message **reply,
                                             const char *type);
typedef int (*ctagent_sd_bus_get_property_string_t)(sd_bus *bus, const char *destination, const char *path,
                                                    const char *interface, const char *member,
                                                    ctagent_sd_bus_error *ret_error, char **ret);
typedef int (*ctagent_sd_bus_get_property_trivial_t)(sd_bus *bus, const char *destination, const char *path,
                                                     const char *interface, const char *member,
                                                     ctagent_sd_bus_error *ret_error, char type, void *ret_ptr);
typedef int (*ctagent_sd_bus_set_allow_interactive_authorization_t)(sd_bus *bus, int b);

#endif
