//! E-mail: which kinds the server sends, which of them a person may turn off, and the text of
//! each message (plain text, wrapped for a mail reader). Pure: the service layer decides who
//! gets what and queues it in the outbox; `outbound::email` sends it.

use serde::{Deserialize, Serialize};

/// The SMTP server in use, as the System page shows it (never the password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailServer {
    pub host: String,
    pub port: u16,
    /// `starttls`, `tls` or `none`.
    pub security: String,
    /// The `From:` as configured.
    pub from: String,
    /// Whether the server authenticates (SMTP AUTH).
    pub authenticates: bool,
}

/// The notifications a person may turn off; every one is on unless they did. Invitations and
/// password-reset links are essential and always sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailPrefs {
    /// Their week approved or rejected.
    pub week_decisions: bool,
    /// (admins) The daily digest of privacy requests coming due or overdue.
    pub privacy_deadlines: bool,
    /// (admins) A scheduled backup failed.
    pub backup_failures: bool,
}

impl Default for MailPrefs {
    fn default() -> Self {
        Self {
            week_decisions: true,
            privacy_deadlines: true,
            backup_failures: true,
        }
    }
}

impl MailPrefs {
    /// The names of the kinds turned off (how they are stored).
    pub fn off(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, on) in self.pairs() {
            if !on {
                out.push(name.to_owned());
            }
        }
        out
    }

    /// From the names of the kinds turned off; unknown names are ignored.
    pub fn from_off(off: &[String]) -> Self {
        let has = |k: &str| off.iter().any(|o| o == k);
        Self {
            week_decisions: !has("week_decisions"),
            privacy_deadlines: !has("privacy_deadlines"),
            backup_failures: !has("backup_failures"),
        }
    }

    fn pairs(&self) -> [(&'static str, bool); 3] {
        [
            ("week_decisions", self.week_decisions),
            ("privacy_deadlines", self.privacy_deadlines),
            ("backup_failures", self.backup_failures),
        ]
    }
}

/// A message to send: its outbox event, subject line and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub event: &'static str,
    pub subject: String,
    pub body: String,
}

/// The longest line of a message's text, where words allow.
pub const WRAP: usize = 72;

const SIGNATURE: &str = "-- \nOphionTT, the time tracker at ";

fn finish(event: &'static str, subject: String, paragraphs: &[String], base: &str) -> Message {
    let mut body = String::new();
    for p in paragraphs {
        body.push_str(&wrap(p, WRAP));
        body.push_str("\n\n");
    }
    body.push_str(SIGNATURE);
    body.push_str(base);
    body.push('\n');
    Message {
        event,
        subject,
        body,
    }
}

fn opt_out_note(base: &str) -> String {
    format!(
        "You get this e-mail because it is on in your account. To stop these, open My \
         account, E-mail notifications: {base}/account"
    )
}

/// The invitation to a new account, with the link that sets its password.
pub fn invitation(name: &str, email: &str, link: &str, expires: &str, base: &str) -> Message {
    finish(
        "email.invitation",
        "Your OphionTT account".to_owned(),
        &[
            format!("Hello {name},"),
            format!(
                "an account was created for you on the OphionTT time tracker at {base}. \
                 You sign in with this address ({email}) and a password you choose."
            ),
            format!("To choose your password, open this link (it works once, until {expires}):"),
            link.to_owned(),
            "Do not forward this e-mail: whoever opens the link can set the password. If \
             you did not expect it, ignore it and tell your administrator."
                .to_owned(),
        ],
        base,
    )
}

/// A password-reset link an admin issued.
pub fn reset_link(name: &str, link: &str, expires: &str, base: &str) -> Message {
    finish(
        "email.password_reset",
        "Set a new OphionTT password".to_owned(),
        &[
            format!("Hello {name},"),
            "an administrator issued a link for you to set a new password for your \
             OphionTT account."
                .to_owned(),
            format!("Open it to choose the new password (it works once, until {expires}):"),
            link.to_owned(),
            "Setting a password signs you out everywhere. Do not forward this e-mail. If you \
             did not ask for it, ignore it: your current password keeps working until the \
             link is used, and tell your administrator."
                .to_owned(),
        ],
        base,
    )
}

/// A one-time sign-in link the person asked for on the login page (`auth.sign_in_links`).
pub fn sign_in_link(name: &str, link: &str, minutes: u64, base: &str) -> Message {
    finish(
        "email.sign_in_link",
        "Your OphionTT sign-in link".to_owned(),
        &[
            format!("Hello {name},"),
            format!(
                "someone, probably you, asked to sign in to OphionTT at {base} with a link \
                 instead of a password."
            ),
            format!(
                "Open this link in the same browser where you asked for it, within {minutes} \
                 minutes. It works once:"
            ),
            link.to_owned(),
            "Do not forward this e-mail. If you did not ask for it, ignore it: the link does \
             not work in any other browser, and nothing changes. Tell your administrator if \
             these keep coming."
                .to_owned(),
        ],
        base,
    )
}

/// Their week was approved or rejected.
pub fn week_decision(
    name: &str,
    approved: bool,
    week: &str,
    by: &str,
    comment: Option<&str>,
    base: &str,
) -> Message {
    let (event, verb) = if approved {
        ("email.week_approved", "approved")
    } else {
        ("email.week_rejected", "rejected")
    };
    let mut p = vec![
        format!("Hello {name},"),
        format!("{by} {verb} your week of {week}."),
    ];
    if let Some(c) = comment.filter(|c| !c.trim().is_empty()) {
        p.push(format!("Comment: {}", c.trim()));
    }
    p.push(if approved {
        format!("Nothing to do. The week is in your timesheet: {base}/timesheet?week={week}")
    } else {
        format!(
            "Please correct the week's entries and submit it again: \
             {base}/timesheet?week={week}"
        )
    });
    p.push(opt_out_note(base));
    finish(event, format!("Your week of {week} was {verb}"), &p, base)
}

/// One privacy request in the admins' digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRequest {
    /// access, erasure…
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub received: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub overdue: bool,
}

/// The admins' daily digest of privacy requests due soon or overdue. It names the request
/// kinds and dates, never who asked (that stays in the register).
pub fn privacy_deadlines(name: &str, due: &[DueRequest], soon_days: u32, base: &str) -> Message {
    let overdue = due.iter().filter(|d| d.overdue).count();
    let subject = if overdue > 0 {
        format!(
            "{overdue} privacy request(s) overdue, {} due soon",
            due.len() - overdue
        )
    } else {
        format!(
            "{} privacy request(s) due within {soon_days} days",
            due.len()
        )
    };
    let mut p = vec![
        format!("Hello {name},"),
        "these privacy requests in the register need an answer:".to_owned(),
    ];
    let lines: Vec<String> = due
        .iter()
        .map(|d| {
            let when = if d.overdue { "OVERDUE since" } else { "due" };
            format!(
                "- {} request received {}: {when} {}",
                d.kind, d.received, d.due
            )
        })
        .collect();
    p.push(lines.join("\n"));
    p.push(format!(
        "Answer them in the privacy register: {base}/privacy. The law sets these \
         deadlines; an extension must be recorded with its reason before the due date."
    ));
    p.push(opt_out_note(base));
    finish("email.privacy_deadlines", subject, &p, base)
}

/// A scheduled backup failed.
pub fn backup_failed(name: &str, error: &str, at: &str, base: &str) -> Message {
    finish(
        "email.backup_failed",
        "OphionTT: a scheduled backup failed".to_owned(),
        &[
            format!("Hello {name},"),
            format!("the scheduled backup at {at} failed: {error}"),
            format!(
                "Until a backup succeeds, the newest copy is older than you expect. Check \
                 the folder and its free space, then run the backup again from the Jobs \
                 page ({base}/jobs) or with `ophiontt backup create`."
            ),
            opt_out_note(base),
        ],
        base,
    )
}

/// A personal-data breach notification (Art. 34), in the words the admin sent (each person's
/// name filled in already); paragraphs are separated by blank lines. Essential: no one can
/// turn these off.
pub fn breach_notice(subject: &str, text: &str, base: &str) -> Message {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    finish(
        "email.breach_notice",
        subject.trim().to_owned(),
        &paragraphs,
        base,
    )
}

/// The test message an admin sends from the System page.
pub fn test(name: &str, server: &str, base: &str) -> Message {
    finish(
        "email.test",
        "OphionTT test e-mail".to_owned(),
        &[
            format!("Hello {name},"),
            format!(
                "this is the test e-mail you asked for on the System page. It went through \
                 {server}, so e-mail from OphionTT works."
            ),
        ],
        base,
    )
}

/// Wraps each line of `text` at `width` characters on spaces; a word longer than the width (a
/// link) stays whole on a line of its own.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let indent: String = if line.starts_with("- ") {
            "  ".to_owned()
        } else {
            String::new()
        };
        let mut len = 0;
        for (j, word) in line.split(' ').filter(|w| !w.is_empty()).enumerate() {
            let n = word.chars().count();
            if j > 0 && len + 1 + n > width {
                out.push('\n');
                out.push_str(&indent);
                len = indent.len();
            } else if j > 0 {
                out.push(' ');
                len += 1;
            }
            out.push_str(word);
            len += n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_at_72_and_links_stay_whole() {
        let link = format!("https://tt.example.com/reset#token={}", "x".repeat(60));
        let m = reset_link(
            "Ada",
            &link,
            "2026-11-02T10:00:00Z",
            "https://tt.example.com",
        );
        for l in m.body.lines() {
            assert!(l.chars().count() <= WRAP || l == link, "{l:?}");
        }
        assert!(m.body.lines().any(|l| l == link), "{}", m.body);
        assert!(m
            .body
            .ends_with("-- \nOphionTT, the time tracker at https://tt.example.com\n"));
    }

    #[test]
    fn a_rejection_carries_its_comment_and_the_opt_out() {
        let m = week_decision(
            "Max",
            false,
            "2026-11-02",
            "Ada Admin",
            Some("Monday is missing"),
            "http://h",
        );
        assert_eq!(m.event, "email.week_rejected");
        assert_eq!(m.subject, "Your week of 2026-11-02 was rejected");
        let flat = m.body.replace('\n', " ");
        assert!(flat.contains("Ada Admin rejected your week of 2026-11-02."));
        assert!(flat.contains("Comment: Monday is missing"));
        assert!(flat.contains("http://h/account"));
    }

    #[test]
    fn preferences_store_only_what_is_off() {
        let p = MailPrefs {
            backup_failures: false,
            ..MailPrefs::default()
        };
        assert_eq!(p.off(), vec!["backup_failures".to_owned()]);
        assert_eq!(MailPrefs::from_off(&p.off()), p);
        assert_eq!(MailPrefs::from_off(&[]), MailPrefs::default());
    }

    #[test]
    fn list_items_wrap_under_their_text() {
        let w = wrap(&format!("- {}", "word ".repeat(30)), 30);
        assert!(w.lines().skip(1).all(|l| l.starts_with("  word")), "{w}");
    }
}
