//! Template lint speed: a generated 500-resource CloudFormation template (YAML) with roles,
//! inline policies, managed policies, buckets and bucket policies, all with intrinsic
//! functions. Times the lint in-process, and the whole process when a release binary exists.
//!
//! ```sh
//! cargo build --release --no-default-features
//! cargo bench --bench template
//! ```

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use greenlight::lint::input::Input;
use greenlight::lint::run::{self, Options};

/// 100 × (role, managed policy, bucket, bucket policy, SQS queue) = 500 resources.
fn template() -> String {
    let mut t = String::from(
        "AWSTemplateFormatVersion: 2010-09-09\nParameters:\n  Env:\n    Type: String\n    Default: prod\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n",
    );
    for i in 0..100 {
        let _ = write!(
            t,
            r#"  Role{i}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "app-${{Env}}-{i}"
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
            Condition: {{StringEquals: {{aws:SourceAccount: !Ref AWS::AccountId}}}}
      ManagedPolicyArns:
        - !Sub arn:${{AWS::Partition}}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
        - !Ref Managed{i}
      Policies:
        - PolicyName: data
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, s3:PutObject]
                Resource: !Sub "${{Bucket{i}.Arn}}/*"
              - Effect: Allow
                Action: sqs:SendMessage
                Resource: !GetAtt Queue{i}.Arn
  Managed{i}:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Action: !If [IsProd, [logs:CreateLogStream, logs:PutLogEvents], "logs:*"]
            Resource: !Sub arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/app/{i}:*
  Bucket{i}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ["-", [data, !Ref Env, "{i}"]]
  BucketPolicy{i}:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket{i}
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: [!GetAtt Bucket{i}.Arn, !Sub "${{Bucket{i}.Arn}}/*"]
            Condition: {{Bool: {{aws:SecureTransport: false}}}}
  Queue{i}:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "q-${{Env}}-{i}"
"#
        );
    }
    t
}

fn main() {
    let dir = std::env::temp_dir().join("greenlight-template-bench");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("500-resources.yaml");
    if std::fs::write(&path, template()).is_err() {
        eprintln!("cannot write {}", path.display());
        return;
    }
    let runs = 20;
    let mut best = Duration::MAX;
    let mut docs = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let o = run::run(&Options {
            inputs: vec![Input::File(path.clone())],
            ..Options::default()
        });
        best = best.min(started.elapsed());
        docs = o.documents.len();
    }
    println!(
        "in-process lint of a 500-resource template ({docs} policies): best {:.1} ms of {runs}",
        best.as_secs_f64() * 1e3
    );
    let bin = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/greenlight");
    if bin.exists() {
        let mut best = Duration::MAX;
        for _ in 0..runs {
            let started = Instant::now();
            let out = std::process::Command::new(&bin)
                .arg("lint")
                .arg(&path)
                .output();
            best = best.min(started.elapsed());
            if out.is_err() {
                eprintln!("cannot run {}", bin.display());
                return;
            }
        }
        println!(
            "whole process `greenlight lint` (target/release): best {:.1} ms of {runs}",
            best.as_secs_f64() * 1e3
        );
    }
}
