/// The part of every command's help that an admin needs whichever command they looked up:
/// where the config is, what the environment changes, and what the exit code means.
enum HelpText {
    static let reference = """


        Config file: /etc/ctagent/config.yaml, or --config FILE, or $CTAGENT_CONFIG. Writers lock \
        .config.yaml.lock beside it (never through a symlink) and keep the previous version as \
        config.yaml.bak, replaced only once the new config is in place. Owner, mode, ACLs and \
        extended attributes (SELinux labels) are kept on both. Only regular files are edited; a \
        config or folder that users other than root and the owner can write is refused (77). \
        Other hard links to the config keep the old content (a warning says so).

        Environment: CTAGENT_CONFIG (the config file), CTAGENT_SERVICE (the agent's systemd unit, \
        default ctagent.service), DBUS_SYSTEM_BUS_ADDRESS (the system bus used for restarts).

        Exit codes: 0 success (also "already up to date" and --dryRun); 64 bad arguments or values; \
        65 config cannot be parsed or edited safely, or holds unusable proxy settings; 66 config file missing; 68 no path to the \
        platform works; 69 restart failed or not confirmed (the config was saved); 73 file cannot be \
        replaced; 74 I/O error while writing; 75 lock held by another writer; 77 permission denied.
        """

    /// What each subcommand's help says instead of repeating `reference` (kept once, in the
    /// top-level help and man page).
    static let pointer = """


        The config file, the environment variables and the exit codes: ctagent --help (man ctagent).
        """
}
