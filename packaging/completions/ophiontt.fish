# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ophiontt_global_optspecs
    string join \n config= data= h/help V/version
end

function __fish_ophiontt_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ophiontt_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ophiontt_using_subcommand
    set -l cmd (__fish_ophiontt_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ophiontt -n "__fish_ophiontt_needs_command" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_needs_command" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "serve" -d 'Run the server: web UI, API and admin socket'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "check" -d 'Validate the configuration, print every key\'s value and source, and open the store'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "tls" -d 'Certificates for the built-in HTTPS listener'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "backup" -d 'Take, list and verify backups'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "restore" -d 'Restore a backup into a new or empty data folder (--data); the server need not run'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "job" -d 'List the scheduled jobs and their last runs, or run one now'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "user" -d 'Manage user accounts (through the running server\'s admin socket, or the store directly)'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "privacy" -d 'The privacy-request register and the tools that perform each request'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "audit" -d 'Inspect the audit log'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "retention" -d 'Show and apply the retention rules ([retention] in the config)'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "hold" -d 'Place, list and release legal holds'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "export" -d 'Export entries into a file: CSV, JSON, XLSX, iCalendar or PDF (docs/exports.md)'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "import" -d 'Import entries from Toggl, Clockify, Kimai, solidtime or an OphionTT JSON export (docs/imports.md); --dry-run first shows what it would do'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "login" -d 'Sign in to a server from this terminal: keeps a personal API token for `timer` in ~/.config/ophiontt/client.toml (mode 0600). See docs/integrations.md'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "logout" -d 'Forget the server and token `login` stored (and say how to revoke the token)'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "timer" -d 'Start, stop and list your time from a terminal, against a running server (quick-add lines, as in the web UI). Exit codes: 0 ok, 1 refused, 2 usage, 3 server unreachable'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "completions" -d 'Print shell completions for bash, zsh, fish, elvish or PowerShell, e.g. `ophiontt completions bash > ~/.local/share/bash-completion/completions/ophiontt` (the .deb installs them already)'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "seed" -d 'Fill the store with synthetic users, projects and entries, for benchmarks (server stopped)'
complete -c ophiontt -n "__fish_ophiontt_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand serve" -l listen -d 'Address to listen on, e.g. 127.0.0.1:8080; port 0 picks a free port (printed)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand serve" -l tls-cert -d 'PEM certificate chain: serve HTTPS only (with --tls-key; config tls.cert)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand serve" -l tls-key -d 'PEM private key of --tls-cert (config tls.key)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand serve" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand serve" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand serve" -l allow-plain-http -d 'Serve plain HTTP on a non-loopback address, for a TLS-terminating proxy in front (config server.allow_plain_http)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand serve" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand serve" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand check" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand check" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand check" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand check" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and not __fish_seen_subcommand_from self-signed help" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and not __fish_seen_subcommand_from self-signed help" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and not __fish_seen_subcommand_from self-signed help" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and not __fish_seen_subcommand_from self-signed help" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and not __fish_seen_subcommand_from self-signed help" -f -a "self-signed" -d 'Write a private authority and a server certificate for the given names into <data>/tls/; `serve` then uses them unless tls.cert and tls.key say otherwise'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and not __fish_seen_subcommand_from self-signed help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and __fish_seen_subcommand_from self-signed" -l host -d 'A DNS name or IP address clients use to reach the server (repeat for more)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and __fish_seen_subcommand_from self-signed" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and __fish_seen_subcommand_from self-signed" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and __fish_seen_subcommand_from self-signed" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and __fish_seen_subcommand_from self-signed" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and __fish_seen_subcommand_from help" -f -a "self-signed" -d 'Write a private authority and a server certificate for the given names into <data>/tls/; `serve` then uses them unless tls.cert and tls.key say otherwise'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand tls; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and not __fish_seen_subcommand_from create list verify help" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and not __fish_seen_subcommand_from create list verify help" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and not __fish_seen_subcommand_from create list verify help" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and not __fish_seen_subcommand_from create list verify help" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and not __fish_seen_subcommand_from create list verify help" -f -a "create" -d 'Take a consistent backup now (through the running server if there is one)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and not __fish_seen_subcommand_from create list verify help" -f -a "list" -d 'List the backups in the backup folder'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and not __fish_seen_subcommand_from create list verify help" -f -a "verify" -d 'Read a backup end to end and check it, without restoring it'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and not __fish_seen_subcommand_from create list verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from create" -l out -d 'Where to write it (default: <backup.dir>/ophiontt-<time>.backup.zst)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from create" -l encrypt-to -d 'Encrypt to this age recipient (age1…)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from create" -l passphrase-file -d 'Encrypt with the passphrase on this file\'s first line' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from create" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from create" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from list" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from list" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from verify" -l identity -d 'An age identity file, for a backup encrypted to its recipient' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from verify" -l passphrase-file -d 'A file whose first line is the passphrase the backup was encrypted with' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from verify" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from verify" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "create" -d 'Take a consistent backup now (through the running server if there is one)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the backups in the backup folder'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Read a backup end to end and check it, without restoring it'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand restore" -l identity -d 'An age identity file, for a backup encrypted to its recipient' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand restore" -l passphrase-file -d 'A file whose first line is the passphrase the backup was encrypted with' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand restore" -l ledger -d 'An erasure ledger to re-apply (repeatable), on top of erasure-ledger.jsonl beside the backup file and privacy.ledger_file: erased people stay erased' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand restore" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand restore" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand restore" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand restore" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and not __fish_seen_subcommand_from list run help" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and not __fish_seen_subcommand_from list run help" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and not __fish_seen_subcommand_from list run help" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and not __fish_seen_subcommand_from list run help" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and not __fish_seen_subcommand_from list run help" -f -a "list" -d 'Every job: schedule, next run, last run'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and not __fish_seen_subcommand_from list run help" -f -a "run" -d 'Run a job now and wait for it (exit 1 if it fails)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and not __fish_seen_subcommand_from list run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and __fish_seen_subcommand_from list" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and __fish_seen_subcommand_from list" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and __fish_seen_subcommand_from run" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and __fish_seen_subcommand_from run" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "list" -d 'Every job: schedule, next run, last run'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a job now and wait for it (exit 1 if it fails)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand job; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and not __fish_seen_subcommand_from add list disable enable set-role reset-link help" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and not __fish_seen_subcommand_from add list disable enable set-role reset-link help" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and not __fish_seen_subcommand_from add list disable enable set-role reset-link help" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and not __fish_seen_subcommand_from add list disable enable set-role reset-link help" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and not __fish_seen_subcommand_from add list disable enable set-role reset-link help" -f -a "add" -d 'Create a user and print a one-time link for them to set their password'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and not __fish_seen_subcommand_from add list disable enable set-role reset-link help" -f -a "list" -d 'List users (email, name, role, status)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and not __fish_seen_subcommand_from add list disable enable set-role reset-link help" -f -a "disable" -d 'Disable a user (by email or id); their sessions end at once'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and not __fish_seen_subcommand_from add list disable enable set-role reset-link help" -f -a "enable" -d 'Enable a disabled user (by email or id)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and not __fish_seen_subcommand_from add list disable enable set-role reset-link help" -f -a "set-role" -d 'Change a user\'s role'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and not __fish_seen_subcommand_from add list disable enable set-role reset-link help" -f -a "reset-link" -d 'Print a one-time link that sets a new password for a user'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and not __fish_seen_subcommand_from add list disable enable set-role reset-link help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from add" -l email -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from add" -l name -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from add" -l role -d 'admin, manager, member, client or auditor' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from add" -l time-zone -d 'IANA time zone, e.g. Europe/Berlin' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from add" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from add" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from list" -l search -d 'Only users whose name or email contains this text' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from list" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from list" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from list" -l json -d 'Print JSON lines instead of a table'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from disable" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from disable" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from enable" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from enable" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from set-role" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from set-role" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from set-role" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from set-role" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from reset-link" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from reset-link" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from reset-link" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from reset-link" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "add" -d 'Create a user and print a one-time link for them to set their password'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "list" -d 'List users (email, name, role, status)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable a user (by email or id); their sessions end at once'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Enable a disabled user (by email or id)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "set-role" -d 'Change a user\'s role'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "reset-link" -d 'Print a one-time link that sets a new password for a user'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "list" -d 'The register, newest first; overdue and due-soon requests are marked'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "add" -d 'Record a request received by the organisation'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "show" -d 'One request with its actions'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "extend" -d 'Extend a request once, with the reason, within its first period'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "ack" -d 'Record that receipt was acknowledged (CCPA)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "close" -d 'Close a request: done, refused (with --note) or withdrawn'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "export" -d 'Write everything held about a person into a ZIP'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "correct" -d 'Correct a person\'s name, email or time zone (audited before/after)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "erase" -d 'Erase a person (refused under a legal hold). Needs --force'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "restrict" -d 'Restrict processing of a person\'s data to storage, until lifted'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "lift" -d 'Lift a restriction'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "object" -d 'Record an objection to (or withdrawal of consent for) an optional purpose'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "scan" -d 'Where a person\'s data sits: records per tree (every tree, indexes included)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and not __fish_seen_subcommand_from list add show extend ack close export correct erase restrict lift object scan help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from list" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from list" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from list" -l open -d 'Only open requests'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from list" -l json -d 'Print JSON instead of a table'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from add" -l kind -d 'access, export, correction, erasure, restriction or objection' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from add" -l user -d 'The account\'s email or id, when the person has one' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from add" -l subject -d 'Who it is about, as they gave it (default: the account\'s email)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from add" -l received -d 'When it was received (YYYY-MM-DD; default today): deadlines count from it' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from add" -l verification -d 'How the person\'s identity was verified' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from add" -l details -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from add" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from add" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from show" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from show" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from extend" -l reason -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from extend" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from extend" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from extend" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from extend" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from ack" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from ack" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from ack" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from ack" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from close" -l status -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from close" -l note -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from close" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from close" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from close" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from close" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from export" -l user -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from export" -l out -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from export" -l request -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from export" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from export" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from correct" -l user -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from correct" -l name -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from correct" -l email -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from correct" -l time-zone -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from correct" -l request -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from correct" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from correct" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from correct" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from correct" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from erase" -l user -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from erase" -l request -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from erase" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from erase" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from erase" -l force
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from erase" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from erase" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from restrict" -l user -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from restrict" -l request -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from restrict" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from restrict" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from restrict" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from restrict" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from lift" -l user -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from lift" -l request -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from lift" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from lift" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from lift" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from lift" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from object" -l user -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from object" -l purpose -d 'Today: scheduled_export' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from object" -l request -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from object" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from object" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from object" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from object" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from scan" -l user -d 'An account\'s email or id: its id, email and name are looked for' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from scan" -l text -d 'A further text to look for (repeatable), e.g. an erased person\'s name or a note' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from scan" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from scan" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from scan" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from scan" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "list" -d 'The register, newest first; overdue and due-soon requests are marked'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "add" -d 'Record a request received by the organisation'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "show" -d 'One request with its actions'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "extend" -d 'Extend a request once, with the reason, within its first period'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "ack" -d 'Record that receipt was acknowledged (CCPA)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "close" -d 'Close a request: done, refused (with --note) or withdrawn'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write everything held about a person into a ZIP'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "correct" -d 'Correct a person\'s name, email or time zone (audited before/after)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "erase" -d 'Erase a person (refused under a legal hold). Needs --force'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "restrict" -d 'Restrict processing of a person\'s data to storage, until lifted'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "lift" -d 'Lift a restriction'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "object" -d 'Record an objection to (or withdrawal of consent for) an optional purpose'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "scan" -d 'Where a person\'s data sits: records per tree (every tree, indexes included)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand privacy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and not __fish_seen_subcommand_from verify accessed checkpoint help" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and not __fish_seen_subcommand_from verify accessed checkpoint help" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and not __fish_seen_subcommand_from verify accessed checkpoint help" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and not __fish_seen_subcommand_from verify accessed checkpoint help" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and not __fish_seen_subcommand_from verify accessed checkpoint help" -f -a "verify" -d 'Recompute the audit hash chain; exit 1 and name the first bad record if it does not verify. With --checkpoints, also prove the chain still extends every saved checkpoint (and name the first that fails: bad signature, no longer in the chain, or beyond the head)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and not __fish_seen_subcommand_from verify accessed checkpoint help" -f -a "accessed" -d 'Who read or exported whose personal data, and when (for a breach notification): one line per recorded read, oldest first'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and not __fish_seen_subcommand_from verify accessed checkpoint help" -f -a "checkpoint" -d 'Sign the audit chain\'s head now: write a checkpoint to audit.checkpoint_dir and the log, and print the instance\'s public key'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and not __fish_seen_subcommand_from verify accessed checkpoint help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from verify" -l checkpoints -d 'A folder of checkpoint-<seq>.json files (audit.checkpoint_dir, or a copy of it kept off this machine)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from verify" -l key -d 'A public key file (the .pub written beside the instance key, kept elsewhere) to check signatures under, instead of the key in the data folder' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from verify" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from verify" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from accessed" -l from -d 'Start of the window: a UTC date (2026-11-23) or an RFC 3339 instant' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from accessed" -l to -d 'End of the window: a UTC date (that whole day included) or an RFC 3339 instant' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from accessed" -l user -d 'Only reads that included this user\'s data (email or id)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from accessed" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from accessed" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from accessed" -l json -d 'One JSON object per line instead of text'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from accessed" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from accessed" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Recompute the audit hash chain; exit 1 and name the first bad record if it does not verify. With --checkpoints, also prove the chain still extends every saved checkpoint (and name the first that fails: bad signature, no longer in the chain, or beyond the head)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "accessed" -d 'Who read or exported whose personal data, and when (for a breach notification): one line per recorded read, oldest first'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "checkpoint" -d 'Sign the audit chain\'s head now: write a checkpoint to audit.checkpoint_dir and the log, and print the instance\'s public key'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and not __fish_seen_subcommand_from show run set unset help" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and not __fish_seen_subcommand_from show run set unset help" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and not __fish_seen_subcommand_from show run set unset help" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and not __fish_seen_subcommand_from show run set unset help" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and not __fish_seen_subcommand_from show run set unset help" -f -a "show" -d 'Print each category\'s rule and what the next run would remove (nothing is removed)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and not __fish_seen_subcommand_from show run set unset help" -f -a "run" -d 'Purge what has expired now, skipping data under a legal hold; print the counts'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and not __fish_seen_subcommand_from show run set unset help" -f -a "set" -d 'Set one category\'s rule, overriding its [retention] config key (as the admin page does)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and not __fish_seen_subcommand_from show run set unset help" -f -a "unset" -d 'Return a category to the rule in the configuration'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and not __fish_seen_subcommand_from show run set unset help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from show" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from show" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from run" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from run" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from run" -l dry-run -d 'Count what would be removed, remove nothing'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from set" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from set" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from unset" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from unset" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print each category\'s rule and what the next run would remove (nothing is removed)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from help" -f -a "run" -d 'Purge what has expired now, skipping data under a legal hold; print the counts'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set one category\'s rule, overriding its [retention] config key (as the admin page does)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Return a category to the rule in the configuration'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand retention; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and not __fish_seen_subcommand_from add list release help" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and not __fish_seen_subcommand_from add list release help" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and not __fish_seen_subcommand_from add list release help" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and not __fish_seen_subcommand_from add list release help" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and not __fish_seen_subcommand_from add list release help" -f -a "add" -d 'Place a legal hold: retention and erasure leave the data it covers alone'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and not __fish_seen_subcommand_from add list release help" -f -a "list" -d 'List every hold, in force or not'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and not __fish_seen_subcommand_from add list release help" -f -a "release" -d 'Release a hold in force (the record stays, marked released)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and not __fish_seen_subcommand_from add list release help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from add" -l user -d 'A person (email or id)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from add" -l project -d 'A project (exact name or id)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from add" -l client -d 'A client and all its projects (exact name or id)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from add" -l reason -d 'Why the data must be kept (a case, a request from counsel…)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from add" -l until -d 'The day the hold lapses by itself (YYYY-MM-DD, UTC midnight); default: until released' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from add" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from add" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from add" -l instance -d 'Everything on this instance'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from list" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from list" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from release" -l reason -d 'Why it is released (recorded in the audit log)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from release" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from release" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from release" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from release" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from help" -f -a "add" -d 'Place a legal hold: retention and erasure leave the data it covers alone'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every hold, in force or not'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from help" -f -a "release" -d 'Release a hold in force (the record stays, marked released)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand hold; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l format -d 'csv, json, xlsx, ics or pdf (docs/exports.md)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l from -d 'First local date (default: the first of this month)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l to -d 'Last local date, included (default: today)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l user -d 'Only this person\'s entries (e-mail or id; repeatable)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l project -d 'Only this project\'s entries (name or id; repeatable)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l client -d 'Only entries on this client\'s projects (name or id; repeatable)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l tag -d 'Only entries carrying this tag (repeatable: any of them)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l billable -d 'Only billable (true) or non-billable (false) entries' -r -f -a "true\t''
false\t''"
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l text -d 'Only entries whose note contains this text' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l time-zone -d 'The zone of dates and times (IANA name, e.g. Europe/Berlin); default UTC' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -s o -l output -d 'The file to write (default: ./ophiontt-entries-<from>_<to>.<format>)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l bom -d 'CSV: a UTF-8 byte-order mark first, for Excel'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -l semicolon -d 'CSV: `;` between fields, for spreadsheets whose decimal mark is a comma'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand export" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand import" -l from -d 'Where the file comes from: toggl, clockify, kimai, solidtime or ophiontt (docs/imports.md)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand import" -l time-zone -d 'The zone of times the file writes without an offset (IANA name); default UTC. People the import creates get it as theirs' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand import" -l user -d 'Every row belongs to this person (e-mail or id), whoever the file names' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand import" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand import" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand import" -l dry-run -d 'Show what would be created and every row that cannot be imported; write nothing'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand import" -l json -d 'Print the report as JSON'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand import" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand import" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand login" -l email -d 'Your email (asked on the terminal when left out)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand login" -l days -d 'Days until the new token expires (default: the server\'s, 90 days)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand login" -l ca -d 'A PEM file with the CA certificate (or the self-signed certificate) to check the server\'s certificate against, instead of the system\'s trusted ones; stored with the token' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand login" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand login" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand login" -l password-stdin -d 'Read the password from the first line of standard input instead of asking on the terminal (for scripts: `ophiontt login URL --email me@example.com --password-stdin < file`)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand login" -l token-stdin -d 'Store a token made in the web UI instead of signing in: read from standard input (or pasted, without echo, on a terminal) and checked against the server first'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand login" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand login" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand logout" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand logout" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand logout" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand logout" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -l server -d 'The server\'s URL, e.g. https://time.example.com (default: the one `ophiontt login` stored)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -l token -d 'A personal API token (ott_…) instead of the stored one. A flag shows in the process list: prefer the environment variable, or `ophiontt login`' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -l ca -d 'A PEM file with the CA certificate (or the self-signed certificate) to check the server\'s certificate against, instead of the system\'s trusted ones' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -f -a "start" -d 'Start a timer from one line, e.g. "acme/backups #ops #billable rotating keys": the quick-add grammar without a duration or a day. A running timer stops first'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -f -a "stop" -d 'Stop the running timer'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -f -a "status" -d 'What runs now: project and client, for how long, tags and note'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -f -a "log" -d 'Today\'s entries, or this week\'s (Monday to Sunday), with their total'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -f -a "add" -d 'Record a finished entry from one line, e.g. "1h30 acme/vpn call" or "yesterday 9:15-10:00 /ops standup" (quick-add)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and not __fish_seen_subcommand_from start stop status log add help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from start" -l server -d 'The server\'s URL, e.g. https://time.example.com (default: the one `ophiontt login` stored)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from start" -l token -d 'A personal API token (ott_…) instead of the stored one. A flag shows in the process list: prefer the environment variable, or `ophiontt login`' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from start" -l ca -d 'A PEM file with the CA certificate (or the self-signed certificate) to check the server\'s certificate against, instead of the system\'s trusted ones' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from start" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from start" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from stop" -l server -d 'The server\'s URL, e.g. https://time.example.com (default: the one `ophiontt login` stored)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from stop" -l token -d 'A personal API token (ott_…) instead of the stored one. A flag shows in the process list: prefer the environment variable, or `ophiontt login`' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from stop" -l ca -d 'A PEM file with the CA certificate (or the self-signed certificate) to check the server\'s certificate against, instead of the system\'s trusted ones' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from stop" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from stop" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from status" -l server -d 'The server\'s URL, e.g. https://time.example.com (default: the one `ophiontt login` stored)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from status" -l token -d 'A personal API token (ott_…) instead of the stored one. A flag shows in the process list: prefer the environment variable, or `ophiontt login`' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from status" -l ca -d 'A PEM file with the CA certificate (or the self-signed certificate) to check the server\'s certificate against, instead of the system\'s trusted ones' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from status" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from status" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from status" -l json -d 'The server\'s answer as JSON ({"running": entry or null})'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from log" -l server -d 'The server\'s URL, e.g. https://time.example.com (default: the one `ophiontt login` stored)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from log" -l token -d 'A personal API token (ott_…) instead of the stored one. A flag shows in the process list: prefer the environment variable, or `ophiontt login`' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from log" -l ca -d 'A PEM file with the CA certificate (or the self-signed certificate) to check the server\'s certificate against, instead of the system\'s trusted ones' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from log" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from log" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from log" -l week -d 'This week instead of today (in your time zone)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from log" -l json -d 'JSON: {"from","to","time_zone","total_seconds","items":[entry…]}, oldest first'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from log" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from log" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from add" -l server -d 'The server\'s URL, e.g. https://time.example.com (default: the one `ophiontt login` stored)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from add" -l token -d 'A personal API token (ott_…) instead of the stored one. A flag shows in the process list: prefer the environment variable, or `ophiontt login`' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from add" -l ca -d 'A PEM file with the CA certificate (or the self-signed certificate) to check the server\'s certificate against, instead of the system\'s trusted ones' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from add" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from add" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from add" -l confirm -d 'Keep a day over a year ago or after tomorrow'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start a timer from one line, e.g. "acme/backups #ops #billable rotating keys": the quick-add grammar without a duration or a day. A running timer stops first'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop the running timer'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from help" -f -a "status" -d 'What runs now: project and client, for how long, tags and note'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from help" -f -a "log" -d 'Today\'s entries, or this week\'s (Monday to Sunday), with their total'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from help" -f -a "add" -d 'Record a finished entry from one line, e.g. "1h30 acme/vpn call" or "yesterday 9:15-10:00 /ops standup" (quick-add)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand timer; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand completions" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand completions" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand completions" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand completions" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand seed" -l users -d 'Users to create (members without a password; use `user reset-link` for one)' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand seed" -l projects -d 'Projects to create, every seeded user a member' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand seed" -l entries -d 'Time entries to load: eight per working day per user, going back from yesterday' -r
complete -c ophiontt -n "__fish_ophiontt_using_subcommand seed" -l config -d 'Configuration file (TOML; see the sample ophiontt.toml)' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand seed" -l data -d 'Data folder (store, logs, admin socket). Overrides `data_dir`' -r -F
complete -c ophiontt -n "__fish_ophiontt_using_subcommand seed" -s h -l help -d 'Print help'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand seed" -s V -l version -d 'Print version'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "serve" -d 'Run the server: web UI, API and admin socket'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "check" -d 'Validate the configuration, print every key\'s value and source, and open the store'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "tls" -d 'Certificates for the built-in HTTPS listener'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "backup" -d 'Take, list and verify backups'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "restore" -d 'Restore a backup into a new or empty data folder (--data); the server need not run'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "job" -d 'List the scheduled jobs and their last runs, or run one now'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "user" -d 'Manage user accounts (through the running server\'s admin socket, or the store directly)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "privacy" -d 'The privacy-request register and the tools that perform each request'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "audit" -d 'Inspect the audit log'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "retention" -d 'Show and apply the retention rules ([retention] in the config)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "hold" -d 'Place, list and release legal holds'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "export" -d 'Export entries into a file: CSV, JSON, XLSX, iCalendar or PDF (docs/exports.md)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "import" -d 'Import entries from Toggl, Clockify, Kimai, solidtime or an OphionTT JSON export (docs/imports.md); --dry-run first shows what it would do'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "login" -d 'Sign in to a server from this terminal: keeps a personal API token for `timer` in ~/.config/ophiontt/client.toml (mode 0600). See docs/integrations.md'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "logout" -d 'Forget the server and token `login` stored (and say how to revoke the token)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "timer" -d 'Start, stop and list your time from a terminal, against a running server (quick-add lines, as in the web UI). Exit codes: 0 ok, 1 refused, 2 usage, 3 server unreachable'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "completions" -d 'Print shell completions for bash, zsh, fish, elvish or PowerShell, e.g. `ophiontt completions bash > ~/.local/share/bash-completion/completions/ophiontt` (the .deb installs them already)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "seed" -d 'Fill the store with synthetic users, projects and entries, for benchmarks (server stopped)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and not __fish_seen_subcommand_from serve check tls backup restore job user privacy audit retention hold export import login logout timer completions seed help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from tls" -f -a "self-signed" -d 'Write a private authority and a server certificate for the given names into <data>/tls/; `serve` then uses them unless tls.cert and tls.key say otherwise'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "create" -d 'Take a consistent backup now (through the running server if there is one)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "list" -d 'List the backups in the backup folder'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "verify" -d 'Read a backup end to end and check it, without restoring it'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "list" -d 'Every job: schedule, next run, last run'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from job" -f -a "run" -d 'Run a job now and wait for it (exit 1 if it fails)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "add" -d 'Create a user and print a one-time link for them to set their password'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "list" -d 'List users (email, name, role, status)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "disable" -d 'Disable a user (by email or id); their sessions end at once'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "enable" -d 'Enable a disabled user (by email or id)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "set-role" -d 'Change a user\'s role'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "reset-link" -d 'Print a one-time link that sets a new password for a user'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "list" -d 'The register, newest first; overdue and due-soon requests are marked'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "add" -d 'Record a request received by the organisation'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "show" -d 'One request with its actions'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "extend" -d 'Extend a request once, with the reason, within its first period'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "ack" -d 'Record that receipt was acknowledged (CCPA)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "close" -d 'Close a request: done, refused (with --note) or withdrawn'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "export" -d 'Write everything held about a person into a ZIP'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "correct" -d 'Correct a person\'s name, email or time zone (audited before/after)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "erase" -d 'Erase a person (refused under a legal hold). Needs --force'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "restrict" -d 'Restrict processing of a person\'s data to storage, until lifted'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "lift" -d 'Lift a restriction'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "object" -d 'Record an objection to (or withdrawal of consent for) an optional purpose'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from privacy" -f -a "scan" -d 'Where a person\'s data sits: records per tree (every tree, indexes included)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Recompute the audit hash chain; exit 1 and name the first bad record if it does not verify. With --checkpoints, also prove the chain still extends every saved checkpoint (and name the first that fails: bad signature, no longer in the chain, or beyond the head)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "accessed" -d 'Who read or exported whose personal data, and when (for a breach notification): one line per recorded read, oldest first'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "checkpoint" -d 'Sign the audit chain\'s head now: write a checkpoint to audit.checkpoint_dir and the log, and print the instance\'s public key'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from retention" -f -a "show" -d 'Print each category\'s rule and what the next run would remove (nothing is removed)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from retention" -f -a "run" -d 'Purge what has expired now, skipping data under a legal hold; print the counts'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from retention" -f -a "set" -d 'Set one category\'s rule, overriding its [retention] config key (as the admin page does)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from retention" -f -a "unset" -d 'Return a category to the rule in the configuration'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from hold" -f -a "add" -d 'Place a legal hold: retention and erasure leave the data it covers alone'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from hold" -f -a "list" -d 'List every hold, in force or not'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from hold" -f -a "release" -d 'Release a hold in force (the record stays, marked released)'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from timer" -f -a "start" -d 'Start a timer from one line, e.g. "acme/backups #ops #billable rotating keys": the quick-add grammar without a duration or a day. A running timer stops first'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from timer" -f -a "stop" -d 'Stop the running timer'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from timer" -f -a "status" -d 'What runs now: project and client, for how long, tags and note'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from timer" -f -a "log" -d 'Today\'s entries, or this week\'s (Monday to Sunday), with their total'
complete -c ophiontt -n "__fish_ophiontt_using_subcommand help; and __fish_seen_subcommand_from timer" -f -a "add" -d 'Record a finished entry from one line, e.g. "1h30 acme/vpn call" or "yesterday 9:15-10:00 /ops standup" (quick-add)'
