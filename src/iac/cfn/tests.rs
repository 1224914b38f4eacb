//! Intrinsic functions and resources, each case after the CloudFormation reference:
//! https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
//! https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html

use super::*;
use crate::model::{ActionPattern, ResourceBlock};

fn load_text(text: &str, inputs: &Inputs) -> Result<Template, ParseError> {
    load(&Source::new("t.yaml", text), inputs)
}

fn one(text: &str) -> Extract {
    let t = load_text(text, &Inputs::default()).unwrap();
    assert_eq!(t.variants.len(), 1);
    t.variants.into_iter().next().unwrap()
}

fn err(text: &str) -> String {
    load_text(text, &Inputs::default()).unwrap_err().message
}

fn resources(x: &Extract, path: &str) -> Vec<String> {
    let d = x.docs.iter().find(|d| d.path == path).unwrap_or_else(|| {
        panic!(
            "{path}: {:?}",
            x.docs.iter().map(|d| &d.path).collect::<Vec<_>>()
        )
    });
    let p = d.policy.as_ref().unwrap();
    p.statements
        .iter()
        .flat_map(|s| match &s.resource {
            Some(ResourceBlock { items, .. }) => items.iter().map(|r| r.value.clone()).collect(),
            None => Vec::new(),
        })
        .collect()
}

/// CDK writes managed policy ARNs as `Fn::Join` with `AWS::Partition`
/// (https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_iam.ManagedPolicy.html#static-fromwbrawswbrmanagedwbrpolicywbrnamemanagedpolicyname).
#[test]
fn cdk_managed_policy_arns_resolve_to_the_aws_managed_policy() {
    let text = r#"{"Resources": {"TaskRole": {"Type": "AWS::IAM::Role", "Properties": {
      "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
      "ManagedPolicyArns": [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]]}]}}}}"#;
    for region in [None, Some("cn-north-1")] {
        let inputs = Inputs {
            region: region.map(str::to_string),
            ..Inputs::default()
        };
        let t = load(&Source::new("t.json", text), &inputs).unwrap();
        let p = &t.variants[0].principals[0];
        assert_eq!(p.logical_id, "TaskRole");
        assert_eq!(
            p.identity,
            vec![Attached::Aws(
                "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy".into()
            )]
        );
        assert!(p.trust.is_some());
    }
}

#[test]
fn sub_both_forms_getatt_and_literal_variables() {
    let x = one(r#"
Parameters:
  Env: {Type: String, Default: prod}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Sub "data-${Env}"}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource:
                  - !Sub "${Bucket.Arn}/home/${!aws:username}/*"
                  - !Sub ["arn:${AWS::Partition}:s3:::${B}/x", {B: !Ref Bucket}]
                  - !Join ["", [!GetAtt Bucket.Arn, "/y"]]
                  - !Select [1, !Split [",", "a,arn:aws:s3:::z"]]
"#);
    assert_eq!(
        resources(&x, "Resources/Role/Policies/p"),
        vec![
            "arn:aws:s3:::data-prod/home/${aws:username}/*",
            "arn:aws:s3:::data-prod/x",
            "arn:aws:s3:::data-prod/y",
            "arn:aws:s3:::z",
        ]
    );
}

#[test]
fn a_policy_variable_inside_sub_must_be_escaped() {
    let e = err(r#"
Resources:
  R:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !Sub "arn:aws:s3:::b/${aws:username}"}]}
"#);
    assert!(e.contains("`${aws:username}` names no parameter"), "{e}");
}

#[test]
fn policy_spans_point_at_the_template_line_and_column() {
    let text = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: 2012-10-17\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n";
    let x = one(text);
    let p = x.docs[0].policy.as_ref().unwrap();
    let a: &ActionPattern = &p.statements[0].action.items[0];
    let lc = x.docs[0].source.line_col(a.span.start);
    assert_eq!((lc.line, lc.column), (9, 21));
    assert_eq!(&*x.docs[0].source.name, "t.yaml#Resources/P/PolicyDocument");
}

#[test]
fn unknown_values_are_named_placeholders_never_wildcards() {
    let t = load_text(r#"
Parameters:
  Other: {Type: String}
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: [!GetAtt Bucket.Arn, !ImportValue SharedBucketArn, !Ref Other, !Sub "arn:aws:s3:::${AWS::AccountId}"]
"#, &Inputs::default()).unwrap();
    let r = resources(&t.variants[0], "Resources/P/PolicyDocument");
    assert_eq!(r[0], "arn:aws:s3:::UNKNOWN-Bucket-name");
    // a whole placeholder in `Resource` is typed as an ARN of the statement's service
    assert_eq!(r[1], "arn:aws:s3:::UNKNOWN-ImportValue-SharedBucketArn");
    assert_eq!(r[2], "arn:aws:s3:::UNKNOWN-Parameter-Other");
    assert_eq!(r[3], "arn:aws:s3:::000000000000");
    assert!(r.iter().all(|x| !x.contains('*') && !x.contains('?')));
    for p in [
        "UNKNOWN-Bucket-name",
        "UNKNOWN-ImportValue-SharedBucketArn",
        "UNKNOWN-Parameter-Other",
        "000000000000",
    ] {
        assert!(
            t.unknowns.contains_key(p),
            "{p} not named: {:?}",
            t.unknowns
        );
    }
}

/// The default of an `AWS::SSM::Parameter::Value<...>` parameter names the SSM parameter;
/// its value is read at deploy time
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types).
#[test]
fn ssm_parameter_defaults_are_not_values() {
    let t = load_text("Parameters:\n  B: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /app/bucket}\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties: {PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !Sub 'arn:aws:s3:::${B}/*'}]}}\n", &Inputs::default()).unwrap();
    assert_eq!(
        resources(&t.variants[0], "Resources/P/PolicyDocument"),
        vec!["arn:aws:s3:::UNKNOWN-Parameter-B/*"]
    );
}

const CONDITIONAL: &str = r#"
Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: !If [IsProd, "arn:aws:s3:::prod/*", "arn:aws:s3:::test/*"]
  Extra:
    Type: AWS::IAM::ManagedPolicy
    Condition: NotProd
    Properties:
      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: s3:PutObject, Resource: "*"}]}
"#;

#[test]
fn conditions_are_decided_from_parameter_values() {
    let inputs = Inputs {
        params: [("Env".to_string(), "prod".to_string())].into(),
        ..Inputs::default()
    };
    let t = load_text(CONDITIONAL, &inputs).unwrap();
    assert_eq!(t.variants.len(), 1);
    assert_eq!(
        resources(&t.variants[0], "Resources/P/PolicyDocument"),
        vec!["arn:aws:s3:::prod/*"]
    );
    assert!(!t.variants[0].docs.iter().any(|d| d.path.contains("Extra")));
}

#[test]
fn undecidable_conditions_check_every_branch_and_say_which() {
    let t = load_text(CONDITIONAL, &Inputs::default()).unwrap();
    assert!(t.undecided.contains("IsProd"));
    let mut seen = Vec::new();
    for x in &t.variants {
        let r = resources(x, "Resources/P/PolicyDocument");
        let extra = x.docs.iter().any(|d| d.path.contains("Extra"));
        seen.push((Template::describe(&x.assumed), r[0].clone(), extra));
    }
    assert!(
        seen.iter()
            .any(|(w, r, e)| w.contains("IsProd=true") && r == "arn:aws:s3:::prod/*" && !e)
    );
    assert!(
        seen.iter()
            .any(|(w, r, e)| w.contains("IsProd=false") && r == "arn:aws:s3:::test/*" && *e)
    );
}

fn actions(x: &Extract, path: &str) -> Vec<String> {
    let d = x.docs.iter().find(|d| d.path == path).unwrap();
    let p = d.policy.as_ref().unwrap();
    p.statements
        .iter()
        .flat_map(|s| {
            s.action
                .items
                .iter()
                .map(|a: &ActionPattern| a.text.clone())
        })
        .collect()
}

/// A role whose `Action` is chosen by nested `Fn::If`s, as the CloudFormation reference
/// allows (`Fn::If` in either branch of another `Fn::If`:
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-if).
fn nested_if(action: &str, conditions: &str) -> String {
    format!(
        "Parameters:\n  Env: {{Type: String}}\n  Mode: {{Type: String}}\nConditions:\n{conditions}Resources:\n  R:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: {{Version: 2012-10-17, Statement: [{{Effect: Allow, Action: {action}, Resource: '*'}}]}}\n"
    )
}

/// Red-team 8, finding 1: `IsSafe` is reached only when `IsProd` is false; CloudFormation
/// deploys whatever parameter values are passed, so the `*` branch is a real outcome and must
/// be a variant (it used to be resolved with `IsSafe` silently taken as true).
#[test]
fn a_condition_reached_only_inside_another_if_branch_is_tried_both_ways() {
    let text = nested_if(
        "!If [IsProd, s3:GetObject, !If [IsSafe, s3:ListBucket, '*']]",
        "  IsProd: !Equals [!Ref Env, prod]\n  IsSafe: !Equals [!Ref Mode, safe]\n",
    );
    let t = load_text(&text, &Inputs::default()).unwrap();
    let seen: Vec<(String, Vec<String>)> = t
        .variants
        .iter()
        .map(|x| {
            (
                Template::describe(&x.assumed),
                actions(x, "Resources/R/PolicyDocument"),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "IsProd=false, IsSafe=false".to_string(),
                vec!["*".to_string()]
            ),
            (
                "IsProd=false, IsSafe=true".to_string(),
                vec!["s3:ListBucket".to_string()]
            ),
            ("IsProd=true".to_string(), vec!["s3:GetObject".to_string()]),
        ]
    );
    assert_eq!(
        t.undecided.iter().cloned().collect::<Vec<_>>(),
        vec!["IsProd", "IsSafe"]
    );
}

/// A condition defined from another (`Fn::Not`, `Fn::And`, `Condition`) is never given a
/// value its definition contradicts: with `IsTest: !Not [!Condition IsProd]` false, `IsProd`
/// is true, so the `*` branch below cannot be deployed. A condition that reads an undecided
/// one and a parameter (`ProdSafe`) is itself tried both ways.
#[test]
fn conditions_defined_from_undecided_conditions_are_consistent() {
    let text = nested_if(
        "!If [IsTest, s3:ListBucket, !If [IsProd, !If [ProdSafe, s3:GetObject, s3:PutObject], '*']]",
        "  IsProd: !Equals [!Ref Env, prod]\n  IsTest: !Not [!Condition IsProd]\n  ProdSafe: !And [!Condition IsProd, !Equals [!Ref Mode, safe]]\n",
    );
    let t = load_text(&text, &Inputs::default()).unwrap();
    let all: Vec<String> = t
        .variants
        .iter()
        .flat_map(|x| actions(x, "Resources/R/PolicyDocument"))
        .collect();
    assert!(!all.contains(&"*".to_string()), "{all:?}");
    for a in ["s3:ListBucket", "s3:GetObject", "s3:PutObject"] {
        assert!(all.contains(&a.to_string()), "{a}: {all:?}");
    }
}

/// A parameter has one value in a stack, and `Fn::Equals` compares strings as they are
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-equals):
/// `IsProd` (`Env` = `prod`) and `IsDev` (`dev` = `Env`, the literal first) are never both
/// true, `NotProd` (`!Not [!Equals ...]`) is `IsProd`'s negation, and with `AllowedValues`
/// `[prod, dev]` one of `IsProd` and `IsDev` holds. The Region, when not given, has one value
/// too. Comparisons of two parameters, of a parameter that has a value set aside, of a `Number`
/// parameter stay free.
#[test]
fn comparisons_of_one_parameter_are_tied() {
    let combos = |conditions: &str, action: &str, params: &str| -> Vec<Vec<String>> {
        let text = format!(
            "Parameters:\n  Env: {{Type: String{params}}}\n  Other: {{Type: String}}\n  N: {{Type: Number}}\nConditions:\n{conditions}Resources:\n  R:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: {{Version: 2012-10-17, Statement: [{{Effect: Allow, Action: {action}, Resource: '*'}}]}}\n"
        );
        let t = load_text(&text, &Inputs::default()).unwrap();
        let mut out: Vec<Vec<String>> = t
            .variants
            .iter()
            .map(|x| actions(x, "Resources/R/PolicyDocument"))
            .collect();
        out.sort();
        out
    };
    let two = "  IsProd: !Equals [!Ref Env, prod]\n  IsDev: !Equals [dev, !Ref Env]\n";
    let action = "[!If [IsProd, s3:GetObject, !Ref AWS::NoValue], !If [IsDev, s3:PutObject, !Ref AWS::NoValue]]";
    // never both
    assert_eq!(
        combos(two, action, ""),
        vec![
            vec![],
            vec!["s3:GetObject".to_string()],
            vec!["s3:PutObject".to_string()]
        ]
    );
    // one of them with `AllowedValues`
    assert_eq!(
        combos(two, action, ", AllowedValues: [prod, dev]"),
        vec![
            vec!["s3:GetObject".to_string()],
            vec!["s3:PutObject".to_string()]
        ]
    );
    // a literal outside `AllowedValues` is never equal
    let staging = "  IsStaging: !Equals [!Ref Env, staging]\n  IsDev: !Equals [dev, !Ref Env]\n";
    assert_eq!(
        combos(
            staging,
            "[!If [IsStaging, s3:GetObject, !Ref AWS::NoValue], !If [IsDev, s3:PutObject, !Ref AWS::NoValue]]",
            ", AllowedValues: [prod, dev]"
        ),
        vec![vec![], vec!["s3:PutObject".to_string()]]
    );
    // a negation: `NotProd` and `IsProd` are never alike
    let not = "  IsProd: !Equals [!Ref Env, prod]\n  NotProd: !Not [!Equals [!Ref Env, prod]]\n";
    assert_eq!(
        combos(
            not,
            "[!If [IsProd, s3:GetObject, !Ref AWS::NoValue], !If [NotProd, s3:PutObject, !Ref AWS::NoValue]]",
            ""
        ),
        vec![
            vec!["s3:GetObject".to_string()],
            vec!["s3:PutObject".to_string()]
        ]
    );
    // the Region
    let region = "  East: !Equals [!Ref AWS::Region, us-east-1]\n  West: !Equals [!Ref AWS::Region, us-west-2]\n";
    assert_eq!(
        combos(
            region,
            "[!If [East, s3:GetObject, !Ref AWS::NoValue], !If [West, s3:PutObject, !Ref AWS::NoValue]]",
            ""
        )
        .len(),
        3
    );
    // free: two parameters, a `Number` parameter
    let free = "  IsProd: !Equals [!Ref Env, prod]\n  OtherProd: !Equals [!Ref Other, dev]\n";
    assert_eq!(
        combos(
            free,
            "[!If [IsProd, s3:GetObject, !Ref AWS::NoValue], !If [OtherProd, s3:PutObject, !Ref AWS::NoValue]]",
            ""
        )
        .len(),
        4
    );
    let num = "  One: !Equals [!Ref N, 1]\n  Two: !Equals [!Ref N, '1.0']\n";
    assert_eq!(
        combos(
            num,
            "[!If [One, s3:GetObject, !Ref AWS::NoValue], !If [Two, s3:PutObject, !Ref AWS::NoValue]]",
            ""
        )
        .len(),
        4
    );
}

/// What the variants stand for counts the tied comparisons: a document alike in the only two
/// combinations `AllowedValues: [prod, dev]` leaves is in every one.
#[test]
fn tied_comparisons_count_in_every_combination() {
    let text = "Parameters:\n  Env: {Type: String, AllowedValues: [prod, dev]}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n  IsDev: !Equals [!Ref Env, dev]\nResources:\n  R:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: [s3:GetObject, !If [IsProd, s3:PutObject, !Ref AWS::NoValue], !If [IsDev, s3:DeleteObject, !Ref AWS::NoValue]], Resource: '*'}]}\n";
    let t = load_text(text, &Inputs::default()).unwrap();
    assert_eq!(t.variants.len(), 2);
    assert!(t.in_every(&[0, 1]));
    assert!(!t.in_every(&[0]));
}

/// `AWS::Partition` is the partition of the stack's Region
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html#cfn-pseudo-param-partition):
/// without `--region` a comparison with it is not decided (red team 38: the `aws-cn` branch
/// was dropped), and two comparisons of it are tied; with a Region it is decided.
#[test]
fn partition_comparisons_wait_for_the_region() {
    let text = "Conditions:\n  Cn: !Equals [!Ref AWS::Partition, aws-cn]\n  Gov: !Equals [!Sub '${AWS::Partition}', aws-us-gov]\nResources:\n  R:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: [!If [Cn, s3:GetObject, !Ref AWS::NoValue], !If [Gov, s3:PutObject, !Ref AWS::NoValue]], Resource: '*'}]}\n";
    let t = load_text(text, &Inputs::default()).unwrap();
    // neither, China, GovCloud; never both
    assert_eq!(t.variants.len(), 3);
    let inputs = Inputs {
        region: Some("cn-north-1".into()),
        ..Inputs::default()
    };
    let t = load_text(text, &inputs).unwrap();
    assert_eq!(t.variants.len(), 1);
    assert_eq!(
        actions(&t.variants[0], "Resources/R/PolicyDocument"),
        ["s3:GetObject"]
    );
}

/// More undecidable conditions than greenlight enumerates is an error, also when they are
/// reached only one inside another: never a guess.
#[test]
fn too_many_nested_undecidable_conditions_are_an_error() {
    let mut conds = String::new();
    let mut action = "'*'".to_string();
    for i in 0..=MAX_UNDECIDED {
        conds.push_str(&format!("  C{i}: !Equals [!Ref Env, v{i}]\n"));
        action = format!("!If [C{i}, s3:GetObject, {action}]");
    }
    let e = err(&nested_if(&action, &conds));
    assert!(e.contains("conditions cannot be decided"), "{e}");
}

#[test]
fn circular_references_and_conditions_are_errors() {
    let e = err(
        "Resources:\n  A: {Type: AWS::S3::Bucket, Properties: {BucketName: !Ref B}}\n  B: {Type: AWS::S3::Bucket, Properties: {BucketName: !Ref A}}\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties: {PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !GetAtt A.Arn}]}}\n",
    );
    assert!(e.contains("circular reference"), "{e}");
    let e = err(
        "Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  Q:\n    Type: AWS::S3::Bucket\n    Condition: A\n",
    );
    assert!(e.contains("circular condition"), "{e}");
}

#[test]
fn find_in_map_get_azs_and_no_value() {
    let x = one(r#"
Mappings:
  Buckets: {prod: {Name: prod-data}}
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource:
              - !Sub ["arn:aws:s3:::${N}", {N: !FindInMap [Buckets, prod, Name]}]
              - !Ref AWS::NoValue
            Condition:
              StringEquals:
                aws:RequestedRegion: !Select [0, !GetAZs ""]
"#);
    assert_eq!(
        resources(&x, "Resources/P/PolicyDocument"),
        vec!["arn:aws:s3:::prod-data"]
    );
}

#[test]
fn macros_are_refused() {
    let e = err("Transform: MyMacro\nResources:\n  B: {Type: AWS::S3::Bucket}\n");
    assert!(e.contains("transform greenlight cannot run"), "{e}");
    // a loop without the transform that expands it
    let e = err(
        "Resources:\n  Fn::ForEach::Buckets:\n    - B\n    - [x, y]\n    - Bucket${B}:\n        Type: AWS::S3::Bucket\n",
    );
    assert!(
        e.contains("needs the `AWS::LanguageExtensions` transform"),
        "{e}"
    );
}

/// `Fn::ForEach` (AWS::LanguageExtensions,
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html):
/// every `${Identifier}` and `&{Identifier}` (letters and digits only) in the fragment's keys
/// and values, and `Ref: Identifier`, take each value of the collection, a list or a
/// `CommaDelimitedList` parameter; loops nest; an unknown collection is an error.
#[test]
fn for_each_loops_are_expanded() {
    let text = r#"Transform: AWS::LanguageExtensions
Parameters:
  Buckets:
    Type: CommaDelimitedList
    Default: "logs,data-eu"
Resources:
  Fn::ForEach::Readers:
    - Name
    - !Ref Buckets
    - Fn::ForEach::Verbs:
        - Verb
        - [Get]
        - Reader&{Name}${Verb}:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Action: !Sub "s3:${Verb}Object"
                    Resource:
                      - !Sub "arn:aws:s3:::${Name}/*"
                      - !Join ["", ["arn:aws:s3:::", !Ref Name]]
"#;
    let x = one(text);
    assert_eq!(
        resources(&x, "Resources/ReaderlogsGet/PolicyDocument"),
        vec!["arn:aws:s3:::logs/*", "arn:aws:s3:::logs"]
    );
    assert_eq!(
        resources(&x, "Resources/ReaderdataeuGet/PolicyDocument"),
        vec!["arn:aws:s3:::data-eu/*", "arn:aws:s3:::data-eu"]
    );
    // the value of --template-param
    let inputs = Inputs {
        params: [("Buckets".to_string(), "one".to_string())].into(),
        ..Inputs::default()
    };
    let t = load_text(text, &inputs).unwrap();
    let paths: Vec<&str> = t.variants[0].docs.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["Resources/ReaderoneGet/PolicyDocument"]);
    // a collection greenlight cannot know is an error, never a guess
    let e = err(&text.replace("    Default: \"logs,data-eu\"\n", ""));
    assert!(e.contains("collection `Buckets` has no value"), "{e}");
}

/// Policies attached through `Roles`/`Users`/`Groups`, `AWS::IAM::UserToGroupAddition`
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-policy.html,
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-usertogroupaddition.html).
#[test]
fn attachments_and_group_membership() {
    let x = one(r#"
Resources:
  Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}, PermissionsBoundary: !Ref Boundary}}
  Group: {Type: AWS::IAM::Group, Properties: {GroupName: devs}}
  User: {Type: AWS::IAM::User}
  Add: {Type: AWS::IAM::UserToGroupAddition, Properties: {GroupName: !Ref Group, Users: [!Ref User]}}
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties: {PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}}
  Inline:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: inline
      Roles: [!Ref Role]
      Groups: [!Ref Group]
      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
"#);
    let by = |id: &str| x.principals.iter().find(|p| p.logical_id == id).unwrap();
    let inline = x
        .docs
        .iter()
        .position(|d| d.path == "Resources/Inline/PolicyDocument")
        .unwrap();
    let boundary = x
        .docs
        .iter()
        .position(|d| d.path == "Resources/Boundary/PolicyDocument")
        .unwrap();
    assert_eq!(by("Role").identity, vec![Attached::Doc(inline)]);
    assert_eq!(by("Role").boundary, Some(Attached::Doc(boundary)));
    assert_eq!(by("Group").identity, vec![Attached::Doc(inline)]);
    assert_eq!(
        by("User").identity,
        vec![Attached::Doc(inline)],
        "the user inherits the group's policy"
    );
}

/// SAM: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html
/// and the policy template `S3ReadPolicy`
/// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html#s3-read-policy).
#[test]
fn sam_function_role_with_managed_names_inline_documents_and_policy_templates() {
    let x = one(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Data: {Type: AWS::S3::Bucket, Properties: {BucketName: my-data}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Policies:
        - AmazonS3ReadOnlyAccess
        - S3ReadPolicy:
            BucketName: !Ref Data
        - Version: 2012-10-17
          Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: "*"
"#);
    let role = &x.principals[0];
    assert_eq!(role.logical_id, "FnRole");
    assert_eq!(
        role.identity[0],
        Attached::Aws("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole".into())
    );
    assert_eq!(
        role.identity[1],
        Attached::AwsName("AmazonS3ReadOnlyAccess".into())
    );
    assert_eq!(
        resources(&x, "Resources/Fn/Policies/1/S3ReadPolicy"),
        vec!["arn:aws:s3:::my-data", "arn:aws:s3:::my-data/*"]
    );
    assert!(x.docs.iter().any(|d| d.path == "Resources/Fn/Policies/2"));
    let trust = &x.docs[role.trust.unwrap()];
    assert!(trust.policy.is_ok());
}

/// SAM state machines: "When the `Role` property ... is not specified, AWS SAM generates an
/// `AWS::IAM::Role`" with logical ID `<statemachine-LogicalId>Role`
/// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-statemachine.html),
/// whose policies are the `Policies` given, in the forms functions accept
/// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html#sam-statemachine-policies).
#[test]
fn sam_state_machine_role_from_its_policies() {
    let x = one(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker: {Type: AWS::Serverless::Function, Properties: {FunctionName: worker, Runtime: python3.12, Handler: app.handler}}
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: flow
      Policies:
        - LambdaInvokePolicy:
            FunctionName: worker
        - Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"
"#);
    let role = x
        .principals
        .iter()
        .find(|p| p.logical_id == "FlowRole")
        .expect("the state machine's role");
    assert_eq!(role.identity.len(), 2, "only the Policies given");
    assert_eq!(
        resources(&x, "Resources/Flow/Policies/0/LambdaInvokePolicy"),
        vec!["arn:aws:lambda:xx-unknown-1:000000000000:function:worker*",]
    );
    let trust = x.docs[role.trust.unwrap()].policy.as_ref().unwrap();
    assert!(format!("{:?}", trust.statements[0].principal).contains("states.amazonaws.com"));
    // a state machine with `Role` generates nothing
    let x = one(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Flow: {Type: AWS::Serverless::StateMachine, Properties: {Role: arn:aws:iam::123456789012:role/r}}
"#);
    assert!(x.principals.is_empty());
    // `Tracing: {Enabled: true}` adds X-Ray's managed policy, as SAM's state machine
    // generator does (red team 38); `Enabled: false` adds nothing
    for (enabled, want) in [("true", 1), ("false", 0)] {
        let x = one(&format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow: {{Type: AWS::Serverless::StateMachine, Properties: {{Tracing: {{Enabled: {enabled}}}, Policies: [CloudWatchPutMetricPolicy: {{}}]}}}}\n"
        ));
        let role = x
            .principals
            .iter()
            .find(|p| p.logical_id == "FlowRole")
            .unwrap();
        let xray = role
            .identity
            .iter()
            .filter(|a| {
                **a == Attached::Aws("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess".into())
            })
            .count();
        assert_eq!(xray, want, "Enabled: {enabled}");
    }
}

/// A SAM function with `Role` uses that role and leaves `Policies` unused (SAM makes the role
/// only without `Role`; `Role: !If [C, arn, !Ref AWS::NoValue]` makes it conditional: red
/// team 38); a state machine with both is an error, as SAM's state machine generator says.
#[test]
fn sam_role_and_policies() {
    let text = "Transform: AWS::Serverless-2016-10-31\nParameters:\n  Existing: {Type: String, Default: ''}\nConditions:\n  UseExisting: !Not [!Equals [!Ref Existing, '']]\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      Role: !If [UseExisting, !Ref Existing, !Ref AWS::NoValue]\n      Policies: [S3ReadPolicy: {BucketName: my-bucket}]\n";
    // no value: the generated role with its policies
    let x = one(text);
    assert!(x.principals.iter().any(|p| p.logical_id == "FnRole"));
    // an existing role: no generated role, no error
    let inputs = Inputs {
        params: [(
            "Existing".to_string(),
            "arn:aws:iam::111122223333:role/x".to_string(),
        )]
        .into_iter()
        .collect(),
        ..Inputs::default()
    };
    let t = load_text(text, &inputs).unwrap();
    assert!(t.variants[0].principals.is_empty());
    let e = err(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow: {Type: AWS::Serverless::StateMachine, Properties: {Role: arn:aws:iam::123456789012:role/r, Policies: [CloudWatchPutMetricPolicy: {}]}}\n",
    );
    assert!(e.contains("both `Role` and `Policies`"), "{e}");
}

/// `Fn::ForEach` copies are bounded by their text too, not only by nodes: a few nodes holding a
/// long string, copied over a long list, are an error, not gigabytes (red team 38 found the
/// same for YAML aliases).
#[test]
fn for_each_copies_are_bounded_by_text() {
    let long = "x".repeat(8 << 10);
    let members: Vec<String> = (0..5000).map(|i| format!("\"m{i}\"")).collect();
    let text = format!(
        "{{\"Transform\": \"AWS::LanguageExtensions\", \"Resources\": {{\"Fn::ForEach::Q\": [\"N\", [{}], {{\"Q${{N}}\": {{\"Type\": \"AWS::SQS::Queue\", \"Properties\": {{\"QueueName\": \"{long}\"}}}}}}]}}}}",
        members.join(",")
    );
    let e = load(&Source::new("t.json", text.as_str()), &Inputs::default()).unwrap_err();
    assert!(e.message.contains("MiB of text"), "{}", e.message);
}

/// A condition named with a YAML 1.1 boolean word (`On:`, read as `true` as PyYAML reads it) is
/// named the same way where it is used (`Condition: On`, `!If [On, ...]`, `!Condition On`).
#[test]
fn a_condition_named_with_a_boolean_word() {
    let text = "Parameters:\n  Env: {Type: String}\nConditions:\n  On: !Equals [!Ref Env, prod]\n  Other: !Not [!Condition On]\nResources:\n  R:\n    Type: AWS::IAM::ManagedPolicy\n    Condition: Other\n    Properties:\n      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: !If [On, 's3:*', s3:GetObject], Resource: '*'}]}\n";
    let t = load_text(text, &Inputs::default()).unwrap();
    let all: Vec<Vec<String>> = t
        .variants
        .iter()
        .filter(|x| {
            x.docs
                .iter()
                .any(|d| d.path == "Resources/R/PolicyDocument")
        })
        .map(|x| actions(x, "Resources/R/PolicyDocument"))
        .collect();
    // `R` exists only where `On` is false: `s3:GetObject`, never `s3:*`
    assert_eq!(all, vec![vec!["s3:GetObject".to_string()]]);
}

/// `Fn::Split` of a value not known (a parameter without value, the Region not given): the
/// pieces before the first placeholder are known, the rest is one unknown piece, and
/// `Fn::Select` past it is unknown (red team 40: the placeholder's own text, split on `-`,
/// decided `!Equals [!Select [0, !Split [-, !Ref Env]], prod]` false and dropped the branch;
/// `!Select [2, !Split [/, !Ref AWS::StackId]]` was "out of range").
#[test]
fn a_split_of_an_unknown_value_is_unknown() {
    let text = "Parameters:\n  Env: {Type: String}\nConditions:\n  Prod: !Equals [!Select [0, !Split ['-', !Ref Env]], prod]\n  Cn: !Equals [!Select [0, !Split ['-', !Ref AWS::Region]], cn]\nResources:\n  R:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      ManagedPolicyName: !Select [2, !Split ['/', !Ref AWS::StackId]]\n      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: [!If [Prod, 'iam:*', s3:GetObject], !If [Cn, 'ec2:*', s3:GetObject]], Resource: '*'}]}\n";
    let t = load_text(text, &Inputs::default()).unwrap();
    assert_eq!(t.variants.len(), 4);
    let all: Vec<String> = t
        .variants
        .iter()
        .flat_map(|x| actions(x, "Resources/R/PolicyDocument"))
        .collect();
    assert!(all.contains(&"iam:*".to_string()), "{all:?}");
    assert!(all.contains(&"ec2:*".to_string()), "{all:?}");
    // known pieces before the placeholder stay known
    let inputs = Inputs {
        params: [("Env".to_string(), "prod-eu".to_string())]
            .into_iter()
            .collect(),
        region: Some("cn-north-1".into()),
        ..Inputs::default()
    };
    let t = load_text(text, &inputs).unwrap();
    assert_eq!(t.variants.len(), 1);
    // a delimiter not known, `Fn::Length` of a list not known, an index not known (red team 41)
    for cond in [
        "!Equals [!Select [0, !Split [!Ref Sep, 'prod,eu']], prod]",
        "!Equals [!Length [!Split ['-', !Ref Env]], 1]",
        "!Equals [!Length [!Ref Names], 1]",
        "!Equals [!Select [!Ref Sep, [a, b]], a]",
    ] {
        let text = format!(
            "Transform: AWS::LanguageExtensions\nParameters:\n  Env: {{Type: String}}\n  Sep: {{Type: String}}\n  Names: {{Type: CommaDelimitedList}}\nConditions:\n  C: {cond}\nResources:\n  R:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: {{Version: 2012-10-17, Statement: [{{Effect: Allow, Action: !If [C, 'iam:*', s3:GetObject], Resource: '*'}}]}}\n"
        );
        let t = load_text(&text, &Inputs::default()).unwrap();
        assert_eq!(t.variants.len(), 2, "{cond}");
    }
}

#[test]
fn sam_rejects_an_unknown_policy_template_and_a_missing_parameter() {
    let e = err(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - NoSuchPolicy: {}\n",
    );
    assert!(e.contains("not a SAM policy template"), "{e}");
    let e = err(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - S3ReadPolicy: {}\n",
    );
    assert!(e.contains("needs the parameter `BucketName`"), "{e}");
}

/// `AWS::Lambda::Permission` becomes the statement Lambda writes
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-permission.html).
#[test]
fn lambda_permission_is_a_resource_policy() {
    let x = one(r#"
Resources:
  Perm:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: my-function
      Principal: s3.amazonaws.com
      SourceAccount: "123456789012"
      SourceArn: arn:aws:s3:::my-bucket
"#);
    let d = &x.docs[0];
    assert_eq!(d.kind, DocKind::Resource);
    let p = d.policy.as_ref().unwrap();
    assert_eq!(p.statements.len(), 1);
    assert!(p.statements[0].principal.is_some());
    assert_eq!(
        resources(&x, "Resources/Perm"),
        vec!["arn:aws:lambda:xx-unknown-1:000000000000:function:my-function"]
    );
}

#[test]
fn resource_policies_of_buckets_queues_and_keys() {
    let x = one(r#"
Resources:
  BP:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: b
      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::b/*", Condition: {Bool: {aws:SecureTransport: false}}}]}
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: {Version: 2012-10-17, Statement: [{Effect: Allow, Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}, Action: "kms:*", Resource: "*"}]}
"#);
    assert!(
        x.docs
            .iter()
            .all(|d| d.kind == DocKind::Resource && d.policy.is_ok())
    );
    assert_eq!(x.docs.len(), 2);
}

/// Conditions that only decide whether routes or security-group rules exist need no values:
/// such resources hold and attach no policy (the AWS sample `VPCPeering-Updates` has 10 of
/// them). A role under an undecided condition is still tried both ways.
#[test]
fn conditions_of_resources_without_policies_need_no_values() {
    let mut text = String::from("Parameters:\n  N: {Type: String}\nConditions:\n");
    for i in 0..10 {
        text.push_str(&format!("  C{i}: !Equals [!Ref N, \"{i}\"]\n"));
    }
    text.push_str("Resources:\n");
    for i in 0..10 {
        text.push_str(&format!(
            "  R{i}:\n    Type: AWS::EC2::Route\n    Condition: C{i}\n    Properties:\n      RouteTableId: rtb-1\n      DestinationCidrBlock: 10.0.{i}.0/24\n"
        ));
    }
    text.push_str(
        "  Role:\n    Type: AWS::IAM::Role\n    Condition: C1\n    Properties:\n      AssumeRolePolicyDocument: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: \"sts:AssumeRole\"}]}\n",
    );
    let t = load_text(&text, &Inputs::default()).unwrap();
    assert_eq!(t.undecided.iter().collect::<Vec<_>>(), ["C1"]);
    assert_eq!(t.variants.len(), 2);
}

/// A SAM function's `Policies` and `PermissionsBoundary` may `!Ref` a managed policy declared
/// after the function: CloudFormation orders work by references, not by the template's order
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html),
/// so both orders attach the template's own document (red team 23: the later one was an
/// unknown policy, exit 2).
#[test]
fn sam_functions_attach_managed_policies_declared_after_them() {
    let function = "  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Policies:
        - !Ref Extra
      PermissionsBoundary: !Ref Extra
";
    let policy = "  Extra:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Action: sqs:SendMessage
            Resource: '*'
";
    for text in [
        format!("Transform: AWS::Serverless-2016-10-31\nResources:\n{function}{policy}"),
        format!("Transform: AWS::Serverless-2016-10-31\nResources:\n{policy}{function}"),
    ] {
        let x = one(&text);
        let role = &x.principals[0];
        let doc = x
            .docs
            .iter()
            .position(|d| d.path == "Resources/Extra/PolicyDocument")
            .unwrap();
        assert!(
            role.identity.contains(&Attached::Doc(doc)),
            "{:?}",
            role.identity
        );
        assert_eq!(role.boundary, Some(Attached::Doc(doc)));
    }
}

/// The role SAM generates for a function is `<Function>Role` and a template may reference it
/// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html):
/// an `AWS::IAM::Policy` with `Roles: [!Ref FnRole]` adds to that role (red team 23: the `Ref`
/// was an error, exit 2). A function that names its own `Role` has no such resource.
#[test]
fn the_generated_role_of_a_sam_function_can_be_referenced() {
    let x = one(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler}
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref FnRole]
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - {Effect: Allow, Action: iam:CreateUser, Resource: '*'}
  Out:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Select [1, !Split ['/', !GetAtt FnRole.Arn]]
"#);
    let role = x
        .principals
        .iter()
        .find(|p| p.logical_id == "FnRole")
        .unwrap();
    let doc = x
        .docs
        .iter()
        .position(|d| d.path == "Resources/Extra/PolicyDocument")
        .unwrap();
    assert!(
        role.identity.contains(&Attached::Doc(doc)),
        "{:?}",
        role.identity
    );
    let e = err(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Own: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {Version: 2012-10-17, Statement: []}}}
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, Role: !GetAtt Own.Arn}
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref FnRole]
      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: 'iam:CreateUser', Resource: '*'}]}
"#);
    assert!(e.contains("`FnRole`"), "{e}");
}

/// A policy written as JSON text in a literal block scalar (`!Sub |`) keeps the template's
/// lines (a literal scalar keeps its line breaks: https://yaml.org/spec/1.2.2/#literal-style),
/// so findings point at the template line and column, not at the string's own line numbers
/// (red team 23: SARIF annotated an unrelated line). Substituted lines keep their line.
#[test]
fn json_text_in_a_block_scalar_points_into_the_template() {
    let text = "Parameters:
  Env:
    Type: String
    Default: prod
Resources:
  Q: {Type: AWS::SQS::Queue}
  QP:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Q]
      PolicyDocument: !Sub |
        {
          \"Version\": \"2012-10-17\",
          \"Statement\": [{
            \"Sid\": \"${Env}Send\",
            \"Effect\": \"Allow\",
            \"Principal\": \"*\",
            \"Action\": \"sqs:SendMessage\",
            \"Resource\": \"*\"
          }]
        }
";
    let x = one(text);
    let d = x
        .docs
        .iter()
        .find(|d| d.path == "Resources/QP/PolicyDocument")
        .unwrap();
    let p = d.policy.as_ref().unwrap();
    let s = &p.statements[0];
    let at = d.source.line_col(s.effect.span.start);
    assert_eq!((at.line, at.column), (16, 23), "the `\"Allow\"` of line 16");
    assert_eq!(s.sid.as_ref().unwrap().value, "prodSend");
    assert_eq!(
        d.source.line_col(s.sid.as_ref().unwrap().span.start).line,
        15
    );
    // without a final line break, and with CRLF line ends (red team 25)
    for t in [text.trim_end().to_string(), text.replace('\n', "\r\n")] {
        let x = one(&t);
        let d = x
            .docs
            .iter()
            .find(|d| d.path == "Resources/QP/PolicyDocument")
            .unwrap();
        let s = &d.policy.as_ref().unwrap().statements[0];
        assert_eq!(d.source.line_col(s.effect.span.start).line, 16);
    }
}

/// `Ref`/`GetAtt Arn` of an EventBridge rule and a Cognito user pool: the catalog's ARN formats
/// (`rule/NAME` on the default bus, `rule/BUS/NAME` on another, `userpool/ID`), the generated
/// name or ID a placeholder (red team 60: a bare placeholder no `Arn…` operator reads).
#[test]
fn event_rule_and_user_pool_arns() {
    let x = one(r#"
Resources:
  Default: {Type: AWS::Events::Rule, Properties: {Name: nightly}}
  OnBus: {Type: AWS::Events::Rule, Properties: {Name: audit, EventBusName: orders}}
  OnBusArn: {Type: AWS::Events::Rule, Properties: {Name: a2, EventBusName: "arn:aws:events:us-east-1:111122223333:event-bus/orders"}}
  Generated: {Type: AWS::Events::Rule}
  Pool: {Type: AWS::Cognito::UserPool}
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Action: events:DescribeRule
            Resource: [!GetAtt Default.Arn, !GetAtt OnBus.Arn, !GetAtt OnBusArn.Arn, !GetAtt Generated.Arn, !GetAtt Pool.Arn]
"#);
    let r = resources(&x, "Resources/P/PolicyDocument");
    let (p, a) = ("xx-unknown-1", "000000000000");
    assert_eq!(
        r,
        vec![
            format!("arn:aws:events:{p}:{a}:rule/nightly"),
            format!("arn:aws:events:{p}:{a}:rule/orders/audit"),
            format!("arn:aws:events:{p}:{a}:rule/orders/a2"),
            format!("arn:aws:events:{p}:{a}:rule/UNKNOWN-Generated-name"),
            format!("arn:aws:cognito-idp:{p}:{a}:userpool/UNKNOWN-Pool-name"),
        ]
    );
}
