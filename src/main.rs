//! The `sessionproof` binary: all work happens in the library.

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    sessionproof::cli::main()
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
