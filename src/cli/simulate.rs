//! `greenlight simulate`: evaluate a matrix of actions × resources against policies, like the
//! IAM policy simulator, with the statements that decided each request.

use std::path::{Path, PathBuf};

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use miette::{IntoDiagnostic, miette};
use serde::Serialize;

use super::Outcome;
use crate::eval::{
    CompiledPolicySet, Context, Decision, PolicySet, Principal, Request, Verdict, evaluate,
};
use crate::model::Policy;
use crate::parse::parse_policy;
use crate::source::Source;

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("policies").required(true).multiple(true)
    .args(["policy", "resource_policy", "trust_policy", "principal", "boundary", "scp", "rcp"])))]
pub struct Args {
    /// Identity-based policy file (repeatable; their allows are a union)
    #[arg(long = "policy", value_name = "FILE")]
    pub policy: Vec<PathBuf>,
    /// Permissions boundary of the caller
    #[arg(long, value_name = "FILE")]
    pub boundary: Option<PathBuf>,
    /// Service control policy of the caller's account (repeatable; all at one level, one must
    /// allow)
    #[arg(long = "scp", value_name = "FILE")]
    pub scp: Vec<PathBuf>,
    /// Resource control policy of the resource owner's account (repeatable; a `Deny` in any
    /// of them denies the requests RCPs restrict: actions of the services that support RCPs,
    /// except `kms:RetireGrant` and calls by service-linked roles; `RCPFullAWSAccess` is
    /// taken as attached)
    #[arg(long = "rcp", value_name = "FILE")]
    pub rcp: Vec<PathBuf>,
    /// Resource-based policy of the requested resource
    #[arg(
        long = "resource-policy",
        value_name = "FILE",
        conflicts_with = "trust_policy"
    )]
    pub resource_policy: Option<PathBuf>,
    /// Role trust policy: a resource-based policy whose resource is the role, which must
    /// allow the caller explicitly
    #[arg(long = "trust-policy", value_name = "FILE")]
    pub trust_policy: Option<PathBuf>,
    /// The caller: an IAM ARN (user, role, assumed-role session, root), an account ID, or a
    /// service principal such as `codedeploy.amazonaws.com`
    #[arg(long, value_name = "ARN")]
    pub principal: Option<String>,
    /// Action to evaluate, such as `ecs:UpdateService` (repeatable)
    #[arg(long = "action", value_name = "ACTION", required = true)]
    pub action: Vec<String>,
    /// Resource ARN (repeatable; default `*`)
    #[arg(long = "resource", value_name = "ARN")]
    pub resource: Vec<String>,
    /// The account that owns the resources (default: the ARN's account, else the caller's)
    #[arg(long = "resource-account", value_name = "ID")]
    pub resource_account: Option<String>,
    #[command(flatten)]
    pub context: super::context::ContextArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 unless every decision is this
    #[arg(long, value_enum)]
    pub expect: Option<Expect>,
    /// Fill aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username,
    /// aws:PrincipalIsAWSService and aws:PrincipalServiceName from --principal (never
    /// overriding a given value)
    #[arg(long = "infer-context")]
    pub infer_context: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    Allowed,
    Denied,
}

/// Validated configuration: everything read and compiled before any request is evaluated.
struct Config {
    set: CompiledPolicySet,
    principal: Option<Principal>,
    actions: Vec<String>,
    resources: Vec<String>,
    resource_account: Option<String>,
    context: Context,
}

pub fn run(args: Args) -> miette::Result<Outcome> {
    let cfg = configure(&args)?;
    let mut rows = Vec::with_capacity(cfg.actions.len() * cfg.resources.len());
    for action in &cfg.actions {
        for resource in &cfg.resources {
            let req = Request {
                action: action.clone(),
                resource: resource.clone(),
                principal: cfg.principal.clone(),
                resource_account: cfg.resource_account.clone(),
                context: cfg.context.clone(),
            };
            let d = evaluate(&cfg.set, &req).map_err(|e| {
                miette::Report::new(e)
                    .wrap_err(format!("cannot evaluate `{action}` on `{resource}`"))
            })?;
            rows.push((action.as_str(), resource.as_str(), d));
        }
    }
    let assumed = assumed_resource_account(&cfg);
    for (resource, account) in &assumed {
        eprintln!(
            "note: `{resource}` has no account field: the resource is taken to be in the caller's account {account}; if the resource policy belongs to another account, give --resource-account ID (a cross-account request needs an allow in both the resource policy and the caller's identity policies)"
        );
    }
    let out = match args.format {
        Format::Json => render_json(&rows, &assumed)?,
        Format::Text => render_text(&rows),
    };
    print_out(&out);
    let differs = match args.expect {
        None => false,
        Some(Expect::Allowed) => rows.iter().any(|r| r.2.decision != Verdict::Allowed),
        Some(Expect::Denied) => rows.iter().any(|r| r.2.decision == Verdict::Allowed),
    };
    Ok(if differs {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Resources whose owning account the evaluator had to assume, with the account assumed: a
/// resource-based (not trust) policy is given, `--resource-account` is not, the ARN has no
/// account field (S3 buckets and objects) and the caller is an IAM principal. The engine then
/// takes the resource to be in the caller's account (same-account evaluation), which decides
/// whether the resource policy alone can allow (IAM cross-account policy evaluation logic).
fn assumed_resource_account(cfg: &Config) -> Vec<(String, String)> {
    let resource_policy = cfg
        .set
        .resource_policy
        .as_ref()
        .is_some_and(|p| p.policy_type == crate::eval::PolicyType::Resource);
    let caller = cfg.principal.as_ref().and_then(Principal::account);
    let (true, None, Some(caller)) = (resource_policy, &cfg.resource_account, caller) else {
        return Vec::new();
    };
    cfg.resources
        .iter()
        .filter(|r| crate::eval::arn_account(r).is_none_or(str::is_empty))
        .map(|r| (r.clone(), caller.to_string()))
        .collect()
}

/// Writes to stdout; a closed pipe is not an error.
pub(crate) fn print_out(s: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(s.as_bytes());
    let _ = stdout.flush();
}

fn configure(args: &Args) -> miette::Result<Config> {
    let identity = args
        .policy
        .iter()
        .map(|p| load_policy(p))
        .collect::<miette::Result<Vec<_>>>()?;
    let boundary = args.boundary.as_deref().map(load_policy).transpose()?;
    let scps = args
        .scp
        .iter()
        .map(|p| load_policy(p))
        .collect::<miette::Result<Vec<_>>>()?;
    let rcps = args
        .rcp
        .iter()
        .map(|p| load_policy(p))
        .collect::<miette::Result<Vec<_>>>()?;
    let (resource_policy, is_trust) = match (&args.resource_policy, &args.trust_policy) {
        (Some(p), _) => (Some(load_policy(p)?), false),
        (None, Some(p)) => (Some(load_policy(p)?), true),
        (None, None) => (None, false),
    };
    let set = PolicySet {
        identity,
        boundary,
        scps,
        rcps,
        resource_policy,
        resource_policy_is_trust: is_trust,
    }
    .compile()
    .map_err(miette::Report::new)?;

    let principal = args
        .principal
        .as_deref()
        .map(|p| {
            Principal::parse(p).map_err(|m| {
                miette!(
                    help = "e.g. arn:aws:iam::111122223333:role/deploy, 111122223333, codedeploy.amazonaws.com (prefix service:, federated: or canonical: to force a kind)",
                    "invalid --principal: {m}"
                )
            })
        })
        .transpose()?;
    if let Some(a) = &args.resource_account {
        if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
            return Err(miette!(
                "invalid --resource-account: `{a}` is not a 12-digit account ID"
            ));
        }
    }
    for a in &args.action {
        let ok = a.matches(':').count() == 1
            && !a.starts_with(':')
            && !a.ends_with(':')
            && !a.contains(['*', '?'])
            && !a.contains(char::is_whitespace);
        if !ok {
            return Err(miette!(
                help =
                    "give concrete actions such as `ecs:UpdateService`; wildcards are not requests",
                "invalid --action: `{a}` is not an action name"
            ));
        }
    }
    let resources = if args.resource.is_empty() {
        vec!["*".to_string()]
    } else {
        for r in &args.resource {
            if r.is_empty() {
                return Err(miette!("invalid --resource: the resource is empty"));
            }
        }
        args.resource.clone()
    };

    let mut context = args.context.parse()?;
    if args.infer_context {
        let Some(p) = &principal else {
            return Err(miette!(
                help = "give --principal, or leave out --infer-context",
                "--infer-context needs --principal"
            ));
        };
        infer_context(p, &mut context);
    }
    Ok(Config {
        set,
        principal,
        actions: args.action.clone(),
        resources,
        resource_account: args.resource_account.clone(),
        context,
    })
}

pub(crate) fn load_policy(path: &Path) -> miette::Result<Policy> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .into_diagnostic()
        .map_err(|e| e.wrap_err(format!("cannot read `{name}`")))?;
    let source = Source::from_bytes(name, bytes).map_err(miette::Report::new)?;
    parse_policy(&source).map_err(miette::Report::new)
}

pub use crate::eval::infer_context;

#[derive(Serialize)]
struct JsonOut<'a> {
    results: Vec<JsonResult<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonResult<'a> {
    action: &'a str,
    resource: &'a str,
    decision: &'static str,
    matched_statements: Vec<JsonStatement<'a>>,
    missing_context_values: &'a [String],
    /// The account the resource was taken to be in when its ARN has none (see
    /// `assumed_resource_account`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    assumed_resource_account: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonStatement<'a> {
    policy: &'a str,
    sid: Option<&'a str>,
    index: usize,
    line: u32,
}

fn render_json(
    rows: &[(&str, &str, Decision)],
    assumed: &[(String, String)],
) -> miette::Result<String> {
    let out = JsonOut {
        results: rows
            .iter()
            .map(|(action, resource, d)| JsonResult {
                assumed_resource_account: assumed
                    .iter()
                    .find(|(r, _)| r == resource)
                    .map(|(_, a)| a.as_str()),
                action,
                resource,
                decision: d.decision.as_str(),
                matched_statements: d
                    .matched
                    .iter()
                    .map(|m| JsonStatement {
                        policy: &m.policy,
                        sid: m.sid.as_deref(),
                        index: m.index,
                        line: m.line,
                    })
                    .collect(),
                missing_context_values: &d.missing_context_keys,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&out).into_diagnostic()?;
    s.push('\n');
    Ok(s)
}

fn render_text(rows: &[(&str, &str, Decision)]) -> String {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            "Action",
            "Resource",
            "Decision",
            "Deciding statements",
            "Missing context",
        ]);
    for (action, resource, d) in rows {
        let deciding = if d.matched.is_empty() {
            d.implicit_deny_reason
                .map(|r| r.as_str().to_string())
                .unwrap_or_default()
        } else {
            d.matched
                .iter()
                .map(|m| {
                    let id = match m.sid.as_deref() {
                        Some(s) if !s.is_empty() => format!("Sid {s}"),
                        _ => format!("statement #{}", m.index),
                    };
                    format!("{}:{} {} ({})", m.policy, m.line, id, m.effect.as_str())
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        table.add_row(vec![
            action.to_string(),
            resource.to_string(),
            d.decision.as_str().to_string(),
            deciding,
            d.missing_context_keys.join("\n"),
        ]);
    }
    format!("{table}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_only_what_follows_from_the_principal() {
        let mut c = Context::new();
        let p = Principal::parse("arn:aws:sts::111122223333:assumed-role/deploy/s1").unwrap();
        infer_context(&p, &mut c);
        assert_eq!(
            c.get("aws:PrincipalArn").unwrap(),
            ["arn:aws:iam::111122223333:role/deploy"]
        );
        assert_eq!(c.get("aws:PrincipalType").unwrap(), ["AssumedRole"]);
        assert_eq!(c.get("aws:PrincipalAccount").unwrap(), ["111122223333"]);
        assert!(c.get("aws:username").is_none());
        let mut s = Context::new().with("aws:PrincipalServiceName", "given");
        infer_context(
            &Principal::parse("codedeploy.amazonaws.com").unwrap(),
            &mut s,
        );
        assert_eq!(s.get("aws:PrincipalIsAWSService").unwrap(), ["true"]);
        assert_eq!(s.get("aws:PrincipalServiceName").unwrap(), ["given"]);
        let mut u = Context::new();
        infer_context(
            &Principal::parse("arn:aws:iam::111122223333:user/team/alice").unwrap(),
            &mut u,
        );
        assert_eq!(u.get("aws:username").unwrap(), ["alice"]);
        assert_eq!(u.get("aws:PrincipalType").unwrap(), ["User"]);
    }
}
