//! End-to-end tests: the real binary, real HTTP on loopback, a temporary data folder each.

mod helpers;

mod account;
mod audit;
mod backup;
mod bad_input;
mod cli;
mod durability;
mod expiry;
mod jobs;
mod privacy;
mod quickadd;
mod roles;
mod setup;
mod startup;
mod system;
mod tasks;
mod timesheet;
mod tls;
mod tracking;
mod users;
