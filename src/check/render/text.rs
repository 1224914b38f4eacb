//! Text output: a table per profile, a summary line, and a diagnostic pointing into the policy
//! file for every explicit deny.

use std::fmt::Write as _;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};

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
    for r in reports {
        for q in &r.requirements {
            if q.decision == Decision::ExplicitDeny {
                for m in q
                    .matched
                    .iter()
                    .filter(|m| m.effect == crate::model::Effect::Deny)
                {
                    out.push_str(&diagnostic(
                        format!(
                            "`{}` on `{}` is explicitly denied by {}",
                            q.action,
                            q.resource,
                            statement_label(m)
                        ),
                        m,
                        format!(
                            "profile `{}` needs it to {}; an explicit deny overrides every allow{}",
                            r.id,
                            q.reason,
                            q.blocked
                                .as_ref()
                                .map(|b| format!(" ({})", b.detail))
                                .unwrap_or_default()
                        ),
                    ));
                }
            }
        }
        if let Some(tr) = &r.trust {
            for (m, detail) in tr.open_statements.iter().zip(&tr.open_detail) {
                out.push_str(&diagnostic(
                    detail.clone(),
                    m,
                    format!(
                        "profile `{}` needs only `{}` to assume the role: name it as the principal, or pin the caller with `aws:PrincipalAccount`, `aws:PrincipalOrgID` or `aws:SourceAccount`/`aws:SourceArn` set to your own values",
                        r.id, tr.principal
                    ),
                ));
            }
        }
        if let Some(tr) = &r.trust
            && tr.decision == Decision::ExplicitDeny
        {
            for m in tr
                .matched
                .iter()
                .filter(|m| m.effect == crate::model::Effect::Deny)
            {
                out.push_str(&diagnostic(
                    format!(
                        "`{}` may not call `{}` on `{}`: explicitly denied by {}",
                        tr.principal,
                        tr.action,
                        tr.resource,
                        statement_label(m)
                    ),
                    m,
                    "an explicit deny in the trust policy overrides every allow".to_string(),
                ));
            }
        }
    }
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

/// A diagnostic pointing at a statement, rendered without colour.
#[derive(Debug)]
struct StatementDiagnostic {
    message: String,
    help: String,
    source: Option<miette::NamedSource<String>>,
    span: crate::source::Span,
    label: &'static str,
}

impl std::fmt::Display for StatementDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StatementDiagnostic {}

impl Diagnostic for StatementDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("greenlight::explicit-deny"))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.label.into()), self.span),
        )))
    }
}

fn diagnostic(message: String, m: &MatchedStatement, help: String) -> String {
    let label = if m.effect == crate::model::Effect::Deny {
        "this statement denies it"
    } else {
        "this statement allows it"
    };
    let d = StatementDiagnostic {
        message,
        help,
        // a minified document's line is too long to show (see `report::snippet_fits`)
        source: crate::report::snippet_fits(&m.source.text, &[m.effect_span])
            .then(|| m.source.named_source()),
        span: m.effect_span,
        label,
    };
    let mut s = String::new();
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    if handler.render_report(&mut s, &d).is_err() {
        s = format!("{d}\n");
    }
    s.push('\n');
    s
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
