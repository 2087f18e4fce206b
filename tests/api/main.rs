//! End-to-end tests: the real binary, real HTTP on loopback, a temporary data folder each.
//! One module per area, named after it; each says at its top what belongs in it. `helpers`
//! holds the harness and typed calls per endpoint, `inproc` the in-process server with a held
//! clock for tests that need time to pass. Run one area with `cargo test --test api <module>`.

mod helpers;
mod inproc;

mod accessed;
mod account;
mod assets;
mod audit;
mod authz;
mod backups;
mod bad_input;
mod billing;
mod calendar;
mod checkpoints;
mod cli;
mod compression;
mod connections;
mod disk_full;
mod durability;
mod email;
mod entries_list;
mod erasure;
mod expiry;
mod exports;
mod golden;
mod holds;
mod idempotency;
mod imports;
mod incidents;
mod jobs;
mod notice;
mod permissions;
mod portal;
mod privacy;
mod quickadd;
mod races;
mod ranges;
mod report_views;
mod reports;
mod retention;
mod roles;
mod rough_edges;
mod security;
mod setup;
mod signin_links;
mod startup;
mod system;
mod tag_scope;
mod tasks;
mod team_timesheet;
mod terminal_timer;
mod tickets;
mod timesheet;
mod tls;
mod tokens;
mod tracking;
mod users;
mod webhooks;
mod weeks;
mod weeks_lock;
