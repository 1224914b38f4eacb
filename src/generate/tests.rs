use super::*;
use crate::profiles;

fn user() -> (&'static Profile, ResolvedParams) {
    let p = profiles::get("ecs-bluegreen-codedeploy-user").unwrap();
    let params = p.resolve_params(&BTreeMap::new(), None).unwrap();
    (p, params)
}

fn expanded(p: &Profile, params: &ResolvedParams) -> Vec<ExpandedRequest> {
    check::expand_requests(p, &p.requests(params).unwrap()).unwrap()
}

#[test]
fn pass_role_statements_are_split_by_passed_to_service() {
    let (p, params) = user();
    let st = build_statements(&expanded(p, &params)).unwrap();
    let pass: Vec<&GenStatement> = st
        .iter()
        .filter(|s| s.actions == ["iam:PassRole"])
        .collect();
    assert_eq!(pass.len(), 2);
    assert_eq!(pass[0].sid, "PassRoleToCodeDeploy");
    assert_eq!(
        pass[0].conditions["StringEquals"]["iam:PassedToService"],
        ["codedeploy.amazonaws.com"]
    );
    assert_eq!(pass[1].resources.len(), 2);
    // Every Sid is unique.
    let sids: BTreeSet<&str> = st.iter().map(|s| s.sid.as_str()).collect();
    assert_eq!(sids.len(), st.len());
}

#[test]
fn size_ignores_white_space() {
    assert_eq!(policy_size("{ \"a\" :\n\t\"b c\" }"), 10);
}

#[test]
fn self_check_rejects_an_action_outside_the_profile() {
    let (p, params) = user();
    let all = expanded(p, &params);
    let mut st = build_statements(&all).unwrap();
    st[0].actions.push("codedeploy:DeleteApplication".into());
    let doc = render_policy(&st);
    let err = self_check(p, &params, &all, &[doc], None).unwrap_err();
    assert!(
        err.to_string().contains("codedeploy:DeleteApplication"),
        "{err}"
    );
}

#[test]
fn self_check_rejects_a_policy_with_gaps() {
    let (p, params) = user();
    let all = expanded(p, &params);
    let mut st = build_statements(&all).unwrap();
    st.retain(|s| s.actions != ["iam:PassRole"]);
    let err = self_check(p, &params, &all, &[render_policy(&st)], None).unwrap_err();
    assert!(err.to_string().contains("iam:PassRole"), "{err}");
}

#[test]
fn self_check_rejects_an_oversized_document() {
    let (p, params) = user();
    let all = expanded(p, &params);
    let doc = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [], \"x\": \"{}\"}}",
        "a".repeat(7000)
    );
    let err = self_check(p, &params, &all, &[doc], None).unwrap_err();
    assert!(err.to_string().contains("6144"), "{err}");
}

#[test]
fn large_statement_sets_are_split_under_the_quota() {
    let statements: Vec<GenStatement> = (0..40)
        .map(|i| GenStatement {
            sid: format!("S{i}"),
            actions: vec!["codedeploy:GetApplication".into()],
            resources: (0..4)
                .map(|j| {
                    format!("arn:aws:codedeploy:us-east-1:123456789012:application:app-{i}-{j}")
                })
                .collect(),
            conditions: BTreeMap::new(),
        })
        .collect();
    let docs = split(&statements);
    assert!(docs.len() > 1);
    assert_eq!(docs.iter().map(Vec::len).sum::<usize>(), 40);
    for d in &docs {
        assert!(policy_size(&render_policy(d)) <= MAX_POLICY_CHARS);
    }
}

#[test]
fn rendered_policy_parses_and_keeps_key_order() {
    let (p, params) = user();
    let st = build_statements(&expanded(p, &params)).unwrap();
    let text = render_policy(&st);
    let policy = crate::parse::parse_policy(&Source::new("g.json", text.as_str())).unwrap();
    assert_eq!(policy.statements.len(), st.len());
    let sid = text.find("\"Sid\"").unwrap();
    let effect = text.find("\"Effect\"").unwrap();
    let action = text.find("\"Action\"").unwrap();
    assert!(sid < effect && effect < action);
}

#[test]
fn self_check_rejects_pass_role_on_a_wildcard() {
    let (p, params) = user();
    let all = expanded(p, &params);
    let mut st = build_statements(&all).unwrap();
    for s in &mut st {
        if s.actions == ["iam:PassRole"] {
            s.resources = vec!["arn:aws:iam::123456789012:role/*".into()];
        }
    }
    let err = self_check(p, &params, &all, &[render_policy(&st)], None).unwrap_err();
    assert!(err.to_string().contains("wildcard"), "{err}");
}

#[test]
fn stdout_is_one_json_value_for_any_number_of_documents() {
    let (p, params) = user();
    let st = build_statements(&expanded(p, &params)).unwrap();
    let half = st.len() / 2;
    let a = render_policy(&st[..half]);
    let b = render_policy(&st[half..]);
    // None: an empty array.
    let v: serde_json::Value = serde_json::from_str(&output::stdout_json(&[])).unwrap();
    assert_eq!(v, serde_json::json!([]));
    // One: the document itself.
    let v: serde_json::Value =
        serde_json::from_str(&output::stdout_json(std::slice::from_ref(&a))).unwrap();
    assert_eq!(v, serde_json::from_str::<serde_json::Value>(&a).unwrap());
    // Two: an array of both, in order, each equal to its document.
    let text = output::stdout_json(&[a.clone(), b.clone()]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(
        arr[0],
        serde_json::from_str::<serde_json::Value>(&a).unwrap()
    );
    assert_eq!(
        arr[1],
        serde_json::from_str::<serde_json::Value>(&b).unwrap()
    );
    assert!(text.ends_with("]\n"));
}

#[test]
fn out_dir_file_names_count_from_one() {
    let id = "ecs-bluegreen-codedeploy-user";
    assert_eq!(
        output::document_file_name(id, 1),
        "ecs-bluegreen-codedeploy-user-1.json"
    );
    assert_eq!(
        output::trust_file_name(id),
        "ecs-bluegreen-codedeploy-user-trust.json"
    );
    assert_eq!(
        output::document_number(id, &output::document_file_name(id, 12)),
        Some(12)
    );
    for other in [
        "ecs-bluegreen-codedeploy-user-trust.json",
        "ecs-bluegreen-codedeploy-user-01.json",
        "ecs-bluegreen-codedeploy-user-.json",
        "ecs-bluegreen-codedeploy-user-1.json.bak",
        "other-1.json",
    ] {
        assert_eq!(output::document_number(id, other), None, "{other}");
    }
}
