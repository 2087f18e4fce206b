//! Tests of the quick-add grammar (`super`): the examples of each rule, and property tests.

use super::*;
use chrono::Datelike;
use proptest::prelude::*;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Project names from `(client, project)` pairs; an empty client is none.
fn names(list: &[(&str, &str)]) -> Vec<ProjectName> {
    list.iter()
        .map(|&(c, p)| ProjectName {
            client: (!c.is_empty()).then(|| c.to_owned()),
            project: p.to_owned(),
        })
        .collect()
}

/// The line's project as `client/project`, and its note.
fn picked(line: &str, list: &[(&str, &str)]) -> (String, String) {
    let all = names(list);
    let q = parse(line, &all).unwrap_or_else(|e| panic!("{line:?}: {e:?}"));
    (label(&all[q.project]), q.note)
}

fn refused(line: &str, list: &[(&str, &str)]) -> QuickError {
    parse(line, &names(list)).expect_err(line)
}

const BASICS: [(&str, &str); 3] = [("Acme", "Backups"), ("Infra", "VPN"), ("", "p")];

#[test]
fn the_examples_from_the_issue_parse() {
    let all = names(&BASICS);
    let q = parse(
        "1h30 acme/backups #ops #billable yesterday rotated RAID keys",
        &all,
    )
    .unwrap();
    assert_eq!(q.when, When::Duration(5400));
    assert_eq!(label(&all[q.project]), "Acme/Backups");
    assert_eq!(
        (q.tags, q.billable, q.day),
        (vec!["ops".to_string()], Some(true), Day::Yesterday)
    );
    assert_eq!(q.note, "rotated RAID keys");
    let q = parse("9:15-10:00 infra/vpn call with vendor", &all).unwrap();
    assert_eq!(q.when, When::Range(t(9, 15), t(10, 0)));
    assert_eq!(label(&all[q.project]), "Infra/VPN");
    assert_eq!((q.day, q.note.as_str()), (Day::Today, "call with vendor"));
}

#[test]
fn every_duration_spelling_means_the_same() {
    for s in ["1h30", "1h30m", "1.5h", "1,5h", "1:30", "90m"] {
        let line = format!("{s} /p");
        assert_eq!(
            parse(&line, &names(&BASICS)).unwrap().when,
            When::Duration(5400),
            "{s}"
        );
    }
    assert_eq!(
        parse("2h /p", &names(&BASICS)).unwrap().when,
        When::Duration(7200)
    );
}

// See: #14 (1)
#[test]
fn a_project_name_with_a_space_is_the_longest_name_the_words_make() {
    let list = [("", "Website relaunch"), ("", "Website")];
    assert_eq!(
        picked("45m /Website relaunch", &list),
        ("/Website relaunch".into(), "".into())
    );
    assert_eq!(
        picked("45m /website RELAUNCH fixed it", &list),
        ("/Website relaunch".into(), "fixed it".into())
    );
    assert_eq!(
        picked("45m /website fixed it", &list),
        ("/Website".into(), "fixed it".into())
    );
}

// See: #14 (2)
#[test]
fn a_client_is_named_by_the_start_of_its_name_or_all_of_it() {
    let list = [("Acme Corp", "Backups"), ("Globex", "Backups")];
    for line in [
        "1h acme/backups",
        "1h acme corp/backups",
        "1h ACME CORP/BACKUPS",
    ] {
        assert_eq!(picked(line, &list).0, "Acme Corp/Backups", "{line}");
    }
    // Whole words only, from the first one.
    for line in ["1h ac/backups", "1h corp/backups", "1h acme co/backups"] {
        assert_eq!(refused(line, &list).code, "quick.unknown_project", "{line}");
    }
    // A full name wins over the longer names it starts.
    let list = [("Acme Corp", "Backups"), ("Acme", "Backups")];
    assert_eq!(picked("1h acme/backups", &list).0, "Acme/Backups");
    // The start of two clients' names picks the one with that project.
    let list = [("Acme Corp", "Backups"), ("Acme Labs", "Website")];
    assert_eq!(picked("1h acme/backups", &list).0, "Acme Corp/Backups");
}

// See: #14 (6)
#[test]
fn an_ambiguous_name_lists_at_most_three_candidates() {
    let list = [("Acme Corp", "Backups"), ("Acme Labs", "Backups")];
    let e = refused("1h acme/backups nightly", &list);
    assert_eq!(e.code, "quick.ambiguous_project");
    assert!(
        e.message.starts_with("`acme/backups`: 2 projects match"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("Acme Corp/Backups, Acme Labs/Backups"),
        "{}",
        e.message
    );
    assert_eq!(picked("1h acme labs/backups", &list).0, "Acme Labs/Backups");

    let list = [
        ("A", "Ops"),
        ("B", "Ops"),
        ("C", "Ops"),
        ("D", "Ops"),
        ("E", "Ops"),
    ];
    let e = refused("1h /ops", &list);
    assert_eq!(e.code, "quick.ambiguous_project");
    assert!(
        e.message.contains("(A/Ops, B/Ops, C/Ops, and 2 more)"),
        "{}",
        e.message
    );
    assert!(!e.message.contains("D/Ops"), "{}", e.message);
}

// See: #14 (3)
#[test]
fn last_weekday_is_a_day_and_last_alone_is_a_word() {
    let q = parse("2h last tuesday /p rotated keys", &names(&BASICS)).unwrap();
    assert_eq!(
        (q.day, q.note.as_str()),
        (Day::LastWeekday(Weekday::Tue), "rotated keys")
    );
    let q = parse("2h /p LAST Fri", &names(&BASICS)).unwrap();
    assert_eq!(q.day, Day::LastWeekday(Weekday::Fri));
    let q = parse("2h /p fixed the last bug", &names(&BASICS)).unwrap();
    assert_eq!((q.day, q.note.as_str()), (Day::Today, "fixed the last bug"));
    let e = refused("2h /p friday last friday", &BASICS);
    assert_eq!(e.code, "quick.bad_date");
    assert!(e.message.starts_with("`last friday`"), "{}", e.message);
}

#[test]
fn a_weekday_is_the_latest_one_and_last_weekday_the_one_before_today() {
    let tuesday = date(2026, 11, 24);
    assert_eq!(Day::Weekday(Weekday::Tue).resolve(tuesday), tuesday);
    assert_eq!(
        Day::LastWeekday(Weekday::Tue).resolve(tuesday),
        date(2026, 11, 17)
    );
    assert_eq!(
        Day::Weekday(Weekday::Mon).resolve(tuesday),
        date(2026, 11, 23)
    );
    assert_eq!(
        Day::LastWeekday(Weekday::Mon).resolve(tuesday),
        date(2026, 11, 23)
    );
    assert_eq!(
        Day::Weekday(Weekday::Wed).resolve(tuesday),
        date(2026, 11, 18)
    );
    assert_eq!(
        Day::LastWeekday(Weekday::Wed).resolve(tuesday),
        date(2026, 11, 18)
    );
    assert_eq!(Day::Yesterday.resolve(tuesday), date(2026, 11, 23));
}

// See: #14 (4)
#[test]
fn the_day_may_come_before_the_when_and_later_durations_are_words() {
    let all = names(&BASICS);
    let q = parse("yesterday 14:00-15:30 /p call", &all).unwrap();
    assert_eq!(
        (q.day, q.when, q.note.as_str()),
        (Day::Yesterday, When::Range(t(14, 0), t(15, 30)), "call")
    );
    let q = parse("last friday 2h /p", &all).unwrap();
    assert_eq!(
        (q.day, q.when),
        (Day::LastWeekday(Weekday::Fri), When::Duration(7200))
    );
    let q = parse("2026-11-20 1h /p", &all).unwrap();
    assert_eq!(q.day, Day::Date(date(2026, 11, 20)));
    let q = parse("1h /p took 2h not 9:00-10:00", &all).unwrap();
    assert_eq!(
        (q.when, q.note.as_str()),
        (When::Duration(3600), "took 2h not 9:00-10:00")
    );
    let e = refused("yesterday lunch /p", &BASICS);
    assert_eq!(e.code, "quick.bad_time");
    assert!(e.message.starts_with("`lunch`"), "{}", e.message);
    let e = refused("last friday", &BASICS);
    assert_eq!(e.code, "quick.missing_time");
    assert!(e.message.starts_with("`last friday`"), "{}", e.message);
    assert_eq!(
        refused("yesterday 1h today /p", &BASICS).code,
        "quick.bad_date"
    );
}

#[test]
fn slashes_after_the_project_and_links_anywhere_are_the_notes() {
    assert_eq!(
        picked(
            "1h /vpn see https://wiki.example/vpn/setup and/or c/d",
            &BASICS
        ),
        (
            "Infra/VPN".into(),
            "see https://wiki.example/vpn/setup and/or c/d".into()
        )
    );
    assert_eq!(
        picked("20m https://tracker.example/T-1 acme/backups", &BASICS),
        ("Acme/Backups".into(), "https://tracker.example/T-1".into())
    );
    assert_eq!(
        refused("20m https://tracker.example/T-1", &BASICS).code,
        "quick.missing_project"
    );
}

// See: #14 (5)
#[test]
fn quoted_names_may_hold_spaces_and_slashes() {
    let list = [
        ("Acme Corp", "Website relaunch"),
        ("Acme Corp", "Website"),
        ("", "CI/CD"),
    ];
    for line in [
        "45m /\"Website relaunch\"",
        "45m \"Acme Corp\"/\"Website relaunch\"",
        "45m 'acme corp'/'WEBSITE RELAUNCH'",
        "45m acme corp/\"Website relaunch\"",
        "45m \"Acme\"/website relaunch",
    ] {
        assert_eq!(
            picked(line, &list),
            ("Acme Corp/Website relaunch".into(), "".into()),
            "{line}"
        );
    }
    // A quoted name is all of the name: the next word is the note's.
    assert_eq!(
        picked("45m /\"Website\" relaunch", &list),
        ("Acme Corp/Website".into(), "relaunch".into())
    );
    assert_eq!(
        picked("1h /\"CI/CD\" pipeline", &list),
        ("/CI/CD".into(), "pipeline".into())
    );
    // Apostrophes and quotes in the note are the note's.
    assert_eq!(
        picked("1h /website it's 'done' \"mostly so\"", &list).1,
        "it's 'done' \"mostly so\""
    );
    let e = refused("1h /\"Website relaunch", &list);
    assert_eq!(e.code, "quick.bad_project");
    assert!(e.message.contains("closing quote"), "{}", e.message);
    assert_eq!(refused("1h /\"\" x", &list).code, "quick.bad_project");
}

// See: #14 (5)
#[test]
fn unquoted_names_take_the_longest_client_and_project_the_words_make() {
    let list = [
        ("Acme Corp", "Website"),
        ("Acme Corp", "Website relaunch"),
        ("Corp", "Website"),
        ("Acme Corp", "Backups"),
    ];
    assert_eq!(
        picked("1h acme corp/website relaunch fixed the header", &list),
        (
            "Acme Corp/Website relaunch".into(),
            "fixed the header".into()
        )
    );
    assert_eq!(
        picked("1h corp/website relaunch", &list),
        ("Corp/Website".into(), "relaunch".into())
    );
    assert_eq!(
        picked("1h rotated acme/backups keys", &list),
        ("Acme Corp/Backups".into(), "rotated keys".into())
    );
    // Not only ASCII.
    let list = [
        ("Société Générale", "Équipe Données"),
        ("Ёлка", "Проект Дом"),
    ];
    assert_eq!(
        picked("1h SOCIÉTÉ/équipe DONNÉES réunion", &list),
        ("Société Générale/Équipe Données".into(), "réunion".into())
    );
    assert_eq!(picked("1h ёлка/проект дом", &list).0, "Ёлка/Проект Дом");
}

#[test]
fn a_name_takes_day_words_only_when_they_make_a_longer_name() {
    let q = parse("1h /p friday", &names(&BASICS)).unwrap();
    assert_eq!((q.day, q.note.as_str()), (Day::Weekday(Weekday::Fri), ""));
    let list = names(&[("", "Standup"), ("", "Standup Friday")]);
    let q = parse("1h /standup friday", &list).unwrap();
    assert_eq!((q.project, q.day), (1, Day::Today));
    // Tags, quoted words and the when are never part of a name.
    let list = names(&[("", "Ops #1"), ("", "Ops")]);
    let q = parse("1h /ops #1", &list).unwrap();
    assert_eq!((q.project, q.tags), (1, vec!["1".to_string()]));
}

// See: #14 (6)
#[test]
fn bad_lines_name_the_token_and_why() {
    let cases = [
        ("", "quick.missing_time"),
        ("lunch 1h", "quick.bad_time"),
        ("1x30 acme/x", "quick.bad_time"),
        ("10:00-9:00", "quick.bad_time"),
        ("0m", "quick.bad_time"),
        ("25h", "quick.bad_time"),
        ("1h acme/", "quick.bad_project"),
        ("1h a/b/c", "quick.bad_project"),
        ("1h a/b c/d", "quick.unknown_project"),
        ("1h 2026-02-30", "quick.bad_date"),
        ("1h today yesterday", "quick.bad_date"),
        ("1h # x", "quick.bad_tag"),
        ("1h call with vendor", "quick.missing_project"),
        ("1h nowhere/vpn", "quick.unknown_project"),
        ("1h /website", "quick.unknown_project"),
    ];
    for (line, code) in cases {
        let e = refused(line, &BASICS);
        assert_eq!(e.code, code, "{line:?}: {}", e.message);
    }
    let long = format!("1h /p {}", "x".repeat(MAX_LEN));
    assert_eq!(refused(&long, &BASICS).code, "quick.too_long");
    assert!(refused("1x30 acme/x", &BASICS).message.contains("`1x30`"));
    assert!(refused("1h a/b c/d", &BASICS).message.starts_with("`a/b`"));
    let e = refused("45m /Website relaunch", &BASICS);
    assert_eq!(e.message, "`/Website`: none of your projects has that name");
}

/// A word of letters, ASCII and not, whose case round-trips.
const LETTERS: &str = "[a-zA-ZÀ-ÖØ-Þà-öø-þа-яА-Я]{1,8}";

fn name_words() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(LETTERS, 1..=4)
}

fn note_words() -> impl Strategy<Value = Vec<String>> {
    let plain = LETTERS.prop_filter("a note word, not a day", |w| {
        parse_day(w).is_none() && !w.eq_ignore_ascii_case("last")
    });
    proptest::collection::vec(plain, 0..5)
}

/// `words` with each letter upper- or lowercased by `mask`.
fn cased(words: &[String], mask: &[bool]) -> Vec<String> {
    let mut k = 0;
    words
        .iter()
        .map(|w| {
            w.chars()
                .flat_map(|c| {
                    k += 1;
                    if mask[k % mask.len()] {
                        c.to_uppercase().collect::<Vec<_>>()
                    } else {
                        c.to_lowercase().collect()
                    }
                })
                .collect()
        })
        .collect()
}

fn day_token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "today",
        "yesterday",
        "monday",
        "Tue",
        "sunday",
        "last friday",
        "LAST mon",
        "2026-11-20",
    ])
}

proptest! {
    #[test]
    fn any_input_parses_or_fails_without_panicking(s in "\\PC{0,200}", q in "[ab \"'/#1h]{0,40}") {
        let list = names(&[("a", "b"), ("a b", "b a"), ("", "'a")]);
        let _ = parse(&s, &list);
        let _ = parse(&q, &list);
        let _ = parse(&format!("1h {q}"), &list);
    }

    #[test]
    fn generated_durations_and_notes_round_trip(h in 0i64..24, m in 0i64..60, words in note_words()) {
        prop_assume!(h * 60 + m > 0);
        let line = format!("{h}h{m:02} /p {}", words.join(" "));
        let q = parse(&line, &names(&BASICS)).unwrap();
        prop_assert_eq!(q.when, When::Duration(h * 3600 + m * 60));
        prop_assert_eq!(q.note, words.join(" "));
    }

    #[test]
    fn generated_ranges_round_trip(a in 0u32..1439, len in 1u32..600) {
        let b = (a + len).min(1439);
        prop_assume!(b > a);
        let line = format!("{}:{:02}-{}:{:02} /p", a / 60, a % 60, b / 60, b % 60);
        let q = parse(&line, &names(&BASICS)).unwrap();
        prop_assert_eq!(q.when, When::Range(t(a / 60, a % 60), t(b / 60, b % 60)));
        prop_assert_eq!(q.project, 2);
    }

    // See: #14 (5)
    #[test]
    fn names_of_several_words_in_any_case_parse_to_that_project(
        client in name_words(),
        project in name_words(),
        notes in note_words(),
        others in proptest::collection::vec((proptest::option::of(name_words()), name_words()), 0..4),
        mask in proptest::collection::vec(any::<bool>(), 1..16),
        quoted in any::<bool>(),
    ) {
        // Other projects may share words or be shorter names the words start with, but no
        // other one may be this project's name or a longer name made with the note's words.
        let typed: Vec<String> = project.iter().chain(&notes).map(|w| lower(w)).collect();
        for (_, p) in &others {
            let p: Vec<String> = p.iter().map(|w| lower(w)).collect();
            prop_assume!(p.len() < project.len() || !typed.starts_with(&p));
        }
        let mut list: Vec<ProjectName> = others
            .iter()
            .map(|(c, p)| ProjectName { client: c.as_ref().map(|c| c.join(" ")), project: p.join(" ") })
            .collect();
        list.push(ProjectName { client: Some(client.join(" ")), project: project.join(" ") });
        let (c, p, n) = (cased(&client, &mask), cased(&project, &mask), cased(&notes, &mask));
        let line = if quoted {
            format!("1h \"{}\"/'{}' {}", c.join(" "), p.join(" "), n.join(" "))
        } else {
            format!("1h {}/{} {}", c.join(" "), p.join(" "), n.join(" "))
        };
        let q = parse(&line, &list).unwrap();
        prop_assert_eq!(q.project, list.len() - 1, "{}", line);
        prop_assert_eq!(q.note, n.join(" "));
    }

    // See: #14 (3)
    #[test]
    fn last_weekday_is_one_to_seven_days_back_and_a_weekday_zero_to_six(days in 0i64..40_000, w in 0u8..7) {
        let today = date(2000, 1, 1) + chrono::Days::new(days as u64);
        let w = Weekday::try_from(w).unwrap();
        let last = Day::LastWeekday(w).resolve(today);
        prop_assert_eq!(last.weekday(), w);
        prop_assert!((1..=7).contains(&(today - last).num_days()));
        let latest = Day::Weekday(w).resolve(today);
        prop_assert_eq!(latest.weekday(), w);
        prop_assert!((0..=6).contains(&(today - latest).num_days()));
    }

    // See: #14 (4)
    #[test]
    fn a_day_before_or_after_the_when_gives_the_same_entry(
        day in day_token(),
        mins in 1i64..1440,
        notes in note_words(),
    ) {
        let all = names(&BASICS);
        let when = format!("{mins}m");
        let note = notes.join(" ");
        let lines = [
            format!("{day} {when} /p {note}"),
            format!("{when} {day} /p {note}"),
            format!("{when} /p {day} {note}"),
            format!("{when} /p {note} {day}"),
        ];
        let first = parse(&lines[0], &all).unwrap();
        prop_assert!(day == "today" || first.day != Day::Today, "{}", day);
        for line in &lines[1..] {
            prop_assert_eq!(&parse(line, &all).unwrap(), &first, "{}", line);
        }
    }
}

#[test]
fn a_timer_line_names_project_tags_flags_and_note_without_a_when() {
    let all = names(&BASICS);
    let t = parse_timer("acme/backups #ops #billable rotating keys", &all).unwrap();
    assert_eq!(label(&all[t.project]), "Acme/Backups");
    assert_eq!(
        (t.tags, t.billable, t.note.as_str()),
        (vec!["ops".to_owned()], Some(true), "rotating keys")
    );
    let t = parse_timer("call about 1h30 of downtime /vpn today", &all).unwrap();
    assert_eq!(label(&all[t.project]), "Infra/VPN");
    assert_eq!(
        t.note, "call about 1h30 of downtime",
        "a later duration is a word"
    );
}

#[test]
fn a_timer_line_refuses_a_when_or_another_day_naming_it() {
    let all = names(&BASICS);
    let refused = |line: &str| parse_timer(line, &all).expect_err(line);
    for (line, code, token) in [
        ("1h30 acme/vpn call", "quick.unexpected_time", "`1h30`"),
        (
            "9:15-10:00 /vpn call",
            "quick.unexpected_time",
            "`9:15-10:00`",
        ),
        ("yesterday 45m /vpn", "quick.unexpected_time", "`45m`"),
        ("/vpn yesterday call", "quick.unexpected_day", "`yesterday`"),
        ("/vpn last friday", "quick.unexpected_day", "`last friday`"),
        ("2026-11-20 /vpn", "quick.unexpected_day", "`2026-11-20`"),
        ("/vpn 2026-13-01", "quick.bad_date", "`2026-13-01`"),
        ("rotating keys #ops", "quick.missing_project", ""),
        ("nowhere/vpn call", "quick.unknown_project", "`nowhere/vpn`"),
        ("/vpn #", "quick.bad_tag", "`#`"),
    ] {
        let e = refused(line);
        assert_eq!(e.code, code, "{line}: {e:?}");
        assert!(e.message.contains(token), "{line}: {}", e.message);
    }
    let long = format!("/vpn {}", "x".repeat(MAX_LEN));
    assert_eq!(refused(&long).code, "quick.too_long");
}

proptest! {
    /// A quick-add line's body, started as a timer, names the same project, tags and note.
    #[test]
    fn a_timer_line_reads_as_the_same_line_after_a_duration(
        note in "[a-z]{1,8}( [a-z]{1,8}){0,3}",
        tag in "[a-z]{1,10}",
    ) {
        let all = names(&BASICS);
        let line = format!("acme/backups #{tag} {note}");
        prop_assume!(parse_timer(&line, &all).is_ok());
        let t = parse_timer(&line, &all).unwrap();
        let q = parse(&format!("1h {line}"), &all).unwrap();
        prop_assert_eq!((t.project, t.tags, t.billable, t.note), (q.project, q.tags, q.billable, q.note));
    }
}
