//! The `dossier` binary: parses arguments and hands over to `cli`, which picks the exit code.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;

/// mimalloc: the pipeline allocates many small strings on several threads at once.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}
