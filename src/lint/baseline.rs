//! Baseline files: the fingerprints of accepted findings, so a team can adopt the gate on an
//! existing repository and fail only on new findings.
//!
//! ```json
//! {"greenlight-baseline": 1, "fingerprints": ["0123456789abcdef", ...]}
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Finding;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    #[serde(rename = "greenlight-baseline")]
    pub format: u32,
    pub fingerprints: Vec<String>,
}

impl Baseline {
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if b.format != 1 {
            return Err(format!("unsupported baseline format {}", b.format));
        }
        Ok(b)
    }

    /// A baseline of these findings (sorted, duplicates kept: each covers one finding).
    pub fn of(findings: &[Finding]) -> Baseline {
        let mut fingerprints: Vec<String> = findings.iter().map(Finding::fingerprint).collect();
        fingerprints.sort();
        Baseline {
            format: 1,
            fingerprints,
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Removes the findings the baseline accepts; returns how many were removed. Each
    /// fingerprint accepts as many findings as it appears in the baseline.
    pub fn filter(&self, findings: &mut Vec<Finding>) -> usize {
        let mut budget: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &self.fingerprints {
            *budget.entry(f.as_str()).or_default() += 1;
        }
        let before = findings.len();
        findings.retain(|f| {
            // A file that cannot be read or parsed is never accepted by a baseline.
            if matches!(f.rule.check, super::Check::Parse | super::Check::Input) {
                return true;
            }
            let fp = f.fingerprint();
            match budget.get_mut(fp.as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        before - findings.len()
    }
}
