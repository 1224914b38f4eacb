// Generates random IAM evaluation cases from a fixed seed, evaluates each with
// @cloud-copilot/iam-simulate, and prints one JSON line per case:
//   {"id", "identity": [policy...], "boundary", "scps": [policy...], "resourcePolicy",
//    "principal", "action", "resource", "resourceAccount", "context": {key: [values]},
//    "reference": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "error: ...",
//    "tags": [divergence classes deliberately injected]}
//
// usage: node generate.mjs [COUNT] [SEED] > cases.jsonl
import { runSimulation } from '@cloud-copilot/iam-simulate'

const COUNT = Number(process.argv[2] ?? 2000)
let seed = Number(process.argv[3] ?? 20261129) >>> 0

// mulberry32: a small deterministic PRNG
function rand() {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)]
const chance = (p) => rand() < p
const some = (xs, min, max) => {
  const n = min + Math.floor(rand() * (max - min + 1))
  const out = []
  for (let i = 0; i < n; i++) out.push(pick(xs))
  return [...new Set(out)]
}

const A = '111122223333'
const B = '444455556666'
const ALICE = `arn:aws:iam::${A}:user/alice`
const ROLE = `arn:aws:iam::${A}:role/deploy`
const SESSION = `arn:aws:sts::${A}:assumed-role/deploy/s1`
const BOB = `arn:aws:iam::${B}:user/bob`

const PRINCIPALS = [ALICE, ALICE, SESSION, SESSION, BOB]

// [action, resource, resource account]
const REQUESTS = [
  ['s3:GetObject', 'arn:aws:s3:::bucket-a/key1', A],
  ['s3:GetObject', 'arn:aws:s3:::bucket-a/dir/key2', A],
  ['s3:GetObject', 'arn:aws:s3:::bucket-a/alice/notes', A],
  ['s3:GetObject', 'arn:aws:s3:::bucket-b/key1', B],
  ['s3:PutObject', 'arn:aws:s3:::bucket-a/key1', A],
  ['s3:ListBucket', 'arn:aws:s3:::bucket-a', A],
  ['iam:PassRole', `arn:aws:iam::${A}:role/ecs-task-web`, A],
  ['ecs:UpdateService', `arn:aws:ecs:us-east-1:${A}:service/cluster/web`, A],
  ['sqs:SendMessage', `arn:aws:sqs:us-east-1:${A}:queue1`, A],
  ['sqs:SendMessage', `arn:aws:sqs:us-east-1:${B}:queue1`, B],
  ['ec2:DescribeInstances', '*', A],
]

const ACTIONS = [
  's3:GetObject', 's3:Get*', 's3:*', '*', 's3:*Object', 's3:?utObject', 'S3:getobject',
  'iam:PassRole', 'iam:Pass*', 'ecs:*', 'ecs:UpdateService', 'sqs:Send*', 'ec2:Describe*',
  's3:ListBucket',
]
const RESOURCES = [
  '*', '*', 'arn:aws:s3:::bucket-a/*', 'arn:aws:s3:::bucket-a', 'arn:aws:s3:::bucket-?/key?',
  'arn:aws:s3:::*/dir/*', 'arn:aws:s3:::bucket-a/${aws:username}/*', `arn:aws:iam::${A}:role/ecs-task-*`,
  'arn:aws:ecs:*:*:service/*', 'arn:aws:sqs:*:*:queue1', `arn:aws:sqs:us-east-1:${A}:*`,
  'arn:aws:s3:::Bucket-a/*',
]

// [operator, key, policy values, context value generator or null]
const IPS = ['203.0.113.7', '198.51.100.20', '10.1.2.3', '2001:db8:1234:5678::9', '2001:db8:ffff::1']
const TIMES = ['2019-06-01T00:00:00Z', '2024-05-01T12:00:00Z', '2030-01-01T00:00:00Z']
const CONDITIONS = [
  ['StringEquals', 'aws:PrincipalTag/team', [['red'], ['red', 'blue'], ['Red']]],
  ['StringNotEquals', 'aws:PrincipalTag/team', [['red'], ['red', 'blue']]],
  ['StringEqualsIgnoreCase', 'aws:PrincipalTag/team', [['RED']]],
  ['StringNotEqualsIgnoreCase', 'aws:PrincipalTag/team', [['RED']]],
  ['StringLike', 'aws:PrincipalTag/team', [['r*'], ['?ed'], ['b*', 'g*']]],
  ['StringNotLike', 'aws:PrincipalTag/team', [['r*']]],
  ['StringEqualsIfExists', 'aws:PrincipalTag/team', [['red']]],
  ['StringNotEqualsIfExists', 'aws:PrincipalTag/team', [['red']]],
  ['StringEquals', 'aws:username', [['alice'], ['${aws:PrincipalTag/team}']]],
  ['StringLike', 'aws:username', [['a*']]],
  ['NumericLessThan', 'aws:MultiFactorAuthAge', [['3600']]],
  ['NumericLessThanEquals', 'aws:MultiFactorAuthAge', [['100']]],
  ['NumericGreaterThan', 'aws:MultiFactorAuthAge', [['100']]],
  ['NumericGreaterThanEquals', 'aws:MultiFactorAuthAge', [['3600']]],
  ['NumericEquals', 'aws:MultiFactorAuthAge', [['100', '200']]],
  ['NumericNotEquals', 'aws:MultiFactorAuthAge', [['100']]],
  ['NumericLessThanIfExists', 'aws:MultiFactorAuthAge', [['3600']]],
  ['DateGreaterThan', 'aws:CurrentTime', [['2020-01-01T00:00:00Z']]],
  ['DateLessThan', 'aws:CurrentTime', [['2025-01-01T00:00:00Z']]],
  ['DateLessThanEquals', 'aws:CurrentTime', [['2024-05-01T12:00:00Z']]],
  ['DateGreaterThanEquals', 'aws:CurrentTime', [['2024-05-01T12:00:00Z']]],
  ['DateEquals', 'aws:CurrentTime', [['2024-05-01T12:00:00Z']]],
  ['DateNotEquals', 'aws:CurrentTime', [['2024-05-01T12:00:00Z']]],
  ['Bool', 'aws:MultiFactorAuthPresent', [['true'], ['false']]],
  ['BoolIfExists', 'aws:MultiFactorAuthPresent', [['false']]],
  ['Bool', 'aws:SecureTransport', [['true']]],
  ['IpAddress', 'aws:SourceIp', [['203.0.113.0/24'], ['10.0.0.0/8', '2001:db8:1234::/48'], ['198.51.100.20']]],
  ['NotIpAddress', 'aws:SourceIp', [['203.0.113.0/24'], ['2001:db8::/32']]],
  ['ArnEquals', 'aws:SourceArn', [[`arn:aws:sns:us-east-1:${A}:topic`]]],
  ['ArnLike', 'aws:SourceArn', [[`arn:aws:sns:*:${A}:*`], ['arn:aws:s3:::*']]],
  ['ArnNotEquals', 'aws:SourceArn', [[`arn:aws:sns:us-east-1:${A}:topic`]]],
  ['ArnNotLike', 'aws:SourceArn', [['arn:aws:s3:::*']]],
  ['ArnLike', 'aws:PrincipalArn', [[`arn:aws:iam::${A}:*`], [`arn:aws:iam::${A}:role/deploy`]]],
  ['Null', 'aws:PrincipalTag/team', [['true'], ['false']]],
  ['Null', 'aws:SourceIp', [['true']]],
  ['ForAllValues:StringEquals', 'aws:TagKeys', [['env', 'team']]],
  ['ForAnyValue:StringEquals', 'aws:TagKeys', [['env'], ['cost']]],
  ['ForAllValues:StringLike', 'aws:TagKeys', [['t*', 'e*']]],
  ['ForAnyValue:StringNotEquals', 'aws:TagKeys', [['env']]],
]
const CONTEXT = {
  'aws:PrincipalTag/team': () => [pick(['red', 'blue', 'Red', 'green'])],
  'aws:username': () => [pick(['alice', 'bob'])],
  'aws:MultiFactorAuthAge': () => [pick(['100', '200', '3600', '7200'])],
  'aws:CurrentTime': () => [pick(TIMES)],
  'aws:MultiFactorAuthPresent': () => [pick(['true', 'false'])],
  'aws:SecureTransport': () => [pick(['true', 'false'])],
  'aws:SourceIp': () => [pick(IPS)],
  'aws:SourceArn': () => [pick([`arn:aws:sns:us-east-1:${A}:topic`, 'arn:aws:s3:::bucket-a', `arn:aws:sns:eu-west-1:${B}:t`])],
  'aws:PrincipalArn': () => [pick([ALICE, ROLE])],
  'aws:TagKeys': () => some(['env', 'team', 'cost'], 0, 3),
  'aws:SourceAccount': () => [pick([A, B])],
}
const RESOURCE_PRINCIPALS = [
  '*', { AWS: '*' }, { AWS: A }, { AWS: `arn:aws:iam::${A}:root` }, { AWS: ALICE }, { AWS: ROLE },
  { AWS: SESSION }, { AWS: B }, { AWS: [ALICE, BOB] },
]

function condition(tags) {
  const n = chance(0.5) ? 0 : 1 + Math.floor(rand() * 2)
  if (n === 0) return undefined
  const out = {}
  for (let i = 0; i < n; i++) {
    let [op, key, values] = pick(CONDITIONS)
    if (chance(0.01)) {
      op = op.charAt(0).toLowerCase() + op.slice(1)
      tags.add('lowercase-operator')
    } else if (chance(0.005)) {
      op = op + 'Exists'
      tags.add('unknown-operator')
    }
    out[op] = { ...(out[op] ?? {}), [key]: pick(values) }
  }
  return out
}

function statement(kind, tags) {
  const s = { Effect: chance(0.75) ? 'Allow' : 'Deny' }
  if (kind === 'resource') {
    if (s.Effect === 'Deny' && chance(0.1)) s.NotPrincipal = { AWS: [ALICE, `arn:aws:iam::${A}:root`] }
    else s.Principal = pick(RESOURCE_PRINCIPALS)
  }
  const actions = some(ACTIONS, 1, 3)
  if (chance(0.1)) s.NotAction = actions
  else s.Action = actions.length === 1 && chance(0.5) ? actions[0] : actions
  const resources = some(RESOURCES, 1, 2)
  if (chance(0.1)) s.NotResource = resources
  else s.Resource = resources
  const c = condition(tags)
  if (c) s.Condition = c
  return s
}

const TRUST_PRINCIPALS = [
  { Service: 'ecs-tasks.amazonaws.com' }, { Service: ['codedeploy.amazonaws.com', 'ecs.amazonaws.com'] },
  { AWS: A }, { AWS: ALICE }, { AWS: ROLE }, { AWS: B }, { AWS: `arn:aws:iam::${B}:root` }, '*',
]
const TRUST_CALLERS = [ALICE, SESSION, BOB, 'ecs-tasks.amazonaws.com', 'codedeploy.amazonaws.com', 'ecs.amazonaws.com']

function trustPolicy(tags) {
  const n = 1 + Math.floor(rand() * 2)
  const Statement = []
  for (let i = 0; i < n; i++) {
    const s = { Effect: chance(0.8) ? 'Allow' : 'Deny', Principal: pick(TRUST_PRINCIPALS) }
    s.Action = pick(['sts:AssumeRole', ['sts:AssumeRole', 'sts:TagSession'], 'sts:*', 'sts:TagSession'])
    if (chance(0.3)) {
      s.Condition = pick([
        { StringEquals: { 'aws:SourceAccount': A } },
        { ArnLike: { 'aws:SourceArn': `arn:aws:codedeploy:*:${A}:*` } },
        { StringEquals: { 'aws:PrincipalTag/team': 'red' } },
        { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      ])
    }
    Statement.push(s)
  }
  return { Version: '2012-10-17', Statement }
}

function policy(kind, tags) {
  const n = 1 + Math.floor(rand() * 3)
  const Statement = []
  for (let i = 0; i < n; i++) Statement.push(statement(kind, tags))
  const p = { Version: '2012-10-17', Statement }
  if (chance(0.02)) {
    delete p.Version
    tags.add('no-version')
  }
  return p
}

async function main() {
  for (let id = 0; id < COUNT; id++) {
    const tags = new Set()
    const trust = chance(0.15)
    const [action, resource, resourceAccount] = trust
      ? ['sts:AssumeRole', `arn:aws:iam::${A}:role/target`, A]
      : pick(REQUESTS)
    const principal = trust ? pick(TRUST_CALLERS) : pick(PRINCIPALS)
    const iamCaller = principal.startsWith('arn:')
    const identity = []
    const nId = iamCaller && chance(0.85) ? 1 + Math.floor(rand() * 2) : 0
    for (let i = 0; i < nId; i++) identity.push(policy('identity', tags))
    const boundary = iamCaller && chance(0.2) ? policy('identity', tags) : null
    const scps = iamCaller && chance(0.2) ? [policy('identity', tags)] : []
    const resourcePolicy = trust ? trustPolicy(tags) : chance(0.4) ? policy('resource', tags) : null
    const context = {}
    for (const [k, gen] of Object.entries(CONTEXT)) {
      if (chance(0.6)) context[k] = gen()
    }
    if (chance(0.02)) {
      context['aws:SourceArn'] = ['not-an-arn']
      tags.add('arn-operator-on-non-arn')
    }
    const simulation = {
      request: {
        principal,
        action,
        resource: { resource, accountId: resourceAccount },
        contextVariables: Object.fromEntries(
          Object.entries(context).map(([k, v]) => [k, k === 'aws:TagKeys' ? v : v[0]])
        ),
      },
      identityPolicies: identity.map((policy, i) => ({ name: `identity${i}`, policy })),
      serviceControlPolicies: scps.length
        ? [{ orgIdentifier: 'ou-1', policies: scps.map((policy, i) => ({ name: `scp${i}`, policy })) }]
        : [],
      resourceControlPolicies: [],
      resourcePolicy: resourcePolicy ?? undefined,
      permissionBoundaryPolicies: boundary ? [{ name: 'boundary', policy: boundary }] : undefined,
    }
    let reference
    try {
      const r = await runSimulation(simulation, {})
      reference =
        r.resultType === 'error'
          ? `error: ${JSON.stringify(r.errors).slice(0, 300)}`
          : r.overallResult
    } catch (e) {
      reference = `error: ${String(e).slice(0, 300)}`
    }
    process.stdout.write(
      JSON.stringify({
        id, trust, identity, boundary, scps, resourcePolicy, principal, action, resource,
        resourceAccount, context, reference, tags: [...tags],
      }) + '\n'
    )
  }
}

main()
