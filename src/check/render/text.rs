//! Text output: a table per profile, a summary line, and a diagnostic pointing into the policy
//! file for every explicit deny.

use std::fmt::Write as _;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::super::{
    Blocked, Decision, MatchedStatement, PolicyWarning, ProfileReport, RequirementResult,
};
use super::statement_label;

fn decision_text(d: Decision) -> &'static str {
    match d {
        Decision::Allowed => "allowed",
        Decision::ImplicitDeny => "MISSING (implicitDeny)",
        Decision::ExplicitDeny => "DENIED (explicitDeny)",
    }
}

fn where_text(
    d: Decision,
    matched: &[MatchedStatement],
    missing: &[String],
    blocked: Option<&Blocked>,
) -> String {
    let mut s = match (d, blocked) {
        (Decision::Allowed, _) | (_, None) => matched
            .iter()
            .map(statement_label)
            .collect::<Vec<_>>()
            .join("\n"),
        (_, Some(b)) => format!("blocked by {}: {}", b.by.as_str(), b.detail),
    };
    if !missing.is_empty() {
        if !s.is_empty() {
            s.push('\n');
        }
        let _ = write!(s, "needs context: {}", missing.join(", "));
    }
    s
}

fn request_text(r: &RequirementResult, shared: &[&str]) -> String {
    let mut s = format!("{}\n{}", r.action, r.resource);
    for (k, v) in &r.context {
        if shared.contains(&k.as_str()) {
            continue;
        }
        let _ = write!(s, "\n{k}={}", v.join(","));
    }
    s
}

/// Keys carried by every request of the report (printed once above the table).
const SHARED_KEYS: &[&str] = &[
    "aws:RequestedRegion",
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
];

/// `warnings` (about the principal's policies) are printed once, before the summary line.
pub fn render(reports: &[ProfileReport], warnings: &[PolicyWarning]) -> String {
    let mut out = String::new();
    for r in reports {
        let _ = writeln!(out, "{} (version {}): {}", r.id, r.version, r.title);
        let params: Vec<String> = r
            .params
            .values
            .iter()
            .map(|(k, (v, _))| format!("{k}={v}"))
            .collect();
        let _ = writeln!(out, "parameters: {}", params.join(" "));
        if let Some(first) = r.requirements.first() {
            let shared: Vec<String> = first
                .context
                .iter()
                .filter(|(k, _)| SHARED_KEYS.contains(&k.as_str()))
                .map(|(k, v)| format!("{k}={}", v.join(",")))
                .collect();
            if !shared.is_empty() {
                let _ = writeln!(out, "every request carries: {}", shared.join(" "));
            }
        }
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(vec!["requirement", "decision", "where"]);
        for q in &r.requirements {
            let mut place = where_text(
                q.decision,
                &q.matched,
                &q.missing_context,
                q.blocked.as_ref(),
            );
            if let Some(w) = &q.only_when {
                let _ = write!(place, "\nallowed {w}");
            }
            t.add_row(vec![
                request_text(q, SHARED_KEYS),
                decision_text(q.decision).to_string(),
                place,
            ]);
        }
        if let Some(tr) = &r.trust {
            let mut req = format!("trust: {} {}\n{}", tr.principal, tr.action, tr.resource);
            for (k, v) in &tr.context {
                let _ = write!(req, "\n{k}={}", v.join(","));
            }
            t.add_row(vec![
                req,
                decision_text(tr.decision).to_string(),
                where_text(
                    tr.decision,
                    &tr.matched,
                    &tr.missing_context,
                    tr.blocked.as_ref(),
                ),
            ]);
        }
        let _ = writeln!(out, "{t}");
        if let Some(tr) = &r.trust {
            for w in &tr.warnings {
                let _ = writeln!(
                    out,
                    "warning[{}]: {} at {}",
                    w.code,
                    w.message,
                    statement_label(&w.statement)
                );
            }
            let _ = writeln!(out, "{}", others_line(tr));
        }
        if r.trust_unchecked {
            let _ = writeln!(
                out,
                "note: the trust requirement was not checked (give the role's trust policy with --trust-policy)"
            );
        }
        let allowed = r.count(Decision::Allowed);
        let total = r.requirements.len();
        let trust = match &r.trust {
            Some(t) if t.open => ", trust OPEN",
            Some(t) if t.decision == Decision::Allowed => ", trust allowed",
            Some(_) => ", trust NOT allowed",
            None => "",
        };
        let _ = writeln!(
            out,
            "{}: {allowed} of {total} requirements allowed, {} missing, {} denied{trust}: {} gap{}",
            r.id,
            r.count(Decision::ImplicitDeny),
            r.count(Decision::ExplicitDeny),
            r.gaps(),
            if r.gaps() == 1 { "" } else { "s" }
        );
        let _ = writeln!(out);
    }
    // the statements that cause a gap, in the text style of every command
    let notes: Vec<_> = super::notes::notes(reports, &super::Files::default(), &[])
        .into_iter()
        .filter(super::notes::in_text)
        .collect();
    out.push_str(&crate::report::human::text(&notes, 100, false));
    for w in warnings {
        let _ = writeln!(out, "{}", w.text());
    }
    let gaps = super::total_gaps(reports);
    // Gaps an identity policy can fix (not blocked by a boundary or an SCP).
    let missing: usize = reports
        .iter()
        .flat_map(|r| &r.requirements)
        .filter(|q| {
            q.decision == Decision::ImplicitDeny
                && !q.blocked.as_ref().is_some_and(Blocked::beyond_identity)
        })
        .count();
    let beyond: usize = reports
        .iter()
        .flat_map(|r| &r.requirements)
        .filter(|q| q.blocked.as_ref().is_some_and(Blocked::beyond_identity))
        .count();
    let _ = writeln!(
        out,
        "{} gap{} in {} profile{}",
        gaps,
        if gaps == 1 { "" } else { "s" },
        reports.len(),
        if reports.len() == 1 { "" } else { "s" }
    );
    if beyond > 0 {
        let _ = writeln!(
            out,
            "note: {beyond} gap{} {} blocked by a permissions boundary or a service control policy: no identity policy can fix {}",
            if beyond == 1 { "" } else { "s" },
            if beyond == 1 { "is" } else { "are" },
            if beyond == 1 { "it" } else { "them" },
        );
    }
    if missing > 0 {
        let _ = writeln!(
            out,
            "hint: `greenlight generate --profile ID --missing-from POLICY...` prints the minimal policy that adds what is missing"
        );
    }
    out
}

/// The analysis' answer to "can anyone but the service assume the role?", with one
/// counterexample request.
fn others_line(tr: &super::super::TrustResult) -> String {
    match (tr.others, tr.others_examples.first()) {
        (Some(false), _) => format!(
            "trust: no principal other than `{}` can assume the role, under any context",
            tr.principal
        ),
        (Some(true), Some(a)) => {
            let who = a
                .example
                .principal
                .as_deref()
                .unwrap_or("an anonymous caller");
            let mut s = format!(
                "trust: principals other than `{}` can assume the role, for example `{who}` calling `{}`",
                tr.principal, a.example.action
            );
            if !a.example.context.is_empty() {
                let ctx: Vec<String> = a
                    .example
                    .context
                    .iter()
                    .map(|(k, v)| format!("`{k}` = `{}`", v.join("`, `")))
                    .collect();
                s.push_str(&format!(" with {}", ctx.join(" and ")));
            }
            if let Some(st) = a.statements.first() {
                let label = match st.sid.as_deref() {
                    Some(sid) if !sid.is_empty() => format!("`{sid}`"),
                    _ => format!("#{}", st.index + 1),
                };
                s.push_str(&format!(" (statement {label}, {}:{})", st.file, st.line));
            }
            s
        }
        _ => format!(
            "trust: whether principals other than `{}` can assume the role is unknown: {}",
            tr.principal,
            tr.others_unknown
                .as_deref()
                .unwrap_or("the analysis did not decide")
        ),
    }
}
