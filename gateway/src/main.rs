//! `lucairn`: the command line of the Lucairn DLP engine and gateway.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use lucairn_gateway::{cli, config};

/// Lucairn finds personal data in text, and keeps it out of LLM traffic.
#[derive(Debug, Parser)]
#[command(name = "lucairn", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find personal data in files (or standard input) and list it.
    Scan(cli::scan::ScanArgs),
    /// Print the text with every finding replaced by `[KIND]`.
    Redact(cli::scan::RedactArgs),
    /// Run the OpenAI-compatible gateway.
    Serve(Box<config::ServeArgs>),
    /// Create, list and revoke API keys.
    Keys(cli::keys::KeysArgs),
    /// Check a certificate's signature.
    Verify(cli::verify::VerifyArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => cli::scan::scan(&args),
        Command::Redact(args) => cli::scan::redact(&args),
        Command::Serve(args) => cli::serve::serve(&args),
        Command::Keys(args) => cli::keys::keys(&args),
        Command::Verify(args) => cli::verify::verify(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lucairn: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
