//! Compiles the shipped IAM catalog (`data/iam-catalog.json.gz`, AWS's service-reference
//! schema) into the compact binary layout of `src/catalog/layout.rs`, which the library embeds
//! with `include_bytes!` and reads without parsing.

use std::io::Read;
use std::path::PathBuf;

#[allow(dead_code)]
#[path = "src/catalog/schema.rs"]
mod schema;

#[path = "src/catalog/layout.rs"]
mod layout;

fn main() {
    if let Err(e) = run() {
        println!("cargo::error=cannot compile data/iam-catalog.json.gz: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let input = PathBuf::from("data/iam-catalog.json.gz");
    println!("cargo::rerun-if-changed=data/iam-catalog.json.gz");
    println!("cargo::rerun-if-changed=src/catalog/schema.rs");
    println!("cargo::rerun-if-changed=src/catalog/layout.rs");
    let gz = std::fs::read(&input).map_err(|e| e.to_string())?;
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut json)
        .map_err(|e| e.to_string())?;
    let bundle: schema::Bundle = serde_json::from_slice(&json).map_err(|e| e.to_string())?;
    let blob = layout::encode(&bundle).map_err(|e| e.to_string())?;
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    std::fs::write(out.join("catalog.bin"), blob).map_err(|e| e.to_string())?;
    let src = bundle.source.unwrap_or_default();
    let date = src.data_updated_at.unwrap_or_default();
    let day = date.get(..10).unwrap_or(&date).to_owned();
    let package = format!(
        "{} {}",
        src.package.unwrap_or_default(),
        src.package_version.unwrap_or_default()
    );
    println!("cargo::rustc-env=GREENLIGHT_CATALOG_DATE={day}");
    println!("cargo::rustc-env=GREENLIGHT_CATALOG_SOURCE={package}");
    Ok(())
}
