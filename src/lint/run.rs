//! A whole lint run: inputs → documents → findings, on every core.

use super::baseline::Baseline;
use super::config::Config;
use super::input::{self, Input, Loaded};
use super::{Finding, PolicyType, lint_alone, lint_policy, lint_principal};

/// Validated settings of a run (clap types never reach here).
#[derive(Debug, Default)]
pub struct Options {
    pub inputs: Vec<Input>,
    /// Forces the policy type of every document (otherwise detected from its shape).
    pub policy_type: Option<PolicyType>,
    pub config: Config,
    pub baseline: Option<Baseline>,
    /// Treat every identity policy and boundary of the run as attached to one principal.
    pub one_principal: bool,
    /// Worker threads (0 = one per core).
    pub threads: usize,
    /// Parameter values, account and Region for CloudFormation templates.
    pub template: crate::iac::cfn::Inputs,
}

/// One linted document.
#[derive(Debug, Clone)]
pub struct DocumentSummary {
    pub name: String,
    pub policy_type: Option<PolicyType>,
    /// The document could not be read, decoded or parsed.
    pub failed: bool,
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// Sorted by file, position, code and message; configuration and baseline applied.
    pub findings: Vec<Finding>,
    /// Every document, in input order (the summary counts them all).
    pub documents: Vec<DocumentSummary>,
    /// Findings removed by the baseline.
    pub baselined: usize,
    /// What template readers assumed (placeholders, undecidable conditions), for stderr.
    pub notes: Vec<String>,
    /// Files that hold no policy, left out of the run, and why (in input order).
    pub skipped: Vec<(String, String)>,
    /// What the run built and no longer needs (the inputs' results, the keys of repeated
    /// texts): freed with the outcome, or left to the operating system by a process that ends
    /// with it (`greenlight lint` does: freeing thousands of small blocks is work for nothing).
    _leftovers: Leftovers,
}

/// [`Outcome::_leftovers`].
#[derive(Default)]
struct Leftovers {
    _held: Vec<Box<dyn std::any::Any + Send + Sync>>,
}

impl std::fmt::Debug for Leftovers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Leftovers({})", self._held.len())
    }
}

impl Outcome {
    pub fn any_failed(&self) -> bool {
        self.documents.iter().any(|d| d.failed)
    }
}

struct FileResult {
    /// The documents, kept only when a later step needs them (`one_principal`); otherwise
    /// they are freed by the worker as soon as they are linted.
    loaded: Option<Loaded>,
    types: Vec<Option<PolicyType>>,
    summaries: Vec<DocumentSummary>,
    findings: Vec<Finding>,
    notes: Vec<String>,
    skipped: Option<(String, String)>,
    /// The input's name, when a walk found it (not named on the command line).
    found: Option<String>,
    /// [`Loaded::read`].
    read: Vec<String>,
    /// A policy file of the same text as the input at this index: its findings are that
    /// input's, moved to this document's source (filled in by [`run`] once every input is
    /// linted).
    same_as: Option<(usize, crate::source::Source)>,
}

/// The documents of a run that are a whole input on their own (a policy file), by the
/// document's text: a run over many files often holds the same document several times. What
/// the rules report depends on the policy (the text, where the policy is in it), its type and
/// whether the document's name marks it as part of a larger file (`#`): the findings of an
/// equal key are those of the first input linted with it (kept here by its index), moved to
/// the document's own source. (Only the index is kept: copying every input's findings for the
/// few repeated texts cost more than the repeats saved.)
#[derive(Default)]
struct SameText {
    /// Per hash of a key (the seeded hash, once per document), the entries of that hash.
    entries: std::sync::Mutex<std::collections::HashMap<u64, SameEntries, crate::catalog::FxBuild>>,
    seed: crate::catalog::SeededBuild,
}

/// [`SameText`]'s key: the text, the policy's span in it, its type, and whether the name has
/// a `#`.
type SameKey = (std::sync::Arc<str>, crate::source::Span, PolicyType, bool);

/// [`SameText`]'s keys of one hash, each with the index of the input linted with it.
type SameEntries = Vec<(SameKey, usize)>;

/// What [`lint_batch`] decided for the one document of a policy file before
/// [`lint_loaded`] runs: its findings, or the index of the input of the same text.
enum Pre {
    Linted(Vec<Finding>),
    Same(usize),
}

/// The one policy document of a policy file (its cross-policy rules run with it, and its
/// findings are those of an earlier document of the same text), with its type; `None` for
/// any other input.
fn alone_of(
    loaded: &Loaded,
    forced: Option<PolicyType>,
) -> Option<(&crate::model::Policy, PolicyType)> {
    let [d] = loaded.documents.as_slice() else {
        return None;
    };
    if !loaded.principals.is_empty() || !loaded.managed.is_empty() {
        return None;
    }
    match &d.policy {
        Ok(p) if p.json_size.is_none() => Some((p, document_type(forced, d, p))),
        _ => None,
    }
}

/// A document's policy type: forced by the run, implied by where it came from, or detected.
fn document_type(
    forced: Option<PolicyType>,
    d: &input::Document,
    p: &crate::model::Policy,
) -> PolicyType {
    forced
        .or(d.implied_type)
        .unwrap_or_else(|| PolicyType::detect(p))
}

/// The index of the first input linted with the text of `d` (of type `t`): `index` itself
/// when it is the first (then registered for the inputs after it).
fn first_of_text(
    same: &SameText,
    d: &input::Document,
    p: &crate::model::Policy,
    t: PolicyType,
    index: usize,
) -> usize {
    let key = (
        d.source.text.clone(),
        p.span,
        t,
        d.source.name.contains('#'),
    );
    let h = std::hash::BuildHasher::hash_one(&same.seed, &key);
    same.entries.lock().map_or(index, |mut m| {
        let entries = m.entry(h).or_default();
        match entries.iter().find(|(k, _)| *k == key) {
            Some(&(_, j)) => j,
            None => {
                entries.push((key, index));
                index
            }
        }
    })
}

/// Lints the documents of one input (on `threads` threads when it holds many, as an
/// authorization-details file does), then the cross-policy rules.
fn lint_loaded(
    loaded: Loaded,
    forced: Option<PolicyType>,
    keep: bool,
    threads: usize,
    same: &SameText,
    index: usize,
    pre: Option<Pre>,
) -> FileResult {
    // a few documents are not worth a thread
    let threads = if loaded.documents.len() < 64 {
        1
    } else {
        threads
    };
    // one policy document alone (a policy file): its cross-policy rules run with it, and its
    // findings are those of an earlier document of the same text
    // (its type)
    let alone = alone_of(&loaded, forced).map(|(_, t)| t);
    // (set when the one document of a policy file is a text linted already)
    let same_as: std::sync::Mutex<Option<(usize, crate::source::Source)>> =
        std::sync::Mutex::new(None);
    let pre = std::sync::Mutex::new(pre);
    let per_doc = crate::par::map_on(&loaded.documents, threads, |d| match (&d.policy, alone) {
        (Ok(p), Some(t)) => {
            // (the first to ask registers its input: the others copy its findings later)
            let first = match pre.lock().ok().and_then(|mut x| x.take()) {
                Some(Pre::Linted(found)) => return (found, Some(t)),
                Some(Pre::Same(j)) => j,
                None => first_of_text(same, d, p, t, index),
            };
            if first != index {
                if let Ok(mut s) = same_as.lock() {
                    *s = Some((first, d.source.clone()));
                }
                (Vec::new(), Some(t))
            } else {
                (lint_alone(p, t), Some(t))
            }
        }
        (Ok(p), None) => {
            let t = document_type(forced, d, p);
            (lint_policy(p, t), Some(t))
        }
        (Err(f), _) => (vec![f.clone()], forced.or(d.implied_type)),
    });
    let mut findings = Vec::with_capacity(per_doc.iter().map(|(f, _)| f.len()).sum());
    let mut types = Vec::with_capacity(per_doc.len());
    for (f, t) in per_doc {
        findings.extend(f);
        types.push(t);
    }
    // Cross-policy rules: per principal where the input defines principals, else per document
    // (a policy alone's ran with it).
    let mut grouped = vec![alone.is_some(); loaded.documents.len()];
    for (pi, (_, idx)) in loaded.principals.iter().enumerate() {
        let mut set: Vec<(&crate::model::Policy, PolicyType)> = idx
            .iter()
            .filter_map(|&i| {
                grouped[i] = true;
                let t = types[i]?;
                loaded.documents[i].policy.as_ref().ok().map(|p| (p, t))
            })
            .collect();
        // the AWS managed policies it attaches, from the shipped corpus (one not there is
        // left out, as `verify` and `scan` name it)
        let (attachments, managed): (Vec<&super::managed::Attachment>, Vec<_>) = loaded
            .managed
            .iter()
            .filter(|a| a.principal == pi)
            .filter_map(|a| Some((a, super::managed::policy(&a.arn, a.by_name)?)))
            .unzip();
        // (one a name not known may attach counts through `extra`, its `Allow`s only)
        set.extend(
            attachments
                .iter()
                .zip(&managed)
                .filter(|(a, _)| !a.maybe)
                .map(|(_, p)| (&**p, PolicyType::Identity)),
        );
        // what a name not known may attach (its `Allow`s): for the cross-policy rules only
        set.extend(
            loaded
                .extra
                .iter()
                .filter(|(i, _)| *i == pi)
                .map(|(_, p)| (p, PolicyType::Identity)),
        );
        if !set.is_empty() {
            let mut found = lint_principal(&set);
            // what an attached AWS managed policy grants on its own (full admin, escalation)
            for p in &managed {
                found.extend(super::managed::own_findings(p));
            }
            for f in &mut found {
                super::managed::relocate(f, &attachments, &managed);
            }
            findings.extend(found);
        }
    }
    for (i, d) in loaded.documents.iter().enumerate() {
        if grouped[i] {
            continue;
        }
        if let (Ok(p), Some(t)) = (&d.policy, types[i]) {
            findings.extend(lint_principal(&[(p, t)]));
        }
    }
    let skipped = loaded
        .skipped
        .as_ref()
        .map(|why| (loaded.name.clone(), why.clone()));
    let summaries = loaded
        .documents
        .iter()
        .zip(&types)
        .map(|(d, t)| DocumentSummary {
            // (`String::from`: `to_string` on an `Arc<str>` goes through `Display`)
            name: String::from(&*d.source.name),
            policy_type: *t,
            failed: d.policy.is_err(),
        })
        .collect();
    // sorted here, on the worker, as `run` sorts all findings (a stable sort on the same
    // key, so equal findings keep their order)
    findings.sort_by(|a, b| a.cmp_sort_key(b));
    let notes = loaded.notes.clone();
    let read = loaded.read.clone();
    FileResult {
        same_as: same_as.into_inner().ok().flatten(),
        found: None,
        read,
        notes,
        loaded: keep.then_some(loaded),
        types,
        summaries,
        findings,
        skipped,
    }
}

/// Lints a small policy and throws the findings away, for what the rules build once per
/// process on the first document that needs it: the action index, the escalation lists, the
/// access-level tables, the date pattern (~13 M instructions). `greenlight lint`
/// calls it on a spare core while it walks the inputs; otherwise the first worker builds them
/// and the others wait for it. (The tables are pure functions of the active catalog: who
/// builds them first changes no result.)
pub fn warm_up() {
    // (a few actions under a date condition reach the tables nearly every document needs;
    // the analysis's action names, which few documents need, are left to the first of them:
    // the full access that reaches them costs as much again to lint)
    const POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": ["s3:GetObject", "iam:PassRole", "ec2:RunInstances", "lambda:CreateFunction",
            "iam:CreatePolicyVersion"], "Resource": "*",
        "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}}]}"#;
    let source = crate::source::Source::new("<warm-up>", POLICY);
    if let Ok(p) = crate::parse::parse_policy(&source) {
        drop(lint_alone(&p, PolicyType::Identity));
    }
}

fn threads_available(opts: &Options) -> usize {
    if opts.threads == 0 {
        crate::par::cores()
    } else {
        opts.threads
    }
}

/// Runs the linter over every input.
pub fn run(opts: &Options) -> Outcome {
    run_inputs(opts, &opts.inputs)
}

/// [`run`] over `inputs` (instead of `opts.inputs`).
fn run_inputs(opts: &Options, inputs: &[Input]) -> Outcome {
    let n = inputs.len();
    let threads = threads_available(opts).clamp(1, n.max(1));
    // With fewer inputs than cores, each input's documents get the spare ones.
    let inner = if n < threads_available(opts) {
        threads_available(opts) / n.max(1)
    } else {
        1
    };
    let same = SameText::default();
    let indexed: Vec<(usize, &Input)> = inputs.iter().enumerate().collect();
    let results: Vec<Box<FileResult>> = crate::par::map_on(&indexed, threads, |&(k, i)| {
        Box::new(lint_input(opts, i, inner, &same, k))
    });
    finish(opts, results, same)
}

/// A worker's results, each with the index of its input.
type Indexed = Vec<(usize, Box<FileResult>)>;

/// Lints input `k` of the run.
fn lint_input(opts: &Options, i: &Input, inner: usize, same: &SameText, k: usize) -> FileResult {
    let mut r = lint_loaded(
        input::load_with(i, &opts.template),
        opts.policy_type,
        opts.one_principal,
        inner,
        same,
        k,
        None,
    );
    if let input::Input::Found(p) = i {
        r.found = Some(crate::discover::paths::display_string(p));
    }
    r
}

/// How many inputs a worker of [`run_streamed`] takes at a time.
const BATCH: usize = 8;

/// [`lint_input`] of a few inputs (each with its index), the single policies of policy
/// files linted together ([`super::lint_alone_many`]: each rule runs on them one after the
/// other, its code still in the instruction cache). The same results as [`lint_input`] of
/// each in turn.
fn lint_batch(opts: &Options, batch: Vec<(usize, Input)>, same: &SameText) -> Indexed {
    let loaded: Vec<Loaded> = batch
        .iter()
        .map(|(_, i)| input::load_with(i, &opts.template))
        .collect();
    let mut pre: Vec<Option<Pre>> = (0..batch.len()).map(|_| None).collect();
    {
        // the policies to lint: (position in the batch, policy, type)
        let mut asks: Vec<(usize, &crate::model::Policy, PolicyType)> = Vec::new();
        for (b, l) in loaded.iter().enumerate() {
            let Some((p, t)) = alone_of(l, opts.policy_type) else {
                continue;
            };
            let k = batch[b].0;
            match first_of_text(same, &l.documents[0], p, t, k) {
                j if j != k => pre[b] = Some(Pre::Same(j)),
                _ => asks.push((b, p, t)),
            }
        }
        let docs: Vec<(&crate::model::Policy, PolicyType)> =
            asks.iter().map(|&(_, p, t)| (p, t)).collect();
        for (&(b, _, _), found) in asks.iter().zip(super::lint_alone_many(&docs)) {
            pre[b] = Some(Pre::Linted(found));
        }
    }
    batch
        .into_iter()
        .zip(loaded)
        .zip(pre)
        .map(|(((k, i), l), pre)| {
            let mut r = lint_loaded(l, opts.policy_type, opts.one_principal, 1, same, k, pre);
            if let input::Input::Found(p) = &i {
                r.found = Some(crate::discover::paths::display_string(p));
            }
            (k, Box::new(r))
        })
        .collect()
}

/// [`run`] over the inputs `feed` hands on (each with its index in the list of inputs, as
/// [`input::expand_each`] does), linted while `feed` still runs: a directory's first files
/// are linted while the walk goes on. `opts.inputs` is not read. The outcome is [`run`]'s
/// on the same list (with fewer inputs than cores, it is [`run`] itself: each input then
/// gets the spare cores).
pub fn run_streamed(
    opts: &Options,
    feed: impl FnOnce(&mut dyn FnMut(usize, Input)) + Send,
) -> Outcome {
    let cores = threads_available(opts).max(1);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Input)>();
    std::thread::scope(|s| {
        s.spawn(move || {
            // (a receiver gone means the run is over: nothing to hand on)
            feed(&mut |k, i| drop(tx.send((k, i))));
        });
        let mut first: std::collections::VecDeque<(usize, Input)> =
            std::collections::VecDeque::new();
        while first.len() < cores {
            match rx.recv() {
                Ok(x) => first.push_back(x),
                Err(_) => {
                    let mut v: Vec<(usize, Input)> = first.into_iter().collect();
                    v.sort_by_key(|(k, _)| *k);
                    let inputs: Vec<Input> = v.into_iter().map(|(_, i)| i).collect();
                    return run_inputs(opts, &inputs);
                }
            }
        }
        // at least as many inputs as cores: one input per worker at a time, as in [`run`]
        let same = SameText::default();
        let pending = std::sync::Mutex::new(first);
        let rx = std::sync::Mutex::new(rx);
        let next = || -> Option<(usize, Input)> {
            if let Some(x) = pending.lock().ok()?.pop_front() {
                return Some(x);
            }
            rx.lock().ok()?.recv().ok()
        };
        let work = || {
            let mut out = Vec::new();
            // (boxed: the results are moved into input order at the end, on one thread; a
            // few inputs at a time, [`lint_batch`])
            loop {
                let mut batch = Vec::with_capacity(BATCH);
                while batch.len() < BATCH {
                    match next() {
                        Some(x) => batch.push(x),
                        None => break,
                    }
                }
                if batch.is_empty() {
                    break;
                }
                out.extend(lint_batch(opts, batch, &same));
            }
            out
        };
        // (on the process's pool, whose threads then render the report with the memory and
        // memos they warmed up; a panic in a worker is raised again here)
        let parts: std::sync::Mutex<Vec<Indexed>> =
            std::sync::Mutex::new(Vec::with_capacity(cores));
        rayon::in_place_scope(|w| {
            for _ in 0..cores {
                w.spawn(|_| {
                    let out = work();
                    if let Ok(mut p) = parts.lock() {
                        p.push(out);
                    }
                });
            }
        });
        let mut all: Vec<(usize, Box<FileResult>)> = parts
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .flatten()
            .collect();
        all.sort_by_key(|(k, _)| *k);
        debug_assert!(all.iter().enumerate().all(|(j, (k, _))| j == *k));
        let results = all.into_iter().map(|(_, r)| r).collect();
        finish(opts, results, same)
    })
}

/// The findings of every input's result, put together: the copies for repeated texts, the
/// files a Terraform module read, the configuration, the sort and the baseline.
// (boxed results: moving thousands of them into input order copies a pointer each)
#[allow(clippy::vec_box)]
fn finish(opts: &Options, mut results: Vec<Box<FileResult>>, same: SameText) -> Outcome {
    // the inputs of a text linted already: the findings of the input that linted it (sorted
    // there as here: the findings of one document differ only in where they point), at this
    // input's document
    for k in 0..results.len() {
        let Some((j, source)) = results[k].same_as.take() else {
            continue;
        };
        let mut v = results.get(j).map_or_else(Vec::new, |r| r.findings.clone());
        for f in &mut v {
            f.source = source.clone();
        }
        results[k].findings = v;
    }
    // A file found by the walk that a Terraform module of the run read as a policy
    // (`file()`, `templatefile()`) is linted there, at its own lines, with the values the
    // module gives it: not again on its own (a template's `${...}` is no policy text)
    let read: std::collections::HashSet<String> = results
        .iter()
        .flat_map(|r| {
            r.read
                .iter()
                .map(|x| crate::iac::terraform::hcl::modules::normalize(x))
        })
        .collect();
    if !read.is_empty() {
        for r in &mut results {
            let Some(name) = &r.found else { continue };
            if r.skipped.is_none()
                && read.contains(&crate::iac::terraform::hcl::modules::normalize(name))
            {
                r.findings.clear();
                r.summaries.clear();
                r.notes.clear();
                r.skipped = Some((
                    name.clone(),
                    "read by a Terraform module with `file()`/`templatefile()`: its policy is linted there, at this file's lines".into(),
                ));
            }
        }
    }

    let mut findings = Vec::with_capacity(results.iter().map(|r| r.findings.len()).sum());
    let mut documents = Vec::with_capacity(results.iter().map(|r| r.summaries.len()).sum());
    let mut notes = Vec::new();
    let mut skipped = Vec::new();
    for r in &mut results {
        findings.append(&mut r.findings);
        documents.append(&mut r.summaries);
        notes.append(&mut r.notes);
        skipped.extend(r.skipped.take());
    }
    if opts.one_principal {
        let set: Vec<(&crate::model::Policy, PolicyType)> = results
            .iter()
            .filter_map(|r| Some(r.loaded.as_ref()?.documents.iter().zip(&r.types)))
            .flatten()
            .filter_map(|(d, t)| {
                let t = (*t)?;
                if !t.is_identity_like() {
                    return None;
                }
                d.policy.as_ref().ok().map(|p| (p, t))
            })
            .collect();
        if set.len() > 1 {
            findings.extend(lint_principal(&set));
        }
    }
    findings.retain_mut(|f| opts.config.apply(f));
    // (each input's findings come sorted from its worker: in input order, the stable sort
    // here mostly merges sorted runs, and keeps the order of equal keys; a walk's inputs come
    // in the order of their names, where they are sorted already)
    // (one pass over the neighbours says whether to sort and whether to look for repeats)
    let (mut sorted, mut repeats) = (true, false);
    for w in findings.windows(2) {
        match w[0].cmp_sort_key(&w[1]) {
            std::cmp::Ordering::Less => {}
            std::cmp::Ordering::Equal => repeats = true,
            std::cmp::Ordering::Greater => {
                sorted = false;
                break;
            }
        }
    }
    if !sorted {
        findings.sort_by(|a, b| a.cmp_sort_key(b));
        repeats = true;
    }
    if repeats {
        findings.dedup_by(|a, b| a.cmp_sort_key(b).is_eq());
    }
    let baselined = opts
        .baseline
        .as_ref()
        .map_or(0, |b| b.filter(&mut findings));
    // the keys of the documents of the same text and the inputs' results (thousands of
    // small blocks the workers allocated) go with the outcome: off the path to the report
    Outcome {
        findings,
        documents,
        baselined,
        notes,
        skipped,
        _leftovers: Leftovers {
            _held: vec![Box::new(results), Box::new(same)],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An outcome's findings (code, file, span, message) and documents, as text to compare.
    fn shown(o: &Outcome) -> (Vec<String>, Vec<String>) {
        let findings = o
            .findings
            .iter()
            .map(|f| format!("{} {} {:?} {}", f.rule.code, f.file(), f.span, f.message))
            .collect();
        let docs = o
            .documents
            .iter()
            .map(|d| format!("{} {:?} {}", d.name, d.policy_type, d.failed))
            .collect();
        (findings, docs)
    }

    /// The documents of one authorization-details file are linted on the spare cores when
    /// it is the only input; the result is the same as on one thread.
    #[test]
    fn one_large_input_gives_the_same_result_on_any_number_of_threads() {
        let gz = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/authz/small.json.gz"),
        )
        .unwrap();
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut text).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("small.json");
        std::fs::write(&file, &text).unwrap();
        let outcome = |threads: usize| {
            let o = run(&Options {
                inputs: vec![Input::File(file.clone())],
                threads,
                ..Options::default()
            });
            shown(&o)
        };
        let one = outcome(1);
        assert!(one.1.len() > 400, "{}", one.1.len());
        assert!(one.0.len() > 100, "{}", one.0.len());
        assert_eq!(outcome(2), one);
        assert_eq!(outcome(5), one);
    }

    /// Linting the inputs as a walk hands them on gives what linting the walk's list gives,
    /// on any number of threads: the findings (repeated texts too), the documents in input
    /// order, the skipped files, and a Terraform child module linted through its caller only
    /// (its folder comes last in the walk, its index where the list has it).
    #[test]
    fn inputs_linted_as_the_walk_finds_them_give_the_same_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let policy = |action: &str, resource: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "{action}", "Resource": "{resource}"}}]}}"#
            )
        };
        for k in 0..30 {
            let text = match k % 5 {
                0 => policy("iam:PassRole", "*"),
                1 => policy("s3:GetObject", "arn:aws:s3:::b/*"),
                2 => policy("ec2:*", "*"),
                3 => policy("s3:GetObject", "arn:aws:sqs:us-east-1:111122223333:q"),
                _ => format!("{{\"Version\": \"2012-10-17\", \"Statement\": [{k}]}}"),
            };
            std::fs::write(dir.path().join(format!("p{k:02}.json")), text).unwrap();
        }
        std::fs::write(dir.path().join("package.json"), r#"{"name": "x"}"#).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let root = dir.path().join("infra");
        std::fs::create_dir_all(root.join("modules/role")).unwrap();
        std::fs::write(
            root.join("main.tf"),
            "module \"role\" {\n  source = \"./modules/role\"\n}\n",
        )
        .unwrap();
        std::fs::write(
            root.join("modules/role/main.tf"),
            r#"resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }]
  })
}
"#,
        )
        .unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        let args = vec![dir.path().display().to_string()];
        let show = |o: &Outcome| {
            let (findings, docs) = shown(o);
            (findings, docs, o.skipped.clone())
        };
        let listed = input::expand(&args);
        let want = show(&run(&Options {
            inputs: listed,
            threads: 1,
            ..Options::default()
        }));
        assert!(want.0.len() > 20, "{:?}", want.0);
        assert!(want.1.len() > 30, "{:?}", want.1);
        assert!(
            want.2
                .iter()
                .any(|(f, why)| f.ends_with("main.tf") && why.contains("child module")),
            "{:?}",
            want.2
        );
        for threads in [1, 2, 3, 8] {
            let opts = Options {
                threads,
                ..Options::default()
            };
            let got = run_streamed(&opts, |sink| {
                input::expand_each(&args, &crate::discover::WalkOptions::default(), sink);
            });
            assert_eq!(show(&got), want, "{threads}");
        }
        // fewer inputs than threads: each input gets the spare ones, as in `run`
        let one = vec![dir.path().join("p00.json").display().to_string()];
        let want_one = show(&run(&Options {
            inputs: input::expand(&one),
            threads: 4,
            ..Options::default()
        }));
        let got_one = run_streamed(
            &Options {
                threads: 4,
                ..Options::default()
            },
            |sink| input::expand_each(&one, &crate::discover::WalkOptions::default(), sink),
        );
        assert_eq!(show(&got_one), want_one);
    }
}
