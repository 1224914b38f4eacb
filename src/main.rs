//! Thin binary: parse arguments, run, map the outcome to an exit code
//! (0 clean, 1 findings or gaps, 2 errors).

use std::process::ExitCode;

fn main() -> ExitCode {
    greenlight::cli::main()
}
