//! The `dossier` binary: parses arguments and hands over to `cli`, which picks the exit code.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}
