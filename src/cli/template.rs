//! CloudFormation / SAM / CDK templates for `lint`, `check --template` and `scan --template`:
//! the shared flags (parameter values, account) and the template paths of `check` and `scan`.

use std::collections::BTreeMap;

use miette::miette;

use super::Outcome;
use crate::check::{self, PrincipalPolicies, render};
use crate::iac::cfn::{Attached, Extract, Inputs, Principal, PrincipalKind, Template};
use crate::model::Policy;
use crate::profiles::Profile;
use crate::source::Source;

/// Parameter values and account of CloudFormation templates.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// Template parameter value (repeatable), `NAME=VALUE`; otherwise the parameter's default
    #[arg(long = "template-param", value_name = "NAME=VALUE")]
    pub template_param: Vec<String>,
    /// Template parameter values in the AWS CLI's file format:
    /// `[{"ParameterKey": "...", "ParameterValue": "..."}]`
    #[arg(long = "template-params", value_name = "FILE")]
    pub template_params: Option<String>,
    /// The account ID `AWS::AccountId` stands for in templates (else a placeholder)
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub account: Option<String>,
}

#[derive(serde::Deserialize)]
struct ParamEntry {
    #[serde(rename = "ParameterKey")]
    key: String,
    #[serde(rename = "ParameterValue")]
    value: Option<String>,
    #[serde(rename = "UsePreviousValue", default)]
    use_previous: bool,
}

impl InputArgs {
    pub fn given(&self) -> bool {
        !self.template_param.is_empty() || self.template_params.is_some() || self.account.is_some()
    }

    /// Validated inputs; `--template-param` wins over the file. `strict`: a value for a
    /// parameter the template does not declare is an error.
    pub fn inputs(&self, region: Option<&str>, strict: bool) -> miette::Result<Inputs> {
        let text =
            match &self.template_params {
                Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
                    miette!("cannot read the template parameter file `{path}`: {e}")
                })?),
                None => None,
            };
        self.inputs_with(text.as_deref(), region, strict)
    }

    /// [`Self::inputs`] with the parameter file's text given (`diff --base`: the file at the
    /// base revision); `None`: no file.
    pub fn inputs_with(
        &self,
        file_text: Option<&str>,
        region: Option<&str>,
        strict: bool,
    ) -> miette::Result<Inputs> {
        let mut params = BTreeMap::new();
        let mut previous = std::collections::BTreeSet::new();
        if let Some(text) = file_text {
            let path = self
                .template_params
                .as_deref()
                .unwrap_or("(parameter file)");
            let list: Vec<ParamEntry> = serde_json::from_str(text).map_err(|e| {
                miette!(
                    help = "the file is a list of {\"ParameterKey\": \"...\", \"ParameterValue\": \"...\"}, as `aws cloudformation create-stack --parameters file://...` reads",
                    "invalid template parameter file `{path}`: {e}"
                )
            })?;
            for p in list {
                if params.contains_key(&p.key) || previous.contains(&p.key) {
                    return Err(miette!(
                        "the template parameter file `{path}` gives `{}` twice",
                        p.key
                    ));
                }
                if p.use_previous {
                    // the stack's current value, which only AWS knows
                    previous.insert(p.key);
                } else if let Some(v) = p.value {
                    params.insert(p.key, v);
                }
            }
        }
        for p in &self.template_param {
            let Some((k, v)) = p.split_once('=') else {
                return Err(miette!(
                    help = "write `--template-param NAME=VALUE`",
                    "`{p}` is not NAME=VALUE"
                ));
            };
            previous.remove(k.trim());
            params.insert(k.trim().to_string(), v.to_string());
        }
        if let Some(a) = &self.account
            && !(a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(miette!("`{a}` is not a 12-digit account ID"));
        }
        if let Some(r) = region
            && !r
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(miette!("`{r}` is not a Region code"));
        }
        Ok(Inputs {
            params,
            account: self.account.clone(),
            region: region.map(str::to_string),
            strict_params: strict,
            previous,
        })
    }
}

/// The template of a CDK cloud assembly (`cdk.out`) that defines the resource `id`: an
/// assembly of several stacks (CDK stages included) is searched stack by stack, and the
/// template file that defines it is read (so findings point at it). Another path is itself.
/// A logical ID of several stacks (stages repeat them) is an error naming the templates.
pub fn stack_of(path: &str, id: &str) -> miette::Result<String> {
    let dir = std::path::Path::new(path);
    let Some(templates) = dir
        .is_dir()
        .then(|| crate::iac::cdk_templates(dir))
        .flatten()
    else {
        return Ok(path.to_string());
    };
    if let [one] = templates.as_slice() {
        return Ok(one.display().to_string());
    }
    let defines = |t: &std::path::Path| -> bool {
        std::fs::read(t)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .is_some_and(|v| v.get("Resources").and_then(|r| r.get(id)).is_some())
    };
    let found: Vec<String> = templates
        .iter()
        .filter(|t| defines(t))
        .map(|t| t.display().to_string())
        .collect();
    let all = || {
        templates
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(miette!(
            help = format!("its stack templates: {}", all()),
            "`{id}` is not a resource of a stack template of the CDK cloud assembly `{path}`"
        )),
        many => Err(miette!(
            help = "name the template file (`--template cdk.out/Stack.template.json`)",
            "`{id}` is a resource of {} stack templates of the CDK cloud assembly `{path}`: {}",
            many.len(),
            many.join(", ")
        )),
    }
}

/// Reads a template; errors are located diagnostics (exit 2).
pub fn load(path: &str, inputs: &Inputs) -> miette::Result<Template> {
    // a CDK cloud assembly (`cdk.out`): the stack template its manifest lists
    let dir = std::path::Path::new(path);
    let one: String;
    let path = match dir
        .is_dir()
        .then(|| crate::iac::cdk_templates(dir))
        .flatten()
    {
        Some(t) if t.len() == 1 => {
            one = t[0].display().to_string();
            one.as_str()
        }
        Some(t) => {
            return Err(miette!(
                help = format!(
                    "name one of its templates: {}",
                    t.iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "`{path}` is a CDK cloud assembly with {} stack templates",
                t.len()
            ));
        }
        None => path,
    };
    let t = crate::iac::load_file(path, inputs)?;
    for (k, v) in &t.unknowns {
        eprintln!("note: {path}: `{k}` stands for {v}");
    }
    for n in super::units::unread_notes(&t) {
        eprintln!("note: {path}: {n}");
    }
    if !t.undecided.is_empty() {
        eprintln!(
            "note: {path}: conditions {} cannot be decided from the parameter values; every combination is checked",
            t.undecided.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    Ok(t)
}

/// An AWS managed policy from the shipped corpus, parsed once per process.
pub(crate) fn aws_managed(arn_or_name: &str, by_name: bool) -> miette::Result<Policy> {
    type Cache = std::sync::Mutex<BTreeMap<(String, bool), Policy>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (arn_or_name.to_string(), by_name);
    if let Some(p) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(p);
    }
    let p = aws_managed_uncached(arn_or_name, by_name)?;
    if let Ok(mut c) = cache.lock() {
        c.insert(key, p.clone());
    }
    Ok(p)
}

fn aws_managed_uncached(arn_or_name: &str, by_name: bool) -> miette::Result<Policy> {
    let corpus = crate::sources::managed::corpus().map_err(|e| miette!("{e}"))?;
    let found = if by_name {
        corpus.by_name(arn_or_name)
    } else {
        corpus.get(arn_or_name)
    };
    let Some(p) = found else {
        return Err(miette!(
            help = "the shipped corpus holds every AWS managed policy; check the name",
            "`{arn_or_name}` is not an AWS managed policy"
        ));
    };
    let source = Source::new(p.arn.as_str(), p.document.get());
    Ok(crate::parse::parse_policy(&source)?)
}

fn attached(x: &Extract, a: &Attached, owner: &str) -> miette::Result<Policy> {
    match a {
        Attached::Doc(i) => match &x.docs[*i].policy {
            Ok(p) => Ok(p.clone()),
            Err(e) => Err(e.clone().into()),
        },
        Attached::Aws(arn) => aws_managed(arn, false),
        Attached::AwsName(name) => aws_managed(name, true),
        Attached::Unknown(arn) => Err(miette!(
            help = "greenlight reads the template's own groups, managed policies and AWS managed policies; a policy from elsewhere cannot be checked offline",
            "`{owner}` has {}: what it grants is not known offline",
            crate::iac::cfn::describe_unknown(arn)
        )),
    }
}

/// The Region `AWS::Region` stands for when `check`/`scan --template` are not given
/// `--region`: the Region the profiles check in (`--param region=`, else the first selected
/// profile's default), so that the template's Regional ARNs and the profile's requests are in
/// one Region, as the account is. A placeholder Region would match none of the profile's
/// ARNs, and a `Deny` on the template's own resources would be read as covering nothing.
pub fn profile_region(
    selected: &[&crate::profiles::Profile],
    params: &BTreeMap<String, String>,
) -> Option<String> {
    if let Some(r) = params.get("region") {
        return Some(r.clone());
    }
    selected.iter().find_map(|p| {
        p.resolve_params(params, None)
            .ok()
            .and_then(|r| r.get("region").map(str::to_string))
    })
}

/// Warns on standard error about each `Deny` (and each `NotAction`/`NotResource` of an
/// `Allow`) whose text holds a placeholder: it matches only itself, so the real value may deny
/// (or not grant) a requirement that the report reads as allowed.
fn placeholder_denies(path: &str, id: &str, principal: &PrincipalPolicies) {
    use crate::model::Effect;
    let policies = principal.identity.iter().chain(principal.boundary.iter());
    for p in policies {
        for st in &p.statements {
            let deny = st.effect.value == Effect::Deny;
            let mut texts: Vec<&str> = Vec::new();
            if deny || st.action.negated {
                texts.extend(st.action.items.iter().map(|a| a.text.as_str()));
            }
            if let Some(r) = st.resource.as_ref().filter(|r| deny || r.negated) {
                texts.extend(r.items.iter().map(|i| i.value.as_str()));
            }
            if deny {
                for c in &st.conditions {
                    texts.extend(c.values.iter().map(|v| v.text.as_str()));
                }
            }
            if let Some(t) = texts.into_iter().find(|t| t.contains("UNKNOWN-")) {
                let line = p.source.line_col(st.span.start).line;
                eprintln!(
                    "warning: {path}#{id}: statement {} of `{}` (line {line}) names `{t}`, a value the template does not give; the real value may deny a requirement reported as allowed (give it with --template-param)",
                    st.index, p.source.name
                );
            }
        }
    }
}

/// The check library's view of a template principal.
pub fn principal_policies(x: &Extract, p: &Principal) -> miette::Result<PrincipalPolicies> {
    let identity = p
        .identity
        .iter()
        .map(|a| attached(x, a, &p.logical_id))
        .collect::<miette::Result<Vec<_>>>()?;
    let boundary = p
        .boundary
        .as_ref()
        .map(|a| attached(x, a, &p.logical_id))
        .transpose()?;
    let trust = match p.trust {
        Some(i) => Some(attached(x, &Attached::Doc(i), &p.logical_id)?),
        None => None,
    };
    // The placeholder account when `--account` is not given: the principal and the profile's
    // resources are then in that one account, as they are when checking files.
    let account = Some(x.account.clone());
    Ok(PrincipalPolicies {
        identity,
        boundary,
        scps: Vec::new(),
        rcps: Vec::new(),
        trust,
        arn: Some(p.arn.clone()),
        account,
        tags: p.tags.clone(),
        unique_id: None,
        account_roles: Vec::new(),
    })
}

/// `check --template FILE --role|--user LOGICAL_ID`.
pub fn check(
    path: &str,
    inputs: &Inputs,
    wanted: (&str, PrincipalKind),
    selected: &[&Profile],
    (params, user_context): (&BTreeMap<String, String>, &BTreeMap<String, Vec<String>>),
    (scps, rcps): (&[Policy], &[Policy]),
    format: super::check::Format,
) -> miette::Result<Outcome> {
    let (id, kind) = wanted;
    let stack = stack_of(path, id)?;
    let path = stack.as_str();
    let t = load(path, inputs)?;
    let mut sections: Vec<(String, Vec<check::ProfileReport>, Vec<check::PolicyWarning>)> =
        Vec::new();
    // the principal once per content (alike in many variants: named by the fewest
    // conditions that name them), and the combinations where it does not exist
    let groups: Vec<(usize, usize, Vec<usize>)> = t
        .principal_groups()
        .into_iter()
        .filter(|(vi, pi, _)| t.variants[*vi].principals[*pi].logical_id == id)
        .collect();
    let missing: Vec<usize> = (0..t.variants.len())
        .filter(|&vi| !t.variants[vi].principals.iter().any(|p| p.logical_id == id))
        .collect();
    if !groups.is_empty() && !missing.is_empty() {
        for (_, when) in t.exact_sets(&missing) {
            eprintln!(
                "note: `{id}` does not exist when {}",
                Template::describe(&when)
            );
        }
    }
    let mut found: Vec<(usize, Option<usize>, String)> = Vec::new();
    for (vi, pi, list) in &groups {
        for (set, when) in t.exact_sets(list) {
            let when = if t.in_every(&set) {
                String::new()
            } else {
                Template::describe(&when)
            };
            found.push((*vi, Some(*pi), when));
        }
    }
    if found.is_empty() {
        found.push((0, None, String::new()));
    }
    for (vi, pi, when) in found {
        let x = &t.variants[vi];
        let Some(p) = pi.map(|i| &x.principals[i]) else {
            let known: Vec<String> = x
                .principals
                .iter()
                .map(|p| format!("{} ({})", p.logical_id, p.kind.as_str()))
                .collect();
            return Err(miette!(
                help = format!(
                    "principals of the template: {}",
                    if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    }
                ),
                "`{id}` is not a principal of `{path}`"
            ));
        };
        if p.kind != kind {
            return Err(miette!(
                "`{id}` is a {} of the template, not a {}",
                p.kind.as_str(),
                kind.as_str()
            ));
        }
        let mut principal = principal_policies(x, p)?;
        principal.scps = scps.to_vec();
        principal.rcps = rcps.to_vec();
        let mut reports = Vec::new();
        for prof in selected {
            reports.push(check::check_principal_with(
                prof,
                &principal,
                params,
                user_context,
            )?);
        }
        let warnings = check::policy_warnings(&principal);
        placeholder_denies(path, id, &principal);
        for line in check::unproven_allows(&reports) {
            eprintln!("warning: {path}#{id}: {line}");
        }
        sections.push((when, reports, warnings));
    }
    let gaps: usize = sections.iter().map(|(_, r, _)| render::total_gaps(r)).sum();
    let out = match format {
        super::check::Format::Text => {
            let mut s = String::new();
            for (when, reports, warnings) in &sections {
                if !when.is_empty() {
                    s.push_str(&format!("== {path}#{id} when {when}\n"));
                }
                s.push_str(&render::text::render(reports, warnings));
            }
            s
        }
        super::check::Format::Json if sections.len() == 1 => {
            render::json::render(&sections[0].1, &sections[0].2) + "\n"
        }
        super::check::Format::Json => {
            let list: Vec<serde_json::Value> = sections
                .iter()
                .map(|(when, reports, warnings)| {
                    let report: serde_json::Value =
                        serde_json::from_str(&render::json::render(reports, warnings))
                            .unwrap_or(serde_json::Value::Null);
                    serde_json::json!({ "conditions": when, "report": report })
                })
                .collect();
            serde_json::to_string_pretty(&serde_json::json!({ "variants": list }))
                .map_err(|e| miette!("cannot write the output: {e}"))?
                + "\n"
        }
        super::check::Format::Sarif
        | super::check::Format::Github
        | super::check::Format::Junit => {
            // each combination's notes, their messages saying which combination (red team
            // 31); a policy warning once, where first met
            let files = render::Files::identity(&[path.to_string()]);
            let mut warnings: Vec<check::PolicyWarning> = Vec::new();
            let mut all_notes = Vec::new();
            for (when, r, w) in sections {
                let mut fresh = Vec::new();
                for x in w {
                    let seen = warnings.iter().any(|y: &check::PolicyWarning| {
                        (y.policy.as_str(), y.line, y.column)
                            == (x.policy.as_str(), x.line, x.column)
                    });
                    if !seen {
                        warnings.push(x.clone());
                        fresh.push(x);
                    }
                }
                let mut notes = render::notes::notes(&r, &files, &fresh);
                if !when.is_empty() {
                    for n in &mut notes {
                        n.message = format!("{} (when {when})", n.message);
                    }
                }
                all_notes.extend(notes);
            }
            match format {
                super::check::Format::Github => crate::report::github::render(&all_notes),
                super::check::Format::Junit => crate::report::junit::per_note(&all_notes, "check"),
                _ => crate::report::sarif::render(&all_notes, render::notes::rules()),
            }
        }
    };
    super::check::write_stdout(&out)?;
    Ok(if gaps > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// One template's rows of `scan --template`.
struct Scanned {
    rows: Vec<serde_json::Value>,
    text: String,
    any_gap: bool,
    count: usize,
}

fn scan_one(
    path: &str,
    inputs: &Inputs,
    selected: &[&Profile],
    params: &BTreeMap<String, String>,
    json: bool,
    org: crate::sources::scan::Org<'_>,
) -> miette::Result<Scanned> {
    let t = load(path, inputs)?;
    let mut out = Scanned {
        rows: Vec::new(),
        text: String::new(),
        any_gap: false,
        count: 0,
    };
    // each principal once per content, named by the fewest conditions that name the
    // combinations where it holds it; in template order, variant by variant
    let groups = t.principal_groups();
    for (vi, x) in t.variants.iter().enumerate() {
        let mut whens: Vec<String> = Vec::new();
        let mut principals: Vec<&Principal> = Vec::new();
        for (_, pi, list) in groups
            .iter()
            .filter(|(v, pi, _)| *v == vi && x.principals[*pi].kind != PrincipalKind::Group)
        {
            for (set, when) in t.exact_sets(list) {
                whens.push(if t.in_every(&set) {
                    String::new()
                } else {
                    Template::describe(&when)
                });
                principals.push(&x.principals[*pi]);
            }
        }
        if principals.is_empty() {
            continue;
        }
        // every principal on every core, results in template order; a report is reduced to
        // its gap count (and JSON) by the worker, so reports of thousands of principals are
        // never all held at once
        let results = crate::par::map(&principals, |p| -> miette::Result<Vec<ScanResult>> {
            let mut principal = principal_policies(x, p)?;
            principal.scps = org.scps.to_vec();
            principal.rcps = org.rcps.to_vec();
            let mut out = Vec::new();
            for prof in selected {
                if prof.principal == crate::profiles::PrincipalKind::Role
                    && p.kind != PrincipalKind::Role
                {
                    continue;
                }
                let report = check::check_principal(prof, &principal, params)?;
                let gaps = render::total_gaps(std::slice::from_ref(&report));
                let unproven = check::unproven_allows(std::slice::from_ref(&report));
                let value = if json {
                    Some(
                        serde_json::from_str(&render::json::render(
                            std::slice::from_ref(&report),
                            &[],
                        ))
                        .unwrap_or(serde_json::Value::Null),
                    )
                } else {
                    None
                };
                out.push((prof.id.clone(), gaps, value, unproven));
            }
            Ok(out)
        });
        for ((p, result), when) in principals.iter().zip(results).zip(&whens) {
            for (profile, gaps, report, unproven) in result? {
                for line in unproven {
                    eprintln!("warning: {path}#{}: {line}", p.logical_id);
                }
                out.any_gap |= gaps > 0;
                let status = if gaps == 0 { "complete" } else { "gaps" };
                out.text.push_str(&format!(
                    "{}#{} ({}){}  {}  {}  gaps: {gaps}\n",
                    path,
                    p.logical_id,
                    p.kind.as_str(),
                    if when.is_empty() {
                        String::new()
                    } else {
                        format!(" when {when}")
                    },
                    profile,
                    status
                ));
                out.count += 1;
                let Some(report) = report else { continue };
                out.rows.push(serde_json::json!({
                    "logicalId": p.logical_id,
                    "type": p.kind.as_str(),
                    "arn": p.arn,
                    "conditions": when,
                    "profile": profile,
                    "status": status,
                    "gaps": gaps,
                    "report": report,
                }));
            }
        }
    }
    Ok(out)
}

/// The templates and plans under a directory (a CDK cloud assembly through its manifest),
/// found by the discovery walk of `lint DIR`.
fn templates_under(dir: &std::path::Path) -> miette::Result<Vec<String>> {
    if let Some(t) = crate::iac::cdk_templates(dir) {
        return Ok(t.iter().map(|p| p.display().to_string()).collect());
    }
    let mut out = Vec::new();
    // Terraform folders (one module each) → the folders their `module` blocks call
    let mut tf: BTreeMap<std::path::PathBuf, Vec<std::path::PathBuf>> = BTreeMap::new();
    for w in crate::discover::walk(dir, &crate::discover::WalkOptions::default()) {
        match w {
            crate::discover::Walked::Candidate(p) => {
                // (a `.tf` file Terraform's loader ignores, such as an editor's `.#main.tf`
                // lock link, is not read: red team 50)
                let name = crate::discover::paths::file_name_str(&p).unwrap_or_default();
                if (name.ends_with(".tf") || name.ends_with(".tf.json"))
                    && !crate::iac::terraform::hcl::is_config_name(name)
                {
                    continue;
                }
                let bytes =
                    std::fs::read(&p).map_err(|e| miette!("cannot read `{}`: {e}", p.display()))?;
                match crate::discover::sniff(&p, &bytes, true) {
                    crate::discover::Sniff::Kind(
                        crate::discover::InputKind::CloudFormation
                        | crate::discover::InputKind::Sam
                        | crate::discover::InputKind::TerraformPlan,
                    ) => out.push(p.display().to_string()),
                    crate::discover::Sniff::Kind(crate::discover::InputKind::TerraformHcl) => {
                        let folder = p.parent().map(|d| d.to_path_buf()).unwrap_or_default();
                        let text = String::from_utf8_lossy(&bytes);
                        let called = crate::iac::terraform::hcl::modules::local_sources(&text)
                            .into_iter()
                            .map(|s| {
                                let d = folder.display().to_string();
                                let base = if d.is_empty() { "." } else { d.as_str() };
                                std::path::PathBuf::from(crate::iac::terraform::hcl::modules::join(
                                    base, s,
                                ))
                            })
                            .collect::<Vec<_>>();
                        tf.entry(folder).or_default().extend(called);
                    }
                    _ => {}
                }
            }
            crate::discover::Walked::Skipped(..) => {}
            crate::discover::Walked::Error(path, e) => {
                let name = path.rsplit(['/', '\\']).next().unwrap_or(&path);
                if (name.ends_with(".tf") || name.ends_with(".tf.json"))
                    && !crate::iac::terraform::hcl::is_config_name(name)
                {
                    continue;
                }
                return Err(miette!("cannot read `{path}`: {e}"));
            }
        }
    }
    // a folder another folder calls as a module is read through its caller (with its inputs),
    // not on its own
    let normal = |p: &std::path::Path| {
        crate::iac::terraform::hcl::modules::normalize(&p.display().to_string())
    };
    let called: std::collections::BTreeSet<String> =
        tf.values().flatten().map(|p| normal(p)).collect();
    for folder in tf.keys() {
        if !called.contains(&normal(folder)) {
            let shown = folder.display().to_string();
            out.push(if shown.is_empty() { ".".into() } else { shown });
        }
    }
    Ok(out)
}

/// `scan --template FILE|DIR`: every role (and, for user profiles, user) of the template, or
/// of every template and plan under the directory (JSON rows then add `template`).
/// One principal against one profile in a template scan: the profile, its gap count, its JSON
/// report (with `--format json`) and `check`'s warnings about unproven allows.
type ScanResult = (String, usize, Option<serde_json::Value>, Vec<String>);

pub fn scan(
    path: &str,
    inputs: &Inputs,
    selected: &[&Profile],
    params: &BTreeMap<String, String>,
    json: bool,
    org: crate::sources::scan::Org<'_>,
) -> miette::Result<Outcome> {
    let dir = std::path::Path::new(path).is_dir();
    let files = if dir {
        let found = templates_under(std::path::Path::new(path))?;
        if found.is_empty() {
            return Err(miette!(
                help = "greenlight reads CloudFormation, SAM and CDK templates and Terraform plans (`terraform show -json`)",
                "no template or plan under `{path}`"
            ));
        }
        found
    } else {
        vec![path.to_string()]
    };
    let mut rows: Vec<serde_json::Value> = Vec::new();
    let mut text = String::new();
    let mut any_gap = false;
    let mut results_count = 0usize;
    for f in &files {
        let one = scan_one(f, inputs, selected, params, json, org)?;
        any_gap |= one.any_gap;
        results_count += one.count;
        text.push_str(&one.text);
        rows.extend(one.rows.into_iter().map(|mut r| {
            if dir {
                r["template"] = serde_json::json!(f);
            }
            r
        }));
    }
    if results_count == 0 {
        return Err(miette!(
            help = "a role profile applies to roles only",
            "nothing to scan: no principal of `{path}` matches the profiles"
        ));
    }
    let out = if json {
        serde_json::to_string_pretty(&serde_json::json!({ "template": path, "principals": rows }))
            .map_err(|e| miette!("cannot write the output: {e}"))?
            + "\n"
    } else {
        text
    };
    super::check::write_stdout(&out)?;
    Ok(if any_gap {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
