//! The lint configuration file (JSON): rule selection, severity overrides and per-path ignores,
//! each ignore with a required reason.
//!
//! ```json
//! {
//!   "select": ["security", "GL020"],
//!   "ignore": ["missing-version"],
//!   "severity": {"GL073": "warning"},
//!   "per-path-ignores": [
//!     {"paths": ["legacy/*.json"], "rules": ["GL090"], "reason": "scheduled for removal"}
//!   ]
//! }
//! ```
//! `select` and `ignore` take rule codes, rule names or severities; `select` is optional (all
//! rules by default).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Finding, Rule, Severity, rules};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    #[serde(default, rename = "per-path-ignores")]
    per_path_ignores: Vec<RawIgnore>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    paths: Vec<String>,
    rules: Vec<String>,
    reason: Option<String>,
}

/// A validated configuration.
#[derive(Debug, Default)]
pub struct Config {
    select: Option<Vec<Selector>>,
    ignore: Vec<Selector>,
    severity: BTreeMap<&'static str, Severity>,
    per_path: Vec<PathIgnore>,
    /// Folders `per-path-ignores` patterns are relative to: the repository root of the
    /// configuration file and the file's own folder (see [`Config::relative_to`]).
    bases: Vec<std::path::PathBuf>,
}

#[derive(Debug)]
struct PathIgnore {
    paths: Vec<glob::Pattern>,
    rules: Vec<Selector>,
}

#[derive(Debug, Clone)]
enum Selector {
    Rule(&'static str),
    Severity(Severity),
    All,
}

impl Selector {
    fn parse(s: &str) -> Result<Selector, String> {
        if s == "*" || s == "all" {
            return Ok(Selector::All);
        }
        if let Some(sev) = Severity::parse(s) {
            return Ok(Selector::Severity(sev));
        }
        rules::lookup(s)
            .map(|r| Selector::Rule(r.code))
            .ok_or_else(|| format!("`{s}` is not a rule code, rule name or severity"))
    }

    /// Whether the selector names a finding of `rule` whose severity (as the rule reported
    /// it, before configuration overrides) is `severity`: a severity selector reads the
    /// finding's own severity, which a rule may lower for one finding (GL073 in a trust
    /// policy, GL057 on a short ARN ending in `*`).
    fn matches(&self, rule: &Rule, severity: Severity) -> bool {
        match self {
            Selector::Rule(code) => rule.code == *code,
            Selector::Severity(s) => severity == *s,
            Selector::All => true,
        }
    }
}

impl Config {
    /// Parses and validates a configuration file's text.
    pub fn parse(text: &str) -> Result<Config, String> {
        let raw: RawConfig = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let select = raw
            .select
            .map(|v| {
                v.iter()
                    .map(|s| Selector::parse(s))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let ignore = raw
            .ignore
            .iter()
            .map(|s| Selector::parse(s))
            .collect::<Result<Vec<_>, _>>()?;
        let mut severity = BTreeMap::new();
        for (k, v) in &raw.severity {
            let rule = rules::lookup(k).ok_or_else(|| format!("`{k}` is not a rule"))?;
            let sev = Severity::parse(v).ok_or_else(|| {
                format!("`{v}` is not a severity (error, security, warning, suggestion)")
            })?;
            severity.insert(rule.code, sev);
        }
        let mut per_path = Vec::new();
        for (i, ig) in raw.per_path_ignores.iter().enumerate() {
            if ig.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                return Err(format!(
                    "per-path-ignores[{i}] has no `reason`: every ignore must say why"
                ));
            }
            if ig.paths.is_empty() || ig.rules.is_empty() {
                return Err(format!(
                    "per-path-ignores[{i}] must list at least one path and one rule"
                ));
            }
            let mut paths = Vec::new();
            for p in &ig.paths {
                for g in gitignore_globs(p) {
                    paths.push(glob::Pattern::new(&g).map_err(|e| format!("`{p}`: {}", e.msg))?);
                }
            }
            let rules = ig
                .rules
                .iter()
                .map(|s| Selector::parse(s))
                .collect::<Result<Vec<_>, _>>()?;
            per_path.push(PathIgnore { paths, rules });
        }
        Ok(Config {
            select,
            ignore,
            severity,
            per_path,
            bases: Vec::new(),
        })
    }

    /// Makes `per-path-ignores` patterns relative to the configuration file at `path`: a
    /// finding's file is matched as written, and as its path relative to the repository root
    /// that holds the configuration file and relative to the file's own folder, so that
    /// `x.json`, `./x.json` and the absolute path are one file wherever greenlight runs.
    pub fn relative_to(mut self, path: &std::path::Path) -> Config {
        use crate::discover::paths;
        let dir = paths::absolute(path)
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        if let Some(root) = paths::repo_root(&dir) {
            self.bases.push(root);
        }
        if !self.bases.contains(&dir) {
            self.bases.push(dir);
        }
        self
    }

    /// Is the rule enabled at all?
    pub fn enabled(&self, rule: &Rule) -> bool {
        self.selects(rule, rule.severity)
    }

    /// Whether a finding of `rule` with `severity` is selected and not ignored.
    fn selects(&self, rule: &Rule, severity: Severity) -> bool {
        let selected = self
            .select
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| x.matches(rule, severity)));
        selected && !self.ignore.iter().any(|x| x.matches(rule, severity))
    }

    /// Applies selection, per-path ignores and severity overrides. Parse and input errors are
    /// never dropped: a file that cannot be read or parsed always fails the run.
    pub fn apply(&self, f: &mut Finding) -> bool {
        let structural = matches!(f.rule.check, super::Check::Parse | super::Check::Input);
        if !structural {
            if !self.selects(f.rule, f.severity) {
                return false;
            }
            if !self.per_path.is_empty() {
                let file = f.file().split('#').next().unwrap_or("");
                // (`*` stays within a folder, `**` crosses folders, as in `.gitignore`; the
                // path is the one relative to the configuration's folder or repository root
                // when there is one, not to the folder greenlight runs from: red team 52)
                let opts = glob::MatchOptions {
                    require_literal_separator: true,
                    ..Default::default()
                };
                let mut names: Vec<String> = self
                    .bases
                    .iter()
                    .map(|base| {
                        crate::discover::paths::relative_to(std::path::Path::new(file), base)
                    })
                    .collect();
                if names.is_empty() {
                    names.push(file.strip_prefix("./").unwrap_or(file).to_string());
                }
                // (and the absolute path, which names one file wherever greenlight runs)
                names.push(
                    crate::discover::paths::absolute(std::path::Path::new(file))
                        .display()
                        .to_string(),
                );
                if self.per_path.iter().any(|ig| {
                    ig.rules.iter().any(|r| r.matches(f.rule, f.severity))
                        && ig
                            .paths
                            .iter()
                            .any(|p| names.iter().any(|n| p.matches_with(n, opts)))
                }) {
                    return false;
                }
            }
        }
        if let Some(s) = self.severity.get(f.rule.code) {
            if !structural {
                f.severity = *s;
            }
        }
        true
    }
}

/// The globs a `per-path-ignores` pattern stands for, read as `.gitignore` reads it
/// (<https://git-scm.com/docs/gitignore#_pattern_format>): a pattern without a `/` but at its
/// end matches at any depth (`*.json`, `b.json`, `fixtures`), one with a `/` before its end is
/// relative to the root (an absolute path stays one), a trailing `/` matches a folder only, and
/// a folder matched covers everything under it. `*` stays within a folder, `**` crosses
/// folders.
fn gitignore_globs(pattern: &str) -> Vec<String> {
    let folder_only = pattern.ends_with('/');
    let body = pattern.trim_end_matches('/');
    let anchored = body.contains('/');
    // (a leading `/` anchors to the root, as in `.gitignore`; an absolute path is kept too)
    let bases: Vec<String> = if !anchored {
        vec![format!("**/{body}")]
    } else if let Some(rel) = body.strip_prefix('/') {
        vec![rel.to_string(), body.to_string()]
    } else {
        vec![body.trim_start_matches("./").to_string()]
    };
    let mut out = Vec::new();
    for base in bases {
        out.push(format!("{base}/**"));
        if !folder_only {
            out.push(base);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_need_a_reason() {
        let e = Config::parse(r#"{"per-path-ignores":[{"paths":["a/*"],"rules":["GL020"]}]}"#)
            .unwrap_err();
        assert!(e.contains("reason"), "{e}");
        assert!(Config::parse(r#"{"ignore":["no-such-rule"]}"#).is_err());
        assert!(Config::parse(r#"{"unknown":1}"#).is_err());
        let c = Config::parse(
            r#"{"ignore":["suggestion"],"severity":{"missing-version":"error"},"per-path-ignores":[{"paths":["legacy/*"],"rules":["GL020"],"reason":"old"}]}"#,
        )
        .unwrap();
        assert!(!c.enabled(&rules::empty_sid::RULE));
        assert!(c.enabled(&rules::missing_version::RULE));
    }

    /// A severity selector reads the finding's severity: GL073 is security in a resource
    /// policy and a warning in a trust policy, so `ignore: ["warning"]` drops only the latter.
    #[test]
    fn severity_selectors_read_the_finding_severity() {
        let c = Config::parse(r#"{"ignore":["warning"]}"#).unwrap();
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let topic = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:111122223333:t"}]}"#;
        let kept = |text: &str, t: crate::lint::PolicyType| {
            let out = crate::lint::lint_source(
                &crate::source::Source::new("p.json", text.to_string()),
                Some(t),
            );
            out.findings
                .into_iter()
                .filter(|f| f.rule.code == "GL073")
                .filter_map(|mut f| c.apply(&mut f).then_some(f.severity))
                .collect::<Vec<_>>()
        };
        assert!(kept(trust, crate::lint::PolicyType::Trust).is_empty());
        assert_eq!(
            kept(topic, crate::lint::PolicyType::Resource),
            vec![Severity::Security]
        );
        let only_security = Config::parse(r#"{"select":["security"]}"#).unwrap();
        let out = crate::lint::lint_source(
            &crate::source::Source::new("t.json", trust.to_string()),
            Some(crate::lint::PolicyType::Trust),
        );
        assert!(
            out.findings
                .into_iter()
                .filter(|f| f.rule.code == "GL073")
                .all(|mut f| !only_security.apply(&mut f))
        );
    }
}
