//! `ophiontt tls self-signed`.

use std::process::ExitCode;

use crate::config::Config;

pub fn self_signed(config: Config, hosts: Vec<String>) -> anyhow::Result<ExitCode> {
    crate::app::ensure_data_dir(&config.data_dir)?;
    let today = chrono::Utc::now().date_naive();
    let made = match crate::tls::self_signed(&config.data_dir, &hosts, today) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let ca = made.ca_cert.display();
    println!(
        "Wrote a certificate for {} valid until {}:\n  certificate  {}\n  key          {} (mode 0600)\n  authority    {ca} ({})\n",
        hosts.join(", "),
        made.not_after,
        made.files.cert.display(),
        made.files.key.display(),
        if made.reused_ca {
            "reused: clients that trust it already need nothing new"
        } else {
            "new"
        },
    );
    println!(
        "`ophiontt serve` now speaks HTTPS with this pair (unless tls.cert and tls.key point \
         elsewhere). A server already on HTTPS with these files picks them up on SIGHUP \
         (systemctl reload ophiontt); one on plain HTTP needs a restart.\n\n\
         Trust the authority once on each client:\n  \
         Debian/Ubuntu:     sudo cp {ca} /usr/local/share/ca-certificates/ophiontt.crt && sudo update-ca-certificates\n  \
         Firefox, Chromium: Settings > Privacy and security > Certificates > Authorities > Import {ca}\n  \
         curl:              curl --cacert {ca} https://{}/healthz\n\n\
         Renew before that date by running this command again; the authority is kept.",
        hosts[0]
    );
    Ok(ExitCode::SUCCESS)
}
