/// The part of every command's help that an admin needs whichever command they looked up:
/// where the config is, what the environment changes, and what the exit code means.
enum HelpText {
    static let reference = """


        Config file: /etc/ctagent/config.yaml, or --config FILE, or $CTAGENT_CONFIG. Writers lock \
        .config.yaml.lock beside it (never through a symlink) and keep the previous version as \
        config.yaml.bak, replaced only once the new config is in place. Owner, mode, ACLs and \
        extended attributes (SELinux labels) are kept on both. Only regular files are edited; a \
        config, or a folder on its path, that users other than root and the owner can write is \
        refused (77). \
        Other hard links to the config keep the old content (a warning says so).

        Secrets: a key is secret by its words (password, pass, passwd, passphrase, secret, token, \
        credential, key or keys as a word, apikey, Authorization, bearer, cookie, pin), and so is \
        everything under it, every alias of a secret anchor and the user-info of a URL. They are \
        masked in every output unless --showSecrets.

        Confirmed changes: with --confirm SECONDS a writing command proves, after the restart, that \
        the unit stays up (--confirmSettle), that the agent's failover path works through a proxy of \
        the new file (or direct, with --confirmAllowDirect or no proxies) and that --confirmCommand \
        exits 0; otherwise it puts the previous version back, restarts the agent and exits 78. A \
        transient systemd timer armed before the write takes the change back if the tool dies; \
        confirmation stops it.

        Environment: CTAGENT_CONFIG (the config file), CTAGENT_SERVICE (the agent's systemd unit, \
        default ctagent.service), DBUS_SYSTEM_BUS_ADDRESS (the system bus used for restarts), \
        CTAGENT_ACCEPT_ARGV_SECRETS=1 (no warning about passwords on the command line), \
        SSL_CERT_FILE and SSL_CERT_DIR (the trust store testProxy verifies against).
        """ + "\n\n" + ExitStatus.paragraph

    /// What each subcommand's help says instead of repeating `reference` (kept once, in the
    /// top-level help and man page).
    static let pointer = """


        The config file, the environment variables and the exit codes: ctagent --help (man ctagent).
        """
}
