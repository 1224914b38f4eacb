//! `verify` over templates, plans and directories: every unit found ([`super::units`]: a
//! principal's identity policies with its boundary, a trust policy, a resource policy, a
//! policy attached to no principal, a plain policy file) is verified on its own, and the
//! verdicts are merged per assertion. `notGranted` applies to identity, resource and trust
//! units (and to every plain policy file whose role `--policy-type` forces);
//! `noPublicAccess` and `onlyAccounts` to resource and trust units.
//!
//! JSON: the shape of `verify FILE...`; each counterexample and `unknown` entry adds `path`,
//! `document` and `policyType` (as `diff` does), each assertion adds `checked` (how many
//! units it applied to), and `documents` lists every unit verified.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use miette::miette;
use serde_json::{Value, json};

use super::Outcome;
use super::diff::{example_json, example_lines, statement_json, unknown_json};
use super::units::{FileUnits, Unit, kind_str};
use super::verify::{Args, FormatArg};
use crate::analysis::{self, AssertionKind, Counterexample, Kind, Unknown, VerifyOptions};
use crate::report::note::{Level, Note, Place};

/// A unit and the file it is in.
struct Found {
    path: String,
    unit: Unit,
}

impl Found {
    fn name(&self) -> String {
        self.unit.name(&self.path)
    }
}

/// One assertion's verdict over every unit.
struct Merged {
    kind: AssertionKind,
    holds: Option<bool>,
    counterexamples: Vec<(usize, Counterexample)>,
    unknown: Vec<(usize, Unknown)>,
    reasons: Vec<String>,
    checked: usize,
}

fn collect(args: &Args, forced: Option<Kind>) -> miette::Result<(Vec<Found>, usize)> {
    let inputs = args.template.inputs(args.region.as_deref(), false)?;
    let walk_opts = crate::discover::WalkOptions {
        no_ignore: args.no_ignore,
        exclude: Vec::new(),
    };
    let mut found = Vec::new();
    let mut skipped = 0usize;
    // module folders read (with the selector given)
    let mut seen = std::collections::BTreeSet::new();
    for p in &args.files {
        let arg = p.display().to_string();
        let (file, sel) = super::units::split_selector(&arg);
        let fp = Path::new(file);
        let files: Vec<(PathBuf, bool)> = if fp.is_dir() {
            match crate::iac::cdk_templates(fp) {
                Some(t) => t.into_iter().map(|t| (t, true)).collect(),
                None => {
                    let mut v = Vec::new();
                    for w in crate::discover::walk(fp, &walk_opts) {
                        match w {
                            crate::discover::Walked::Candidate(c) => v.push((c, false)),
                            crate::discover::Walked::Skipped(..) => skipped += 1,
                            crate::discover::Walked::Error(path, e) => {
                                return Err(miette!("cannot read `{path}`: {e}"));
                            }
                        }
                    }
                    v
                }
            }
        } else {
            vec![(fp.to_path_buf(), true)]
        };
        // `.tf` files are read as the module of their folder, once per folder
        let (tf, files): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|(f, _)| crate::iac::is_terraform_config(f));
        let mut folders: Vec<PathBuf> = Vec::new();
        for (f, _) in tf {
            // a bare `main.tf` is read as itself, so that its siblings are named bare too
            let (key, folder) = match f.parent() {
                _ if f.is_dir() => (f.clone(), f),
                Some(p) if !p.as_os_str().is_empty() => (p.to_path_buf(), p.to_path_buf()),
                _ => (PathBuf::from("."), f),
            };
            if seen.insert((key, sel.map(str::to_string))) {
                folders.push(folder);
            }
        }
        // the files a module reads as policies are verified as part of it, not again on
        // their own when a walk finds them (a template's `${...}` is no policy text)
        let mut read_by_modules: Vec<String> = Vec::new();
        for folder in folders {
            let name = folder.display().to_string();
            let m = super::units::load_module(&folder, None, &inputs)?;
            read_by_modules.extend(super::units::read_as_documents(&m));
            let units = super::units::module_units(&name, &m, true)?;
            match sel {
                Some(s) => {
                    let all: Vec<Unit> = units.iter().map(|(_, u)| u.clone()).collect();
                    let unit = super::units::select(file, all, s)?;
                    let path = super::units::defining_file(&name, &m, &unit);
                    found.push(Found { path, unit });
                }
                None => found.extend(units.into_iter().map(|(path, unit)| Found { path, unit })),
            }
        }
        for (f, explicit) in files {
            let name = f.display().to_string();
            if !explicit
                && read_by_modules.contains(&crate::iac::terraform::hcl::modules::normalize(&name))
            {
                skipped += 1;
                continue;
            }
            match super::units::of_path(&f, forced, &inputs, explicit)? {
                FileUnits::Units(units) => match sel {
                    Some(s) => found.push(Found {
                        unit: super::units::select(&name, units, s)?,
                        path: name,
                    }),
                    None => found.extend(units.into_iter().map(|unit| Found {
                        path: name.clone(),
                        unit,
                    })),
                },
                FileUnits::Skip(_) => skipped += 1,
                FileUnits::Unread(why) => {
                    return Err(miette!(
                        help = "leave it out of the walk (`.gitignore`, `.ignore`) or name the files to verify",
                        "`{name}` is {why}, so nothing can be proved about it"
                    ));
                }
            }
        }
    }
    // an organization policy attached without its content only restricts: no assertion is
    // about it (`diff` names the targets it leaves)
    found.retain(|f| !f.unit.content_unknown);
    if found.is_empty() {
        return Err(miette!(
            help = "greenlight reads IAM policy documents, CloudFormation, SAM and CDK templates, Terraform plans and `.tf` modules",
            "no policy to verify in the inputs ({skipped} files skipped)"
        ));
    }
    Ok((found, skipped))
}

/// A text of an `Allow` statement of a template unit that holds a placeholder where it can
/// turn a "holds" into a wrong answer. A placeholder matches only itself, so an `Allow` that
/// names one grants less in the analysis than the real value may: a `Resource` when the
/// assertion is about given resources (`--on`), a principal or condition value when it is
/// about callers; or a `Deny`'s `NotAction`/`NotResource`/`NotPrincipal`, which then denies
/// more than the real value may. (The template's own account stands for a named account, so
/// it cannot make a grant public.) Other placeholders only make the analysis grant more.
/// Whether a policy set names the account stand-in (a template read without `--account`) as
/// the account of a principal or in a condition value.
fn standin_account_in(set: &crate::eval::PolicySet) -> bool {
    use crate::iac::cfn::resolve::UNKNOWN_ACCOUNT;
    use crate::model::PrincipalValue;
    crate::analysis::diff::set_policies(set).iter().any(|p| {
        p.statements.iter().any(|st| {
            st.principal.as_ref().is_some_and(|b| match &b.value {
                PrincipalValue::Map(entries) => entries
                    .iter()
                    .any(|e| e.values.iter().any(|v| v.value.contains(UNKNOWN_ACCOUNT))),
                _ => false,
            }) || st
                .conditions
                .iter()
                .any(|c| c.values.iter().any(|v| v.text.contains(UNKNOWN_ACCOUNT)))
        })
    })
}

/// The texts of a statement's `NotAction`, `NotResource` and `NotPrincipal`, and the values of
/// its conditions under a negated operator (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`,
/// ...) or `Null`: in a `Deny`, a placeholder there denies all but itself, more than the real
/// value may (red team 26: "deny everyone except these principals" with the list from a
/// variable). `exact`: also under the exact negated operators (`StringNotEquals`,
/// `ArnNotEquals`, ...); without it only where the value may be a pattern (`StringNotLike`,
/// `ArnNotLike`, `NotIpAddress`) or `Null`: "deny all but one VPC endpoint" keeps the caller
/// to one fixed value whatever the value (red team 27), so it decides `--no-public-access`.
pub(super) fn negated_texts(st: &crate::model::Statement, exact: bool) -> Vec<&str> {
    use crate::model::{OpBase, PrincipalValue};
    let mut texts: Vec<&str> = Vec::new();
    for c in &st.conditions {
        let pattern = matches!(
            c.op.base,
            OpBase::StringNotLike | OpBase::NotIpAddress | OpBase::ArnNotLike | OpBase::Null
        );
        let fixed = matches!(
            c.op.base,
            OpBase::StringNotEquals
                | OpBase::StringNotEqualsIgnoreCase
                | OpBase::NumericNotEquals
                | OpBase::DateNotEquals
                | OpBase::ArnNotEquals
        );
        if pattern || (exact && fixed) {
            texts.extend(c.values.iter().map(|v| v.text.as_str()));
        }
    }
    if st.action.negated {
        texts.extend(st.action.items.iter().map(|a| a.text.as_str()));
    }
    if let Some(r) = st.resource.as_ref().filter(|r| r.negated) {
        texts.extend(r.items.iter().map(|i| i.value.as_str()));
    }
    if let Some(b) = st.principal.as_ref().filter(|b| b.negated)
        && let PrincipalValue::Map(entries) = &b.value
    {
        for e in entries {
            texts.extend(e.values.iter().map(|v| v.value.as_str()));
        }
    }
    texts
}

fn placeholder_in_allow(u: &Unit, kind: AssertionKind, on: bool) -> Option<String> {
    use crate::iac::cfn::resolve::{UNKNOWN_ACCOUNT, UNKNOWN_REGION};
    use crate::model::{Effect, PrincipalValue};
    u.document.as_ref()?;
    // A placeholder confined to the name of an IAM or STS ARN whose account is written (a
    // role the template makes: `!GetAtt Role.Arn`) names a principal of that account whatever
    // the name: it cannot open access to another account or to everyone
    // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles>;
    // red team 25: the common bucket policy granting the template's own role was unknown).
    let named_in_account = |t: &str| {
        let f: Vec<&str> = t.splitn(6, ':').collect();
        kind != AssertionKind::NotGranted
            && f.len() == 6
            && f[0] == "arn"
            && matches!(f[2], "iam" | "sts")
            && !f[1].contains("UNKNOWN-")
            && f[3].is_empty()
            && f[4].len() == 12
            && f[4].bytes().all(|b| b.is_ascii_digit())
            && !f[5].contains('*')
            && !f[5].contains('?')
            // a user, role or session of the account, its type written (an identity
            // provider's users come from outside: red team 26)
            && ["role/", "user/", "assumed-role/", "federated-user/"]
                .iter()
                .any(|k| f[5].starts_with(k))
            && !f[5].split('/').next().unwrap_or("").contains("UNKNOWN-")
    };
    let hit = |t: &str| {
        (t.contains("UNKNOWN-") && !named_in_account(t))
            || (kind != AssertionKind::NoPublicAccess
                && (t.contains(UNKNOWN_ACCOUNT) || t.contains(UNKNOWN_REGION)))
    };
    for p in crate::analysis::diff::set_policies(&u.set) {
        // a `Deny` with a placeholder in `NotAction`, `NotResource` or `NotPrincipal` denies
        // everything but the placeholder: more than the real value may
        for st in p
            .statements
            .iter()
            .filter(|st| st.effect.value == Effect::Deny)
        {
            let exact = kind == AssertionKind::OnlyAccounts;
            if let Some(t) = negated_texts(st, exact).into_iter().find(|t| hit(t)) {
                return Some(t.to_string());
            }
        }
        for st in p
            .statements
            .iter()
            .filter(|st| st.effect.value == Effect::Allow)
        {
            // an `Allow` to service principals alone opens nothing to another account or to
            // everyone whatever its conditions and actions hold (red team 38: the CloudFront
            // OAC bucket policy with the template's distribution in `aws:SourceArn`)
            if kind != AssertionKind::NotGranted
                && let Some(b) = st.principal.as_ref().filter(|b| !b.negated)
                && let PrincipalValue::Map(entries) = &b.value
                && !entries.is_empty()
                && entries.iter().all(|e| {
                    e.kind == crate::model::PrincipalKind::Service
                        && e.values.iter().all(|v| !hit(&v.value))
                })
            {
                continue;
            }
            let mut texts: Vec<&str> = Vec::new();
            // an action that holds a placeholder may be any action (red team 25)
            if !st.action.negated {
                texts.extend(st.action.items.iter().map(|a| a.text.as_str()));
            }
            match kind {
                AssertionKind::NotGranted => {
                    if let Some(r) = st.resource.as_ref().filter(|r| on && !r.negated) {
                        texts.extend(r.items.iter().map(|i| i.value.as_str()));
                    }
                }
                AssertionKind::NoPublicAccess | AssertionKind::OnlyAccounts => {
                    if let Some(b) = st.principal.as_ref().filter(|b| !b.negated)
                        && let PrincipalValue::Map(entries) = &b.value
                    {
                        for e in entries {
                            texts.extend(e.values.iter().map(|v| v.value.as_str()));
                        }
                    }
                    for c in &st.conditions {
                        texts.extend(c.values.iter().map(|v| v.text.as_str()));
                    }
                }
            }
            if let Some(t) = texts.into_iter().find(|t| hit(t)) {
                return Some(t.to_string());
            }
        }
    }
    None
}

/// Whether an assertion applies to a unit of this kind.
/// `granting`: some input is an identity, resource or trust policy. SCPs and RCPs grant
/// nothing, so beside such inputs "not granted" is their question, not the SCPs'; when they
/// are all the inputs hold, they are verified as `--policy-type scp`/`rcp` verifies them
/// (beside `FullAWSAccess`: "not granted" holds where they deny). Otherwise a deny-list SCP
/// next to a role that grants nothing asked made the assertion fail.
fn applies(a: AssertionKind, k: Kind, forced: bool, granting: bool) -> bool {
    match a {
        AssertionKind::NotGranted => {
            forced
                || matches!(k, Kind::Identity | Kind::Resource | Kind::Trust)
                || (!granting && matches!(k, Kind::Scp | Kind::Rcp))
        }
        AssertionKind::NoPublicAccess | AssertionKind::OnlyAccounts => {
            matches!(k, Kind::Resource | Kind::Trust)
        }
    }
}

pub fn run(args: &Args) -> miette::Result<Outcome> {
    let forced = if args.policy_type.is_some() || args.resource_type.is_some() {
        Some(super::verify::kind_of(args)?)
    } else {
        None
    };
    let (found, _skipped) = collect(args, forced)?;
    let mut wanted = Vec::new();
    if !args.not_granted.is_empty() {
        wanted.push(AssertionKind::NotGranted);
    }
    if args.no_public_access {
        wanted.push(AssertionKind::NoPublicAccess);
    }
    if !args.only_accounts.is_empty() {
        wanted.push(AssertionKind::OnlyAccounts);
    }
    let granting = found
        .iter()
        .any(|f| matches!(f.unit.kind, Kind::Identity | Kind::Resource | Kind::Trust));
    let per_unit = crate::par::map(&found, |f| {
        let k = f.unit.kind;
        let o = VerifyOptions {
            kind: k,
            not_granted: if applies(AssertionKind::NotGranted, k, forced.is_some(), granting) {
                args.not_granted.clone()
            } else {
                Vec::new()
            },
            on: args.on.clone(),
            no_public_access: args.no_public_access
                && applies(AssertionKind::NoPublicAccess, k, false, granting),
            only_accounts: if applies(AssertionKind::OnlyAccounts, k, false, granting) {
                args.only_accounts.clone()
            } else {
                Vec::new()
            },
            max_counterexamples: args.max_counterexamples,
        };
        let mut r = analysis::verify_sets(std::slice::from_ref(&f.unit.set), &o);
        // a policy that cannot be evaluated because a template's value is not known (an
        // `Action` list built from a variable given: `UNKNOWN-concat-...` is no action) is
        // unknown for each assertion, with the reason, not an error that hides the other
        // documents' verdicts (red team 72)
        if let Err(e) = &r
            && e.from_placeholder()
        {
            let reason = e.to_string();
            r = Ok([
                (!o.not_granted.is_empty(), AssertionKind::NotGranted),
                (o.no_public_access, AssertionKind::NoPublicAccess),
                (!o.only_accounts.is_empty(), AssertionKind::OnlyAccounts),
            ]
            .into_iter()
            .filter(|(wanted, _)| *wanted)
            .map(|(_, kind)| analysis::Assertion {
                kind,
                holds: None,
                counterexamples: Vec::new(),
                reason: Some(reason.clone()),
                unknown: vec![Unknown {
                    reason: reason.clone(),
                    statements: Vec::new(),
                }],
            })
            .collect());
        }
        // a failure that the `Deny` of a policy a name not known may attach would prevent is
        // not decided: asked again with those `Deny`s, a failure still found is one (a request
        // allowed beside more `Deny`s is allowed without them), else it is `unknown`
        if !f.unit.maybe_denies.is_empty()
            && let Ok(list) = &mut r
            && list.iter().any(|a| a.holds == Some(false))
        {
            let mut with = f.unit.set.clone();
            with.identity.extend(f.unit.maybe_denies.iter().cloned());
            let again = analysis::verify_sets(std::slice::from_ref(&with), &o);
            for a in list.iter_mut().filter(|a| a.holds == Some(false)) {
                match again
                    .as_ref()
                    .ok()
                    .and_then(|l| l.iter().find(|b| b.kind == a.kind))
                {
                    Some(b) if b.holds == Some(false) => {
                        a.counterexamples = b.counterexamples.clone();
                    }
                    _ => {
                        let reason = format!(
                            "the requests that break it are denied by {}, which the template attaches to a name not known offline that may be this principal's",
                            f.unit
                                .maybe_denies
                                .iter()
                                .map(|p| format!("`{}`", p.source.name))
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                        a.holds = None;
                        a.counterexamples.clear();
                        a.reason = Some(reason.clone());
                        a.unknown.push(Unknown {
                            reason,
                            statements: Vec::new(),
                        });
                    }
                }
            }
        }
        // `--only-accounts` without `--account`: the template's own account is the stand-in,
        // which may be one of those listed. A failure that only callers of that account cause
        // (the assertion holds once it is listed) is not decided (red team 25, 26)
        if !o.only_accounts.is_empty()
            && standin_account_in(&f.unit.set)
            && let Ok(list) = &mut r
            && let Some(a) = list
                .iter_mut()
                .find(|a| a.kind == AssertionKind::OnlyAccounts && a.holds == Some(false))
        {
            let mut o2 = o.clone();
            o2.not_granted = Vec::new();
            o2.no_public_access = false;
            o2.only_accounts
                .push(crate::iac::cfn::resolve::UNKNOWN_ACCOUNT.to_string());
            let with_own = analysis::verify_sets(std::slice::from_ref(&f.unit.set), &o2);
            if let Ok(l2) = with_own
                && l2
                    .iter()
                    .any(|b| b.kind == AssertionKind::OnlyAccounts && b.holds == Some(true))
            {
                let reason = "the only callers it lets in outside the accounts listed are in the template's own account, which is not given (pass --account)".to_string();
                a.counterexamples.clear();
                a.holds = None;
                a.reason = Some(reason.clone());
                a.unknown.push(Unknown {
                    reason,
                    statements: Vec::new(),
                });
            }
        }
        r
    });
    let mut merged: Vec<Merged> = wanted
        .iter()
        .map(|&kind| Merged {
            kind,
            holds: Some(true),
            counterexamples: Vec::new(),
            unknown: Vec::new(),
            reasons: Vec::new(),
            checked: 0,
        })
        .collect();
    for (i, (f, r)) in found.iter().zip(per_unit).enumerate() {
        let list = r.map_err(|e| miette!("`{}`: {e}", f.name()))?;
        for mut a in list {
            if let Some((why, _)) = &f.unit.unread {
                a.holds = None;
                a.counterexamples.clear();
                a.reason = Some(why.clone());
                a.unknown = vec![Unknown {
                    reason: why.clone(),
                    statements: Vec::new(),
                }];
            }
            // a managed policy attached by an ARN whose policy is not known offline (a
            // customer managed policy not in the inputs, an ARN known only after apply) may
            // grant what is asserted: a proof without it is no proof
            if a.holds == Some(true)
                && a.kind == AssertionKind::NotGranted
                // (a boundary not known only restricts what holds already: red team 46)
                && f
                    .unit
                    .unresolved
                    .iter()
                    .any(|u| {
                        !crate::iac::cfn::is_boundary_mark(u) && !f.unit.restricting.contains(u)
                    })
            {
                let reason = format!(
                    "policies attached to it are not known offline: {}",
                    f.unit
                        .unresolved
                        .iter()
                        .filter(|u| {
                            !crate::iac::cfn::is_boundary_mark(u) && !f.unit.restricting.contains(u)
                        })
                        .map(|a| crate::iac::cfn::describe_unknown(a))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                a.holds = None;
                a.reason = Some(reason.clone());
                a.unknown.push(Unknown {
                    reason,
                    statements: Vec::new(),
                });
            }
            if a.holds == Some(true)
                && let Some(t) = placeholder_in_allow(&f.unit, a.kind, !args.on.is_empty())
            {
                let reason = format!(
                    "`{t}` holds a value the template does not give (its placeholder matches only itself, so the answer depends on the real value; the notes above name it: pass --account, --region or --template-param)"
                );
                a.holds = None;
                a.reason = Some(reason.clone());
                a.unknown.push(Unknown {
                    reason,
                    statements: Vec::new(),
                });
            }
            let Some(m) = merged.iter_mut().find(|m| m.kind == a.kind) else {
                continue;
            };
            m.checked += 1;
            // a counterexample in any document decides the assertion, whatever another
            // document leaves undecided
            m.holds = match (m.holds, a.holds) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (None, _) | (_, None) => None,
                (Some(true), Some(true)) => Some(true),
            };
            if a.holds.is_none()
                && let Some(r) = &a.reason
            {
                m.reasons.push(format!("`{}`: {r}", f.name()));
            }
            m.counterexamples
                .extend(a.counterexamples.into_iter().map(|c| (i, c)));
            if a.holds.is_none() {
                m.unknown.extend(a.unknown.into_iter().map(|u| (i, u)));
            }
        }
    }
    // nothing checked proves nothing: unknown (exit 2), never "holds"
    for m in &mut merged {
        if m.checked == 0 {
            m.holds = None;
            m.reasons.push(match m.kind {
                AssertionKind::NotGranted => {
                    "no identity, resource or trust policy or SCP among the inputs (pass --policy-type to verify them as one)".into()
                }
                _ => "no resource or trust policy among the inputs (pass --policy-type or --resource-type to verify them as one)".into(),
            });
        }
    }
    let out = match args.format {
        FormatArg::Json => {
            let mut s = serde_json::to_string_pretty(&to_json(&merged, &found)).unwrap_or_default();
            s.push('\n');
            s
        }
        FormatArg::Text => text(&merged, &found),
        FormatArg::Sarif => crate::report::sarif::render(
            &notes(&merged, &found),
            crate::report::sarif::simple_rules(super::verify::RULES),
        ),
        FormatArg::Github => crate::report::github::render(&notes(&merged, &found)),
        FormatArg::Junit => crate::report::junit::per_note(&notes(&merged, &found), "verify"),
    };
    super::simulate::print_out(&out);
    if merged.iter().any(|m| m.holds.is_none()) {
        return Err(miette!(
            help = "the reasons are listed above",
            "an assertion could not be decided"
        ));
    }
    Ok(if merged.iter().all(|m| m.holds == Some(true)) {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn located(mut v: Value, f: &Found) -> Value {
    v["path"] = json!(f.path);
    v["document"] = json!(f.unit.document);
    v["policyType"] = json!(kind_str(f.unit.kind));
    v
}

fn to_json(merged: &[Merged], found: &[Found]) -> Value {
    json!({
        "assertions": merged.iter().map(|m| {
            let ces: Vec<Value> = m.counterexamples.iter().map(|(i, c)| {
                let mut v = example_json(&c.example);
                v["statements"] = json!(c.statements.iter().map(statement_json).collect::<Vec<_>>());
                located(v, &found[*i])
            }).collect();
            json!({
                "kind": m.kind.as_str(),
                "holds": m.holds,
                "counterexamples": ces,
                "reason": (!m.reasons.is_empty()).then(|| m.reasons.join("; ")),
                "unknown": m.unknown.iter().map(|(i, u)| located(unknown_json(u, None), &found[*i])).collect::<Vec<_>>(),
                "checked": m.checked,
            })
        }).collect::<Vec<_>>(),
        "documents": found.iter().map(|f| json!({
            "path": f.path,
            "document": f.unit.document,
            "policyType": kind_str(f.unit.kind),
        })).collect::<Vec<_>>(),
    })
}

fn code(k: AssertionKind) -> &'static str {
    match k {
        AssertionKind::NotGranted => "verify/notGranted",
        AssertionKind::NoPublicAccess => "verify/noPublicAccess",
        AssertionKind::OnlyAccounts => "verify/onlyAccounts",
    }
}

fn notes(merged: &[Merged], found: &[Found]) -> Vec<Note> {
    let mut out = Vec::new();
    for m in merged {
        for (i, c) in &m.counterexamples {
            out.push(
                Note::new(
                    code(m.kind),
                    Level::Error,
                    format!(
                        "`{}` does not hold for `{}`: this request is allowed",
                        m.kind.as_str(),
                        found[*i].name()
                    ),
                )
                .details(example_lines(&c.example))
                .at(c
                    .statements
                    .first()
                    .map(|s| Place::statement(s, "allows it"))),
            );
        }
        if m.holds.is_none() {
            for (i, u) in &m.unknown {
                out.push(
                    Note::new(
                        "verify/unknown",
                        Level::Error,
                        format!(
                            "`{}` is not decided for `{}`: {}",
                            m.kind.as_str(),
                            found[*i].name(),
                            u.reason
                        ),
                    )
                    .at(u
                        .statements
                        .first()
                        .map(|s| Place::statement(s, "not decided"))),
                );
            }
            if m.unknown.is_empty() {
                out.push(Note::new(
                    "verify/unknown",
                    Level::Error,
                    format!(
                        "`{}` is not decided: {}",
                        m.kind.as_str(),
                        m.reasons.join("; ")
                    ),
                ));
            }
        }
    }
    out
}

fn text(merged: &[Merged], found: &[Found]) -> String {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut s = crate::report::human::text(&notes(merged, found), 100, color);
    for m in merged {
        let verdict = match m.holds {
            Some(true) => "holds",
            Some(false) => "fails",
            None => "unknown",
        };
        s.push_str(&format!(
            "{}: {verdict} ({} of {} documents checked",
            m.kind.as_str(),
            m.checked,
            found.len()
        ));
        if !m.reasons.is_empty() {
            s.push_str(&format!("; {}", m.reasons.join("; ")));
        }
        s.push_str(")\n");
    }
    s
}
