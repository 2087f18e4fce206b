//! Tests of loading and validating the configuration.

use super::*;

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults_need_no_file() {
    let c = Config::load(&Flags::default(), &env(&[])).unwrap();
    assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(c.data_dir, PathBuf::from("./ophiontt-data"));
    assert_eq!(c.session_idle, Duration::from_secs(12 * 3600));
    assert_eq!(c.session_absolute, Duration::from_secs(7 * 86_400));
    assert_eq!(c.tracking, crate::domain::range::Limits::default());
}

#[test]
fn the_notice_and_the_export_readme_name_the_same_recipients() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.toml");
    std::fs::write(&f, "[privacy]\nprocessors = [\"Hoster GmbH: hosting\"]\nrecipients = \"Tax office; Hoster GmbH: hosting\"\n").unwrap();
    let flags = Flags {
        config: Some(f),
        ..Default::default()
    };
    let c = Config::load(&flags, &env(&[])).unwrap();
    let want = ["Hoster GmbH: hosting", "Tax office"];
    assert_eq!(c.notice.processors, want);
    assert_eq!(c.privacy.policy.recipients, want);
}

#[test]
fn file_then_env_then_flags_win_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.toml");
    std::fs::write(
        &f,
        "[server]\nlisten = \"127.0.0.1:9000\"\nmax_body_bytes = 2048\n[log]\nlevel = \"debug\"\n",
    )
    .unwrap();
    let flags = Flags {
        config: Some(f.clone()),
        ..Default::default()
    };
    let c = Config::load(&flags, &env(&[("OPHIONTT_LOG_LEVEL", "warn")])).unwrap();
    assert_eq!(c.listen.port(), 9000);
    assert_eq!(c.max_body_bytes, 2048);
    assert_eq!(c.log_level, "warn");
    let flags = Flags {
        listen: Some("127.0.0.1:0".into()),
        ..flags
    };
    let c = Config::load(
        &flags,
        &env(&[("OPHIONTT_SERVER_LISTEN", "127.0.0.1:7000")]),
    )
    .unwrap();
    assert_eq!(c.listen.port(), 0);
}

#[test]
fn bad_values_name_key_value_source_and_what_is_allowed() {
    let e = Config::load(
        &Flags::default(),
        &env(&[("OPHIONTT_SESSION_IDLE_TIMEOUT", "12x")]),
    )
    .unwrap_err();
    assert!(
        e.contains("session.idle_timeout") && e.contains("\"12x\""),
        "{e}"
    );
    assert!(
        e.contains("OPHIONTT_SESSION_IDLE_TIMEOUT") && e.contains("expected a duration"),
        "{e}"
    );
    let e = Config::load(
        &Flags::default(),
        &env(&[("OPHIONTT_SERVER_LISTEN", "0.0.0.0:80")]),
    )
    .unwrap_err();
    assert!(e.contains("not a loopback address"), "{e}");
}

#[test]
fn connection_limits_default_and_refuse_bad_values_by_name() {
    let c = Config::load(&Flags::default(), &env(&[])).unwrap();
    assert_eq!(c.header_read_timeout, Duration::from_secs(10));
    assert_eq!(c.idle_timeout, Duration::from_secs(60));
    assert_eq!(c.max_connections, None);
    assert_eq!(c.max_requests_per_connection, 1000);
    let c = Config::load(
        &Flags::default(),
        &env(&[("OPHIONTT_SERVER_MAX_CONNECTIONS", "64")]),
    )
    .unwrap();
    assert_eq!(c.max_connections, Some(64));
    for (var, key, value) in [
        (
            "OPHIONTT_SERVER_HEADER_READ_TIMEOUT",
            "server.header_read_timeout",
            "0s",
        ),
        ("OPHIONTT_SERVER_IDLE_TIMEOUT", "server.idle_timeout", "2h"),
        (
            "OPHIONTT_SERVER_MAX_CONNECTIONS",
            "server.max_connections",
            "lots",
        ),
        (
            "OPHIONTT_SERVER_MAX_CONNECTIONS",
            "server.max_connections",
            "0",
        ),
        (
            "OPHIONTT_SERVER_MAX_REQUESTS_PER_CONNECTION",
            "server.max_requests_per_connection",
            "0",
        ),
    ] {
        let e = Config::load(&Flags::default(), &env(&[(var, value)])).unwrap_err();
        assert!(
            e.contains(&format!("`{key}`")) && e.contains(&format!("{value:?}")),
            "{e}"
        );
    }
}

#[test]
fn unknown_keys_in_the_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.toml");
    std::fs::write(&f, "[server]\nlisten_port = 80\n").unwrap();
    let e = Config::load(
        &Flags {
            config: Some(f),
            ..Default::default()
        },
        &env(&[]),
    )
    .unwrap_err();
    assert!(e.contains("unknown config key `server.listen_port`"), "{e}");
}

#[test]
fn the_sample_file_documents_every_key_with_its_default() {
    let sample = include_str!("../../ophiontt.toml");
    for k in KEYS {
        let leaf = k.path.rsplit('.').next().unwrap();
        assert!(
            sample.contains(&format!("# {leaf} = ")),
            "sample lacks key {}",
            k.path
        );
    }
    // With every line uncommented, the sample parses and equals the defaults.
    let uncommented: String = sample
        .lines()
        .map(|l| {
            // Only `# key = value` lines: indented examples (`#   patterns = [`) stay comments.
            l.strip_prefix("# ")
                .filter(|r| {
                    r.split_once(" = ").is_some_and(|(k, _)| {
                        !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    })
                })
                .unwrap_or(l)
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.toml");
    std::fs::write(&f, uncommented).unwrap();
    let c = Config::load(
        &Flags {
            config: Some(f),
            ..Default::default()
        },
        &env(&[]),
    )
    .unwrap();
    assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
}

fn load_file(text: &str) -> Result<Config, String> {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.toml");
    std::fs::write(&f, text).unwrap();
    Config::load(
        &Flags {
            config: Some(f),
            ..Default::default()
        },
        &env(&[]),
    )
}

#[test]
fn ticket_patterns_load_from_tables_inline_lists_and_the_environment() {
    let c = load_file(
        "[[tickets.patterns]]\nname = \"jira\"\npattern = '([A-Z]+-\\d+)'\nurl = \"https://t.example/browse/$1\"\n\
         [[tickets.patterns]]\nname = \"gitlab\"\npattern = '(#(\\d+))'\nurl = \"https://g.example/-/issues/$2\"\n",
    )
    .unwrap();
    let names: Vec<_> = c.tickets.iter().map(|p| p.name()).collect();
    assert_eq!(names, ["jira", "gitlab"]);
    let c = load_file(
        "[tickets]\npatterns = [{ name = \"jira\", pattern = '([A-Z]+-\\d+)', url = \"https://t.example/$1\" }]\n",
    )
    .unwrap();
    assert_eq!(c.tickets.iter().count(), 1);
    let list = r#"[{ name = "jira", pattern = '([A-Z]+-\d+)', url = "https://t.example/$1" }]"#;
    let c = Config::load(
        &Flags::default(),
        &env(&[("OPHIONTT_TICKETS_PATTERNS", list)]),
    )
    .unwrap();
    assert_eq!(c.tickets.iter().next().unwrap().pattern(), r"([A-Z]+-\d+)");
    assert!(Config::load(&Flags::default(), &env(&[]))
        .unwrap()
        .tickets
        .is_empty());
}

#[test]
fn bad_ticket_patterns_are_refused_naming_the_key_the_pattern_and_the_value() {
    let one = |name: &str, pattern: &str, url: &str| {
        load_file(&format!(
            "[[tickets.patterns]]\nname = \"{name}\"\npattern = '{pattern}'\nurl = \"{url}\"\n"
        ))
        .unwrap_err()
    };
    let e = one("jira", "([A-Z]+-\\d+", "https://t.example/$1");
    assert!(
        e.contains("`tickets.patterns`")
            && e.contains("pattern 1 (\"jira\")")
            && e.contains("\"([A-Z]+-\\\\d+\"")
            && e.contains("not a valid regular expression"),
        "{e}"
    );
    let e = one("jira", "[A-Z]+-\\d+", "https://t.example/$1");
    assert!(e.contains("no capture group"), "{e}");
    let e = one("jira", "(\\w{1000}){1000}", "https://t.example/$1");
    assert!(e.contains("too large"), "{e}");
    let e = one("jira", "([A-Z]+)", "https://t.example/");
    assert!(e.contains("invalid url") && e.contains("$1"), "{e}");
    let e = one("Jira Cloud", "([A-Z]+)", "https://t.example/$1");
    assert!(e.contains("invalid name \"Jira Cloud\""), "{e}");
    let e = load_file("[[tickets.patterns]]\nname = \"jira\"\npattern = '(a)'\n").unwrap_err();
    assert!(e.contains("needs `url`"), "{e}");
    let e = load_file(
        "[[tickets.patterns]]\nname = \"j\"\npattern = '(a)'\nurl = \"https://x/$1\"\nlink = 1\n",
    )
    .unwrap_err();
    assert!(e.contains("unknown field `link`"), "{e}");
    let e = Config::load(
        &Flags::default(),
        &env(&[("OPHIONTT_TICKETS_PATTERNS", "jira")]),
    )
    .unwrap_err();
    assert!(
        e.contains("`tickets.patterns`") && e.contains("OPHIONTT_TICKETS_PATTERNS"),
        "{e}"
    );
}
