//! `aws:ResourceAccount` is the account that owns the resource
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount>):
//! a request on an ARN that names account A carries `A` (or, for the few actions without the
//! key, nothing). `diff` and `verify` no longer answer with requests AWS never makes (an SQS
//! queue of account `example` with `aws:ResourceAccount` 111122223333), and still find every
//! request AWS does make.

use crate::support::cli::*;

const OLD: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:*:111122223333:*"}]}"#;
const NEW: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:*:*:*", "Condition": {"StringEquals": {"aws:ResourceAccount": "111122223333"}}}]}"#;

/// Naming the account in the ARN or in `aws:ResourceAccount` grants the same queues: nothing
/// is added. (Removed: a request without the key, which the old policy allows.)
#[test]
fn account_in_the_arn_or_in_the_key_adds_nothing() {
    let d = tempfile::tempdir().unwrap();
    let old = write(d.path(), "old.json", OLD);
    let new = write(d.path(), "new.json", NEW);
    let o = greenlight(d.path(), &["diff", &old, &new, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let v = parsed(&o);
    assert_eq!(v["summary"]["added"], 0, "{}", show(&o));
    for g in v["removed"].as_array().unwrap() {
        assert!(
            g["example"]["context"].as_object().unwrap().is_empty(),
            "{g}"
        );
    }
}

/// The counterexample's ARN is in the account the condition names; a queue of another
/// account is not granted (the key then names that account).
#[test]
fn verify_counterexample_names_the_key_account() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "p.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceAccount": "444455556666"}}}]}"#,
    );
    let o = greenlight(
        d.path(),
        &[
            "verify",
            &p,
            "--not-granted",
            "sqs:SendMessage",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    let c = &v["assertions"][0]["counterexamples"][0];
    assert_eq!(c["context"]["aws:ResourceAccount"], "444455556666", "{c}");
    assert_eq!(
        c["resource"].as_str().unwrap().split(':').nth(4),
        Some("444455556666"),
        "{c}"
    );
    let o = greenlight(
        d.path(),
        &[
            "verify",
            &p,
            "--not-granted",
            "sqs:SendMessage",
            "--on",
            "arn:aws:sqs:us-east-1:111122223333:orders",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
}

/// A guardrail `Deny` unless the resource is in 111122223333 (`StringNotEquals`, true when the
/// key is absent too: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>):
/// a queue of 444455556666 is never reachable (it was a false alarm: the queue with the key
/// naming 111122223333), a queue of 111122223333 is.
#[test]
fn a_guardrail_on_the_key_holds_for_other_accounts() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "p.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"},
  {"Effect": "Deny", "Action": "sqs:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceAccount": "111122223333"}}}
]}"#,
    );
    let verify = |on: &str| {
        greenlight(
            d.path(),
            &["verify", &p, "--not-granted", "sqs:SendMessage", "--on", on],
        )
    };
    let o = verify("arn:aws:sqs:us-east-1:111122223333:orders");
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let o = verify("arn:aws:sqs:us-east-1:444455556666:orders");
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
}

/// A `Deny` when the key names 444455556666 (`StringEquals`, false when the key is absent): a
/// queue of that account is still reachable by a request without the key; the tie never
/// takes the absent key away.
#[test]
fn the_absent_key_stays_a_request() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "p.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"},
  {"Effect": "Deny", "Action": "sqs:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceAccount": "444455556666"}}}
]}"#,
    );
    let o = greenlight(
        d.path(),
        &[
            "verify",
            &p,
            "--not-granted",
            "sqs:SendMessage",
            "--on",
            "arn:aws:sqs:us-east-1:444455556666:orders",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    for c in v["assertions"][0]["counterexamples"].as_array().unwrap() {
        assert!(c["context"].get("aws:ResourceAccount").is_none(), "{c}");
    }
}

/// A pattern on the key (`StringLike`) leaves it free: the same answer as before, never fewer
/// requests.
#[test]
fn a_pattern_on_the_key_leaves_it_free() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "p.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:*:999988887777:*", "Condition": {"StringLike": {"aws:ResourceAccount": "1111*"}}}]}"#,
    );
    let o = greenlight(
        d.path(),
        &["verify", &p, "--not-granted", "sqs:SendMessage"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
}
