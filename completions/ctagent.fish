function __ctagent_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __ctagent_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __ctagent_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __ctagent_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __ctagent_parse_tokens -S
    set -l unparsed_tokens (__ctagent_tokens -pc)
    switch $unparsed_tokens[1]
    case 'ctagent'
        __ctagent_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'updateProxy'
            __ctagent_parse_subcommand 0 'proxy=' 'proxyUser=' 'proxyPassword=' 'proxyPasswordStdin' 'proxyPasswordFile=' 'verify' 'force' 'target=+' 'timeout=' 'caFile=' 'config=' 'dryRun' 'skipRestart' 'service=' 'restartVia=' 'restartTimeout=' 'confirm=' 'confirmCommand=' 'confirmAllowDirect' 'confirmSettle=' 'stateDir=' 'rollbackOnFailure' 'lockTimeout=' 'json' 'acceptArgvSecrets' 'version' 'h/help'
        case 'clearProxy'
            __ctagent_parse_subcommand 0 'config=' 'dryRun' 'skipRestart' 'service=' 'restartVia=' 'restartTimeout=' 'confirm=' 'confirmCommand=' 'confirmAllowDirect' 'confirmSettle=' 'stateDir=' 'rollbackOnFailure' 'lockTimeout=' 'json' 'acceptArgvSecrets' 'version' 'h/help'
        case 'showProxy'
            __ctagent_parse_subcommand 0 'config=' 'json' 'showSecrets' 'version' 'h/help'
        case 'updateConfig'
            __ctagent_parse_subcommand 0 'param=' 'value=' 'set=+' 'setString=+' 'unset=+' 'allowNewKeys' 'config=' 'dryRun' 'skipRestart' 'service=' 'restartVia=' 'restartTimeout=' 'confirm=' 'confirmCommand=' 'confirmAllowDirect' 'confirmSettle=' 'stateDir=' 'rollbackOnFailure' 'lockTimeout=' 'json' 'acceptArgvSecrets' 'version' 'h/help'
        case 'getConfig'
            __ctagent_parse_subcommand 0 'param=' 'config=' 'json' 'showSecrets' 'version' 'h/help'
        case 'testProxy'
            __ctagent_parse_subcommand 0 'config=' 'target=+' 'timeout=' 'caFile=' 'json' 'all' 'prometheus=' 'stateDir=' 'version' 'h/help'
        case 'encodePassword'
            __ctagent_parse_subcommand 0 'version' 'h/help'
        case 'restart'
            __ctagent_parse_subcommand 0 'service=' 'restartVia=' 'restartTimeout=' 'json' 'version' 'h/help'
        case 'rollback'
            __ctagent_parse_subcommand 0 'config=' 'dryRun' 'skipRestart' 'service=' 'restartVia=' 'restartTimeout=' 'confirm=' 'confirmCommand=' 'confirmAllowDirect' 'confirmSettle=' 'stateDir=' 'rollbackOnFailure' 'lockTimeout=' 'json' 'acceptArgvSecrets' 'expectSHA256=' 'guardRecord=' 'version' 'h/help'
        case 'help'
            __ctagent_parse_subcommand -r 1 'version'
        end
    end
end

function __ctagent_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __ctagent_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __ctagent_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __ctagent_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__ctagent_tokens -p)
    if test -z "$(__ctagent_tokens -t)"
        set -l index (count (__ctagent_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'ctagent' -f
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent" version' -l 'version' -d 'Show the version.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_positional "ctagent" -eq 1' -fa 'updateProxy' -d 'Replace the agent\'s proxy list, users and passwords.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_positional "ctagent" -eq 1' -fa 'clearProxy' -d 'Remove all proxies: the agent connects directly.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_positional "ctagent" -eq 1' -fa 'showProxy' -d 'Show the proxies in failover order, with their users.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_positional "ctagent" -eq 1' -fa 'updateConfig' -d 'Set or remove keys of the agent\'s config file.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_positional "ctagent" -eq 1' -fa 'getConfig' -d 'Print values of the agent\'s config file.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_positional "ctagent" -eq 1' -fa 'testProxy' -d 'Walk the agent\'s failover path for real and say which path it would use.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_positional "ctagent" -eq 1' -fa 'encodePassword' -d 'Print the base64 form of a proxy password read from standard input.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_positional "ctagent" -eq 1' -fa 'restart' -d 'Restart the agent service and wait for the result.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_positional "ctagent" -eq 1' -fa 'rollback' -d 'Put the previous version (config.yaml.bak) back.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_positional "ctagent" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" proxy' -l 'proxy' -d 'Proxies in failover order, comma-separated: http://IP:PORT[,http://IP:PORT...].' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" proxy-user proxyUser' -l 'proxyUser' -l 'proxy-user' -d 'Users, one per proxy, comma-separated (empty entry: no auth for that proxy).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" proxy-password proxyPassword' -l 'proxyPassword' -l 'proxy-password' -d 'Base64 passwords, one per proxy, comma-separated.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" proxy-password-stdin proxyPasswordStdin' -l 'proxyPasswordStdin' -l 'proxy-password-stdin' -d 'Read the password list (same comma format) from standard input.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" proxy-password-file proxyPasswordFile' -l 'proxyPasswordFile' -l 'proxy-password-file' -d 'Read the password list (same comma format) from a file.' -rF
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" verify' -l 'verify' -d 'Before writing, walk the new list as testProxy does; refuse (exit 68) when no proxy in it works.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" force' -l 'force' -d 'With --verify: write even when no proxy works.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy"' -l 'target' -d 'The platform to reach, HOST:PORT (default: the host and port of configuration.platform-url); with testProxy --all, an endpoint besides the config\'s https:// URLs (repeatable).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" timeout' -l 'timeout' -d 'Seconds allowed for each attempt (connect and answer).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" ca-file caFile' -l 'caFile' -l 'ca-file' -d 'Trust only the CA certificates in this PEM file (default: the system\'s trust store, which SSL_CERT_FILE and SSL_CERT_DIR can change).' -rF
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" config' -l 'config' -d 'The agent\'s config file (default: $CTAGENT_CONFIG, else /etc/ctagent/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" dry-run dryRun' -l 'dryRun' -l 'dry-run' -d 'Validate and print the change as a unified diff (secrets masked); write nothing, restart nothing.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" skip-restart skipRestart' -l 'skipRestart' -l 'skip-restart' -d 'Save the change but do not restart the agent service.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" service' -l 'service' -d 'The agent\'s systemd unit (default: $CTAGENT_SERVICE, else ctagent.service).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" restart-via restartVia' -l 'restartVia' -l 'restart-via' -d 'How to restart: auto (D-Bus, then systemctl when the bus cannot be reached), dbus or systemctl.' -rfka 'auto dbus systemctl'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" restart-timeout restartTimeout' -l 'restartTimeout' -l 'restart-timeout' -d 'Seconds to wait for the restart to finish.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" confirm' -l 'confirm' -d 'After the restart, prove within SECONDS that the agent still reaches the platform (the unit stays up, the failover path works through a new proxy, --confirmCommand passes), or take the change back (exit 78). A systemd timer armed first takes it back even if this tool dies, restoring a private copy of the previous version (0600, in --stateDir\'s guards/). At least 2 s.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" confirm-command confirmCommand' -l 'confirmCommand' -l 'confirm-command' -d 'With --confirm: a command that must exit 0 within the window; split into words as systemd splits ExecStart= (quotes honoured, no shell). It runs in its own process group, killed whole at the deadline and once it exits; the last 64 KiB of its output is kept.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" confirm-allow-direct confirmAllowDirect' -l 'confirmAllowDirect' -l 'confirm-allow-direct' -d 'With --confirm: accept the direct path when no proxy of the new list works.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" confirm-settle confirmSettle' -l 'confirmSettle' -l 'confirm-settle' -d 'With --confirm: seconds the unit must stay active, with the same invocation and no restart by systemd, after the restart (default 5, or half the --confirm window when that is shorter; at most the window).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" state-dir stateDir' -l 'stateDir' -l 'state-dir' -d 'With --confirm: the folder whose guards/ subfolder (0700) keeps the guard\'s private copy of the previous version until the change is confirmed or taken back (default /var/lib/ctagent).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" rollback-on-failure rollbackOnFailure' -l 'rollbackOnFailure' -l 'rollback-on-failure' -d 'When the restart after the change fails, put the previous version back and restart again.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" lock-timeout lockTimeout' -l 'lockTimeout' -l 'lock-timeout' -d 'Seconds to wait for another writer to finish.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" json' -l 'json' -d 'Print one JSON object saying what changed, whether it was written and whether the service was restarted.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" accept-argv-secrets acceptArgvSecrets' -l 'acceptArgvSecrets' -l 'accept-argv-secrets' -d 'Do not warn about secrets given on the command line (or set CTAGENT_ACCEPT_ARGV_SECRETS=1).'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" version' -l 'version' -d 'Show the version.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateProxy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" config' -l 'config' -d 'The agent\'s config file (default: $CTAGENT_CONFIG, else /etc/ctagent/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" dry-run dryRun' -l 'dryRun' -l 'dry-run' -d 'Validate and print the change as a unified diff (secrets masked); write nothing, restart nothing.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" skip-restart skipRestart' -l 'skipRestart' -l 'skip-restart' -d 'Save the change but do not restart the agent service.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" service' -l 'service' -d 'The agent\'s systemd unit (default: $CTAGENT_SERVICE, else ctagent.service).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" restart-via restartVia' -l 'restartVia' -l 'restart-via' -d 'How to restart: auto (D-Bus, then systemctl when the bus cannot be reached), dbus or systemctl.' -rfka 'auto dbus systemctl'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" restart-timeout restartTimeout' -l 'restartTimeout' -l 'restart-timeout' -d 'Seconds to wait for the restart to finish.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" confirm' -l 'confirm' -d 'After the restart, prove within SECONDS that the agent still reaches the platform (the unit stays up, the failover path works through a new proxy, --confirmCommand passes), or take the change back (exit 78). A systemd timer armed first takes it back even if this tool dies, restoring a private copy of the previous version (0600, in --stateDir\'s guards/). At least 2 s.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" confirm-command confirmCommand' -l 'confirmCommand' -l 'confirm-command' -d 'With --confirm: a command that must exit 0 within the window; split into words as systemd splits ExecStart= (quotes honoured, no shell). It runs in its own process group, killed whole at the deadline and once it exits; the last 64 KiB of its output is kept.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" confirm-allow-direct confirmAllowDirect' -l 'confirmAllowDirect' -l 'confirm-allow-direct' -d 'With --confirm: accept the direct path when no proxy of the new list works.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" confirm-settle confirmSettle' -l 'confirmSettle' -l 'confirm-settle' -d 'With --confirm: seconds the unit must stay active, with the same invocation and no restart by systemd, after the restart (default 5, or half the --confirm window when that is shorter; at most the window).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" state-dir stateDir' -l 'stateDir' -l 'state-dir' -d 'With --confirm: the folder whose guards/ subfolder (0700) keeps the guard\'s private copy of the previous version until the change is confirmed or taken back (default /var/lib/ctagent).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" rollback-on-failure rollbackOnFailure' -l 'rollbackOnFailure' -l 'rollback-on-failure' -d 'When the restart after the change fails, put the previous version back and restart again.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" lock-timeout lockTimeout' -l 'lockTimeout' -l 'lock-timeout' -d 'Seconds to wait for another writer to finish.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" json' -l 'json' -d 'Print one JSON object saying what changed, whether it was written and whether the service was restarted.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" accept-argv-secrets acceptArgvSecrets' -l 'acceptArgvSecrets' -l 'accept-argv-secrets' -d 'Do not warn about secrets given on the command line (or set CTAGENT_ACCEPT_ARGV_SECRETS=1).'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" version' -l 'version' -d 'Show the version.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent clearProxy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent showProxy" config' -l 'config' -d 'The agent\'s config file (default: $CTAGENT_CONFIG, else /etc/ctagent/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent showProxy" json' -l 'json' -d 'Print one JSON object.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent showProxy" show-secrets showSecrets' -l 'showSecrets' -l 'show-secrets' -d 'Show the base64 passwords instead of masking them.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent showProxy" version' -l 'version' -d 'Show the version.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent showProxy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" param' -l 'param' -d 'Dotted keys, \';\'-separated, e.g. \'configuration.proxy;configuration.proxy-user\'.' -rfka '(__ctagent_custom_completion ---completion updateConfig -- --param (count (__ctagent_tokens -pc)) (__ctagent_tokens -tC))'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" value' -l 'value' -d 'Values, \';\'-separated, one per key of --param.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig"' -l 'set' -d 'Set one key: KEY=VALUE (repeatable).' -rfka '(__ctagent_custom_completion ---completion updateConfig -- --set (count (__ctagent_tokens -pc)) (__ctagent_tokens -tC))'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig"' -l 'setString' -l 'set-string' -d 'Set one key to a string, whatever the text looks like: KEY=VALUE (repeatable).' -rfka '(__ctagent_custom_completion ---completion updateConfig -- --setString (count (__ctagent_tokens -pc)) (__ctagent_tokens -tC))'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig"' -l 'unset' -d 'Remove one key (repeatable).' -rfka '(__ctagent_custom_completion ---completion updateConfig -- --unset (count (__ctagent_tokens -pc)) (__ctagent_tokens -tC))'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" allow-new-keys allowNewKeys' -l 'allowNewKeys' -l 'allow-new-keys' -d 'Allow adding keys that are neither known nor already in the file.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" config' -l 'config' -d 'The agent\'s config file (default: $CTAGENT_CONFIG, else /etc/ctagent/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" dry-run dryRun' -l 'dryRun' -l 'dry-run' -d 'Validate and print the change as a unified diff (secrets masked); write nothing, restart nothing.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" skip-restart skipRestart' -l 'skipRestart' -l 'skip-restart' -d 'Save the change but do not restart the agent service.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" service' -l 'service' -d 'The agent\'s systemd unit (default: $CTAGENT_SERVICE, else ctagent.service).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" restart-via restartVia' -l 'restartVia' -l 'restart-via' -d 'How to restart: auto (D-Bus, then systemctl when the bus cannot be reached), dbus or systemctl.' -rfka 'auto dbus systemctl'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" restart-timeout restartTimeout' -l 'restartTimeout' -l 'restart-timeout' -d 'Seconds to wait for the restart to finish.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" confirm' -l 'confirm' -d 'After the restart, prove within SECONDS that the agent still reaches the platform (the unit stays up, the failover path works through a new proxy, --confirmCommand passes), or take the change back (exit 78). A systemd timer armed first takes it back even if this tool dies, restoring a private copy of the previous version (0600, in --stateDir\'s guards/). At least 2 s.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" confirm-command confirmCommand' -l 'confirmCommand' -l 'confirm-command' -d 'With --confirm: a command that must exit 0 within the window; split into words as systemd splits ExecStart= (quotes honoured, no shell). It runs in its own process group, killed whole at the deadline and once it exits; the last 64 KiB of its output is kept.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" confirm-allow-direct confirmAllowDirect' -l 'confirmAllowDirect' -l 'confirm-allow-direct' -d 'With --confirm: accept the direct path when no proxy of the new list works.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" confirm-settle confirmSettle' -l 'confirmSettle' -l 'confirm-settle' -d 'With --confirm: seconds the unit must stay active, with the same invocation and no restart by systemd, after the restart (default 5, or half the --confirm window when that is shorter; at most the window).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" state-dir stateDir' -l 'stateDir' -l 'state-dir' -d 'With --confirm: the folder whose guards/ subfolder (0700) keeps the guard\'s private copy of the previous version until the change is confirmed or taken back (default /var/lib/ctagent).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" rollback-on-failure rollbackOnFailure' -l 'rollbackOnFailure' -l 'rollback-on-failure' -d 'When the restart after the change fails, put the previous version back and restart again.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" lock-timeout lockTimeout' -l 'lockTimeout' -l 'lock-timeout' -d 'Seconds to wait for another writer to finish.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" json' -l 'json' -d 'Print one JSON object saying what changed, whether it was written and whether the service was restarted.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" accept-argv-secrets acceptArgvSecrets' -l 'acceptArgvSecrets' -l 'accept-argv-secrets' -d 'Do not warn about secrets given on the command line (or set CTAGENT_ACCEPT_ARGV_SECRETS=1).'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" version' -l 'version' -d 'Show the version.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent updateConfig" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent getConfig" param' -l 'param' -d 'Dotted keys to print, \';\'-separated (default: all).' -rfka '(__ctagent_custom_completion ---completion getConfig -- --param (count (__ctagent_tokens -pc)) (__ctagent_tokens -tC))'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent getConfig" config' -l 'config' -d 'The agent\'s config file (default: $CTAGENT_CONFIG, else /etc/ctagent/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent getConfig" json' -l 'json' -d 'Print one JSON object of key to value.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent getConfig" show-secrets showSecrets' -l 'showSecrets' -l 'show-secrets' -d 'Show secret values instead of masking them.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent getConfig" version' -l 'version' -d 'Show the version.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent getConfig" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent testProxy" config' -l 'config' -d 'The agent\'s config file (default: $CTAGENT_CONFIG, else /etc/ctagent/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent testProxy"' -l 'target' -d 'The platform to reach, HOST:PORT (default: the host and port of configuration.platform-url); with testProxy --all, an endpoint besides the config\'s https:// URLs (repeatable).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent testProxy" timeout' -l 'timeout' -d 'Seconds allowed for each attempt (connect and answer).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent testProxy" ca-file caFile' -l 'caFile' -l 'ca-file' -d 'Trust only the CA certificates in this PEM file (default: the system\'s trust store, which SSL_CERT_FILE and SSL_CERT_DIR can change).' -rF
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent testProxy" json' -l 'json' -d 'Print one JSON object with every attempt and the verdict.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent testProxy" all' -l 'all' -d 'Probe every proxy and the direct path to every endpoint, and report the redundancy.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent testProxy" prometheus' -l 'prometheus' -d 'With --all: write the result as Prometheus textfile metrics to this file (atomically).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'prom\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent testProxy" state-dir stateDir' -l 'stateDir' -l 'state-dir' -d 'With --all: the folder that remembers the last redundancy (default /var/lib/ctagent).' -rfa '(__ctagent_complete_directories)'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent testProxy" version' -l 'version' -d 'Show the version.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent testProxy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent encodePassword" version' -l 'version' -d 'Show the version.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent encodePassword" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent restart" service' -l 'service' -d 'The agent\'s systemd unit (default: $CTAGENT_SERVICE, else ctagent.service).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent restart" restart-via restartVia' -l 'restartVia' -l 'restart-via' -d 'How to restart: auto (D-Bus, then systemctl when the bus cannot be reached), dbus or systemctl.' -rfka 'auto dbus systemctl'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent restart" restart-timeout restartTimeout' -l 'restartTimeout' -l 'restart-timeout' -d 'Seconds to wait for the restart to finish.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent restart" json' -l 'json' -d 'Print one JSON object saying whether the service was restarted.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent restart" version' -l 'version' -d 'Show the version.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent restart" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" config' -l 'config' -d 'The agent\'s config file (default: $CTAGENT_CONFIG, else /etc/ctagent/config.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" dry-run dryRun' -l 'dryRun' -l 'dry-run' -d 'Validate and print the change as a unified diff (secrets masked); write nothing, restart nothing.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" skip-restart skipRestart' -l 'skipRestart' -l 'skip-restart' -d 'Save the change but do not restart the agent service.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" service' -l 'service' -d 'The agent\'s systemd unit (default: $CTAGENT_SERVICE, else ctagent.service).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" restart-via restartVia' -l 'restartVia' -l 'restart-via' -d 'How to restart: auto (D-Bus, then systemctl when the bus cannot be reached), dbus or systemctl.' -rfka 'auto dbus systemctl'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" restart-timeout restartTimeout' -l 'restartTimeout' -l 'restart-timeout' -d 'Seconds to wait for the restart to finish.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" confirm' -l 'confirm' -d 'After the restart, prove within SECONDS that the agent still reaches the platform (the unit stays up, the failover path works through a new proxy, --confirmCommand passes), or take the change back (exit 78). A systemd timer armed first takes it back even if this tool dies, restoring a private copy of the previous version (0600, in --stateDir\'s guards/). At least 2 s.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" confirm-command confirmCommand' -l 'confirmCommand' -l 'confirm-command' -d 'With --confirm: a command that must exit 0 within the window; split into words as systemd splits ExecStart= (quotes honoured, no shell). It runs in its own process group, killed whole at the deadline and once it exits; the last 64 KiB of its output is kept.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" confirm-allow-direct confirmAllowDirect' -l 'confirmAllowDirect' -l 'confirm-allow-direct' -d 'With --confirm: accept the direct path when no proxy of the new list works.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" confirm-settle confirmSettle' -l 'confirmSettle' -l 'confirm-settle' -d 'With --confirm: seconds the unit must stay active, with the same invocation and no restart by systemd, after the restart (default 5, or half the --confirm window when that is shorter; at most the window).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" state-dir stateDir' -l 'stateDir' -l 'state-dir' -d 'With --confirm: the folder whose guards/ subfolder (0700) keeps the guard\'s private copy of the previous version until the change is confirmed or taken back (default /var/lib/ctagent).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" rollback-on-failure rollbackOnFailure' -l 'rollbackOnFailure' -l 'rollback-on-failure' -d 'When the restart after the change fails, put the previous version back and restart again.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" lock-timeout lockTimeout' -l 'lockTimeout' -l 'lock-timeout' -d 'Seconds to wait for another writer to finish.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" json' -l 'json' -d 'Print one JSON object saying what changed, whether it was written and whether the service was restarted.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" accept-argv-secrets acceptArgvSecrets' -l 'acceptArgvSecrets' -l 'accept-argv-secrets' -d 'Do not warn about secrets given on the command line (or set CTAGENT_ACCEPT_ARGV_SECRETS=1).'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" expect-sha256 expectSHA256' -l 'expectSHA256' -l 'expect-sha256' -d 'Roll back only while the config\'s SHA-256 is this one (what --confirm\'s guard passes); otherwise a later change stands and nothing is written (exit 0).' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" guard-record guardRecord' -l 'guardRecord' -l 'guard-record' -d 'With --expectSHA256: restore the private copy this guard record names (what --confirm\'s guard passes), not config.yaml.bak.' -rfka ''
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" version' -l 'version' -d 'Show the version.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent rollback" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ctagent' -n '__ctagent_should_offer_completions_for_flags_or_options "ctagent help" version' -l 'version' -d 'Show the version.'
