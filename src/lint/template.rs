//! CloudFormation, SAM and CDK templates as lint inputs: every policy document of the template
//! becomes a document (named `file#Resources/LogicalId/...`, spans in the template), and every
//! role, user and group a principal for the cross-policy rules.

use super::input::{Document, Loaded};
use super::{Finding, PolicyType};
use crate::iac::cfn::{self, Attached, DocKind, Inputs, Template};
use crate::parse::ParseError;
use crate::parse::json::Value;
use crate::source::Source;

fn kind(k: DocKind) -> PolicyType {
    match k {
        DocKind::Identity => PolicyType::Identity,
        DocKind::Trust => PolicyType::Trust,
        DocKind::Boundary => PolicyType::Boundary,
        DocKind::Resource => PolicyType::Resource,
        DocKind::Scp => PolicyType::Scp,
        DocKind::Rcp => PolicyType::Rcp,
    }
}

/// A template that could not be read: one failed document.
pub fn failed(e: &ParseError) -> Loaded {
    Loaded {
        name: e.source.name.to_string(),
        documents: vec![Document {
            source: e.source.clone(),
            implied_type: None,
            policy: Err(Finding::from_parse_error(e)),
        }],
        principals: Vec::new(),
        managed: Vec::new(),
        notes: Vec::new(),
        skipped: None,
        read: Vec::new(),
        extra: Vec::new(),
    }
}

/// Loads a parsed template tree.
pub fn load_tree(source: &Source, tree: &Value, inputs: &Inputs) -> Loaded {
    match cfn::load_tree(source, tree, inputs) {
        Ok(t) => from_template(&t),
        Err(e) => failed(&e),
    }
}

/// The documents and principals of every variant of the template. A document that is the
/// same in every variant is linted once; one that differs is linted per variant, its name
/// saying which condition values it holds under.
pub fn from_template(t: &Template) -> Loaded {
    let mut documents: Vec<Document> = Vec::new();
    let mut principals = Vec::new();
    let mut managed = Vec::new();
    let mut extra: Vec<(usize, crate::model::Policy)> = Vec::new();
    let many = t.variants.len() > 1;
    // the variants each document appears in unchanged (in variant order, each once)
    let mut doc_variants: std::collections::HashMap<String, Vec<usize>> = Default::default();
    let mut keys: Vec<Vec<String>> = Vec::with_capacity(t.variants.len());
    for (vi, x) in t.variants.iter().enumerate() {
        let mut k = Vec::with_capacity(x.docs.len());
        for i in 0..x.docs.len() {
            let key = if many {
                Template::doc_key(x, i)
            } else {
                x.docs[i].path.clone()
            };
            let list = doc_variants.entry(key.clone()).or_default();
            if list.last() != Some(&vi) {
                list.push(vi);
            }
            k.push(key);
        }
        keys.push(k);
    }
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    // each document's index in `documents`, per variant
    let mut index: Vec<Vec<usize>> = Vec::with_capacity(t.variants.len());
    for (vi, x) in t.variants.iter().enumerate() {
        let mut idx = Vec::with_capacity(x.docs.len());
        for (d, key) in x.docs.iter().zip(&keys[vi]) {
            if let Some(&i) = seen.get(key.as_str()) {
                idx.push(i);
                continue;
            }
            // a document that does not hold in every combination says in which it does:
            // the fewest conditions that name them
            let (source, policy) = match many.then(|| &doc_variants[key]) {
                Some(list) if !t.in_every(list) => {
                    let name = format!(
                        "{} [when {}]",
                        d.source.name,
                        Template::describe(&t.narrowest(list))
                    );
                    let src = d.source.renamed(name.as_str());
                    let policy = d.policy.clone().map(|mut p| {
                        p.source = src.clone();
                        p
                    });
                    (src, policy)
                }
                _ => (d.source.clone(), d.policy.clone()),
            };
            seen.insert(key, documents.len());
            idx.push(documents.len());
            documents.push(Document {
                source,
                implied_type: Some(kind(d.kind)),
                policy: policy.map_err(|e| Finding::from_parse_error(&e)),
            });
        }
        index.push(idx);
    }
    // A document attached only as a permissions boundary is read as one: what it allows is
    // the most the principal may be granted, never a grant (IAM User Guide, "Permissions
    // boundaries for IAM entities": the effective permissions are the intersection). As an
    // identity policy of the principal's set, its `Allow`s supplied pieces of escalation
    // combinations the boundary rules out (red team 57).
    {
        let mut identity: std::collections::HashSet<usize> = Default::default();
        let mut boundary: std::collections::HashSet<usize> = Default::default();
        for (vi, x) in t.variants.iter().enumerate() {
            // (attached to a principal outside the template: an identity policy there)
            for i in &x.outside {
                if let Some(&d) = index[vi].get(*i) {
                    identity.insert(d);
                }
            }
            for p in &x.principals {
                for a in &p.identity {
                    if let Attached::Doc(i) = a
                        && let Some(&d) = index[vi].get(*i)
                    {
                        identity.insert(d);
                    }
                }
                if let Some(Attached::Doc(i)) = &p.boundary
                    && let Some(&d) = index[vi].get(*i)
                {
                    boundary.insert(d);
                }
            }
        }
        for d in boundary.difference(&identity) {
            if let Some(doc) = documents.get_mut(*d)
                && doc.implied_type.is_none_or(|t| t == PolicyType::Identity)
            {
                doc.implied_type = Some(PolicyType::Boundary);
            }
        }
    }
    // each principal once per content, named by the combinations where it holds it
    for (vi, pi, list) in t.principal_groups() {
        let x = &t.variants[vi];
        let p = &x.principals[pi];
        let index = &index[vi];
        let mut idx: Vec<usize> = p
            .identity
            .iter()
            .chain(p.boundary.iter())
            .filter_map(|a| match a {
                Attached::Doc(i) => Some(index[*i]),
                _ => None,
            })
            .collect();
        // the policies a name not known may attach, for what it may be allowed: their `Allow`
        // statements (a `Deny` that may not apply protects nothing; red teams 44 and 45), AWS
        // managed ones too
        for a in &p.maybe {
            let pol = match a {
                Attached::Doc(i) => x.docs[*i].policy.as_ref().ok().cloned(),
                Attached::Aws(arn) => {
                    crate::lint::managed::policy(arn, false).map(|p| (*p).clone())
                }
                Attached::AwsName(n) => crate::lint::managed::policy(n, true).map(|p| (*p).clone()),
                Attached::Unknown(_) => None,
            };
            if let Some(mut pol) = pol {
                pol.statements
                    .retain(|s| s.effect.value == crate::model::Effect::Allow);
                if !pol.statements.is_empty() {
                    extra.push((principals.len(), pol));
                }
            }
        }
        idx.sort_unstable();
        idx.dedup();
        let mut name = format!("{}#{}", t.source.name, p.logical_id);
        if many && !t.in_every(&list) {
            name = format!("{name} [when {}]", Template::describe(&t.narrowest(&list)));
        }
        // AWS managed policies (their content from the shipped corpus), for the
        // cross-policy rules; a permissions boundary only limits, so it is left out. And those
        // a name not known may attach (`maybe`): their own findings (`AdministratorAccess`
        // attached to `var.role`), at the attachment
        let attached = p.identity.iter().map(|a| (a, false));
        for (a, maybe) in attached.chain(p.maybe.iter().map(|a| (a, true))) {
            let (arn, by_name) = match a {
                Attached::Aws(arn) => (arn, false),
                Attached::AwsName(n) => (n, true),
                _ => continue,
            };
            managed.push(crate::lint::managed::Attachment {
                principal: principals.len(),
                arn: arn.clone(),
                by_name,
                source: t.source.renamed(name.as_str()),
                span: crate::lint::managed::span_of(&t.source.text, arn, &p.logical_id),
                maybe,
            });
        }
        principals.push((name, idx));
    }
    let mut notes: Vec<String> = t
        .unknowns
        .iter()
        .map(|(k, v)| format!("{}: `{k}` stands for {v}", t.source.name))
        .collect();
    for u in t.variants.iter().flat_map(|x| &x.unread) {
        let n = format!("{}: {}", t.source.name, u.note());
        if !notes.contains(&n) {
            notes.push(n);
        }
    }
    if !t.undecided.is_empty() {
        notes.push(format!(
            "{}: conditions {} cannot be decided from the parameter values; every combination was checked",
            t.source.name,
            t.undecided.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    Loaded {
        name: t.source.name.to_string(),
        documents,
        principals,
        managed,
        notes,
        skipped: None,
        read: Vec::new(),
        extra,
    }
}

/// Whether `path` is the first `.tf` configuration file of its folder in name order (the one
/// that reports an error of the folder's module found elsewhere).
fn first_tf_of_folder(path: &std::path::Path) -> bool {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return true;
    };
    let mut names: Vec<std::ffi::OsString> = entries
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| {
            n.to_str().is_some_and(|n| {
                crate::iac::terraform::hcl::is_config_name(n)
                    && !crate::iac::terraform::hcl::is_override_name(n)
            })
        })
        .collect();
    names.sort();
    names
        .first()
        .is_none_or(|f| Some(f.as_os_str()) == path.file_name())
}

/// A `.tf` file: the module of its folder is read (variables, locals and references across its
/// files), and the documents and principals defined in this file are linted. When the module
/// cannot be read because of another `.tf` file of the same folder, a file found by a walk is
/// skipped (the walk reads that file too, and reports the error once, there).
pub fn load_tf(path: &std::path::Path, inputs: &Inputs, explicit: bool) -> Loaded {
    let this = path.display().to_string();
    // an override file's blocks are merged into the module's other files and linted with
    // them; named explicitly, the documents written in it are linted
    let overrides = crate::iac::terraform::hcl::is_override_name(&this);
    if overrides && !explicit {
        return Loaded::skipped(
            &this,
            "a Terraform override file: its blocks are merged into the files they override and linted with them",
        );
    }
    let m = match crate::iac::terraform::hcl::load(path, inputs) {
        Ok(m) => m,
        Err(e) => {
            let at = std::path::Path::new(&*e.source.name);
            let sibling = at != path
                && at.parent() == path.parent()
                && at.extension().is_some_and(|x| x == "tf");
            // an error elsewhere (a child module's file) or of the module as a whole (too
            // many undecided conditionals, the step budget) is reported by the folder's first
            // `.tf` file only, not once per file (red team 27)
            let whole = e.message.contains("conditionals cannot be decided")
                || e.message.contains("evaluation steps");
            let elsewhere = (whole || (at != path && !sibling)) && !first_tf_of_folder(path);
            if (sibling || elsewhere) && !explicit {
                return Loaded::skipped(
                    &this,
                    &format!(
                        "the module of its folder cannot be read (the error is reported at `{}`)",
                        e.source.name
                    ),
                );
            }
            return failed(&e);
        }
    };
    // this file's resources, and those of the child modules its `module` blocks call
    let crate::iac::terraform::hcl::Module {
        template: mut t,
        defined_in,
        called_from,
        read,
        ..
    } = m;
    let mine = |address: &str| {
        crate::iac::terraform::hcl::belongs(&defined_in, &called_from, address, &this)
    };
    // keep this file's documents; renumber the principals' links to them
    for x in &mut t.variants {
        let mut keep = vec![None; x.docs.len()];
        let mut docs = Vec::new();
        for (i, d) in std::mem::take(&mut x.docs).into_iter().enumerate() {
            let address = crate::iac::terraform::hcl::address_of(&d.path);
            let written_here = overrides
                && d.source
                    .name
                    .strip_prefix(this.as_str())
                    .is_some_and(|rest| rest.starts_with('#'));
            if mine(address) || written_here {
                keep[i] = Some(docs.len());
                docs.push(d);
            }
        }
        x.docs = docs;
        let relink = |a: &Attached| match a {
            Attached::Doc(i) => keep[*i].map(Attached::Doc),
            other => Some(other.clone()),
        };
        x.principals.retain(|p| mine(&p.logical_id));
        x.unread
            .retain(|u| mine(crate::iac::terraform::hcl::address_of(&u.path)));
        for p in &mut x.principals {
            p.identity = p.identity.iter().filter_map(relink).collect();
            p.boundary = p.boundary.as_ref().and_then(relink);
            p.trust = p.trust.and_then(|i| keep[i]);
        }
    }
    // the placeholders this file's documents and principals hold, each distinct piece once (a
    // module with undecided conditionals has a variant per combination, 4,096 for twelve
    // flags, nearly all holding the same documents: one string of them all, searched once per
    // placeholder, took most of such a file's time). A document's source is the `.tf` file
    // (the same in every variant, held once); its values are the variant's own.
    let mut held: std::collections::HashSet<String> = Default::default();
    let mut sources: std::collections::HashSet<(&str, &str)> = Default::default();
    for x in &t.variants {
        for d in &x.docs {
            let source = match &d.policy {
                Ok(p) => {
                    held.insert(format!("{:?}{:?}{:?}", p.version, p.id, p.statements));
                    &p.source
                }
                Err(e) => {
                    held.insert(format!("{:?}{:?}{:?}", e.message, e.help, e.related));
                    held.insert(e.label.clone());
                    &e.source
                }
            };
            for s in [&d.source, source] {
                if sources.insert((&s.name, &s.text)) {
                    held.insert(s.name.to_string());
                    held.insert(s.text.to_string());
                }
            }
        }
        for p in &x.principals {
            held.insert(p.name.clone());
            held.insert(p.arn.clone());
        }
        for u in &x.unread {
            held.insert(u.content.clone());
        }
    }
    t.unknowns.retain(|k, _| {
        held.iter().any(|h| h.contains(k.as_str())) || k.split(' ').next().is_some_and(&mine)
    });
    let mut loaded = from_template(&t);
    // the files read whose text is one of this file's documents (`FILE#ADDRESS/ARGUMENT`)
    for x in &t.variants {
        for d in &x.docs {
            let name = &*d.source.name;
            if let Some(r) = read.iter().find(|r| {
                name.strip_prefix(r.as_str())
                    .is_some_and(|rest| rest.starts_with('#'))
            }) && !loaded.read.contains(r)
            {
                loaded.read.push(r.clone());
            }
        }
    }
    loaded.name = this;
    loaded
}
