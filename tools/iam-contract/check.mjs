#!/usr/bin/env node
// Evaluates the access contract (contract/access-contract.yaml) against the
// policies of one environment root, read from `terraform show -json` of a
// plan made after apply (or of the state), with @cloud-copilot/iam-simulate.
//
//   node check.mjs --plan plan.json [--contract ../../contract/access-contract.yaml]
//                  [--root staging] [--format text|json] [--only <id substring>]
//                  [--external-policies policies.json]
//
// --external-policies: {"<ARN>": <policy document>} for resources the root
// uses but does not manage (Copilot's queue keys during a cutover), read from
// the account (kms:GetKeyPolicy) by the caller.
//
// Every expanded contract line is one case: pass, fail (with the deciding
// statement, or "no statement allows it") or not applicable (with the reason:
// the part is switched off in this root). Exit status 1 when a case fails,
// 2 when the input cannot be read.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getDenialReasons, getGrantReasons, runSimulation } from '@cloud-copilot/iam-simulate'
import YAML from 'yaml'

const here = dirname(fileURLToPath(import.meta.url))
const OUTSIDER = 'arn:aws:iam::999999999999:role/outsider'
const SESSION = 'access-contract'
// A fixed instant: the check must not depend on the day it runs.
const CURRENT_TIME = '2026-01-01T00:00:00Z'

/**
 * A contract line that cannot apply in this root, with the part of the root
 * that is missing (root, switched-off, static-site, chatbot, cache, cutover,
 * cutover-storage, secrets:<workload>, secrets-shared), so a caller that knows the root has
 * that part can refuse the skip.
 */
class NotApplicable extends Error {
  constructor(reason, part) {
    super(reason)
    this.part = part
  }
}
/** A contract line that cannot be evaluated: the inventory or plan lacks something it needs. */
class Unresolvable extends Error {}

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

export function parseArgs(argv) {
  const args = { contract: join(here, '..', '..', 'contract', 'access-contract.yaml'), format: 'text' }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`)
      return argv[++i]
    }
    switch (flag) {
      case '--plan': args.plan = value(); break
      case '--contract': args.contract = value(); break
      case '--root': args.root = value(); break
      case '--format': args.format = value(); break
      case '--only': args.only = value(); break
      case '--external-policies': args.externalPolicies = value(); break
      default: throw new Error(`unknown argument ${flag}`)
    }
  }
  if (!args.plan) throw new Error('--plan <terraform show -json output> is required')
  return args
}

// ---------------------------------------------------------------------------
// The plan: resources, policies, inventory
// ---------------------------------------------------------------------------

/** Every resource of a plan's planned values (or of a state), with its address. */
function resourcesOf(doc) {
  const roots = []
  if (doc.planned_values?.root_module) roots.push(doc.planned_values.root_module)
  else if (doc.values?.root_module) roots.push(doc.values.root_module)
  else if (doc.prior_state?.values?.root_module) roots.push(doc.prior_state.values.root_module)
  // Values a plan leaves unknown are kept from the state the plan started from.
  const prior = new Map()
  const walkPrior = (mod) => {
    for (const r of mod?.resources ?? []) prior.set(r.address, r.values)
    for (const child of mod?.child_modules ?? []) walkPrior(child)
  }
  walkPrior(doc.prior_state?.values?.root_module)
  const out = []
  const walk = (mod) => {
    for (const r of mod.resources ?? []) {
      if (r.mode !== 'managed') continue
      const values = { ...(prior.get(r.address) ?? {}), ...dropNulls(r.values ?? {}) }
      out.push({ address: r.address, type: r.type, values })
    }
    for (const child of mod.child_modules ?? []) walk(child)
  }
  roots.forEach(walk)
  return out
}

function dropNulls(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== null && v !== undefined))
}

function outputsOf(doc) {
  const outputs = {}
  const fromValues = doc.planned_values?.outputs ?? doc.values?.outputs ?? {}
  for (const [name, o] of Object.entries(fromValues)) outputs[name] = o.value
  for (const [name, change] of Object.entries(doc.output_changes ?? {})) {
    if (!(name in outputs) && change.after !== undefined) outputs[name] = change.after
  }
  return outputs
}

function parsePolicy(text, where) {
  if (text === undefined || text === null || text === '') return undefined
  try {
    return typeof text === 'string' ? JSON.parse(text) : text
  } catch (err) {
    throw new Unresolvable(`the policy of ${where} is not JSON: ${err.message}`)
  }
}

/** Loads AWS managed policies copied from the AWS managed policy reference. */
function loadManagedPolicies() {
  const doc = JSON.parse(readFileSync(join(here, 'aws-managed-policies.json'), 'utf8'))
  return new Map(Object.entries(doc.policies).map(([arn, p]) => [arn, p]))
}

/**
 * An index of the policies in a plan: identity policies by role, resource
 * policies (queue, topic, bucket, secret, key, table, SES identity) by ARN.
 */
export function indexPlan(doc, externalPolicies = {}) {
  const resources = resourcesOf(doc)
  const roles = new Map() // role name -> {arn, address, inline: Map(name -> {name, policy}), managed: Set(arn)}
  const roleByArn = new Map()
  const trustPolicies = new Map() // role ARN -> {name, policy}
  const customerPolicies = new Map() // arn -> {address, policy}
  const resourcePolicies = new Map() // resource ARN -> {name, policy}
  const queueUrlToArn = new Map()
  const bucketPolicies = new Map() // bucket name -> {name, policy}
  const byType = new Map()
  const pendingRolePolicies = []
  const pendingAttachments = []
  const topicPolicies = []

  for (const r of resources) {
    const v = r.values
    if (!byType.has(r.type)) byType.set(r.type, [])
    byType.get(r.type).push(r)
    switch (r.type) {
      case 'aws_iam_role': {
        const role = { name: v.name, arn: v.arn, address: r.address, inline: new Map(), managed: new Map() }
        roles.set(v.name, role)
        if (v.arn) roleByArn.set(v.arn, role)
        if (v.arn && v.assume_role_policy) trustPolicies.set(v.arn, { name: `${r.address}.assume_role_policy`, policy: v.assume_role_policy })
        // inline_policy and managed_policy_arns are what the provider read from
        // IAM; the dedicated resources below take precedence over them.
        for (const p of v.inline_policy ?? []) {
          if (p.name && p.policy) role.inline.set(p.name, { name: `${r.address}.inline_policy[${p.name}]`, policy: p.policy })
        }
        for (const arn of v.managed_policy_arns ?? []) role.managed.set(arn, `${r.address}.managed_policy_arns`)
        break
      }
      case 'aws_iam_role_policy':
        pendingRolePolicies.push(r)
        break
      case 'aws_iam_role_policy_attachment':
        pendingAttachments.push({ role: v.role, arns: [v.policy_arn], address: r.address })
        break
      case 'aws_iam_role_policy_attachments_exclusive':
        pendingAttachments.push({ role: v.role_name, arns: v.policy_arns ?? [], address: r.address })
        break
      case 'aws_iam_policy':
        if (v.arn) customerPolicies.set(v.arn, { address: r.address, policy: v.policy })
        break
      case 'calinks_worker_pipeline':
        if (v.queue_arn && v.queue_policy) resourcePolicies.set(v.queue_arn, { name: `${r.address}.queue_policy`, policy: v.queue_policy })
        if (v.queue_url && v.queue_arn) queueUrlToArn.set(v.queue_url, v.queue_arn)
        if (v.dead_letter_queue_url && v.dead_letter_queue_arn) queueUrlToArn.set(v.dead_letter_queue_url, v.dead_letter_queue_arn)
        break
      case 'aws_sqs_queue':
        if (v.url && v.arn) queueUrlToArn.set(v.url, v.arn)
        if (v.arn && v.policy) resourcePolicies.set(v.arn, { name: `${r.address}.policy`, policy: v.policy })
        break
      case 'aws_sns_topic':
        if (v.arn && v.policy && !resourcePolicies.has(v.arn)) resourcePolicies.set(v.arn, { name: `${r.address}.policy`, policy: v.policy })
        break
      case 'aws_sns_topic_policy':
        topicPolicies.push(r)
        break
      case 'aws_s3_bucket_policy':
        bucketPolicies.set(v.bucket, { name: r.address, policy: v.policy })
        break
      case 'aws_secretsmanager_secret':
        if (v.arn && v.policy && !resourcePolicies.has(v.arn)) resourcePolicies.set(v.arn, { name: `${r.address}.policy`, policy: v.policy })
        break
      case 'aws_secretsmanager_secret_policy':
        resourcePolicies.set(v.secret_arn, { name: r.address, policy: v.policy })
        break
      case 'aws_kms_key':
        if (v.arn) resourcePolicies.set(v.arn, { name: `${r.address}.policy`, policy: v.policy, kmsKey: true })
        break
      case 'aws_dynamodb_resource_policy':
        resourcePolicies.set(v.resource_arn, { name: r.address, policy: v.policy })
        break
      case 'aws_ses_identity_policy':
      case 'aws_sesv2_email_identity_policy':
        pendingRolePolicies.push(r)
        break
    }
  }
  for (const r of topicPolicies) resourcePolicies.set(r.values.arn, { name: r.address, policy: r.values.policy })
  // Policies of what the root does not manage, read from the account; the
  // plan's own policies win.
  for (const [arn, policy] of Object.entries(externalPolicies)) {
    if (!resourcePolicies.has(arn)) resourcePolicies.set(arn, { name: `${arn} (read from the account)`, policy, kmsKey: arn.startsWith('arn:aws:kms:') })
  }
  for (const r of pendingRolePolicies) {
    const v = r.values
    if (r.type === 'aws_iam_role_policy') {
      const roleName = String(v.role ?? '').split('/').pop()
      const role = roles.get(roleName)
      if (role) role.inline.set(v.name, { name: r.address, policy: v.policy })
    } else {
      // SES sending authorization policies, keyed by identity.
      const identity = v.identity ?? v.email_identity
      for (const sesIdentity of byType.get('aws_ses_domain_identity') ?? []) {
        if (sesIdentity.values.domain === identity) resourcePolicies.set(sesIdentity.values.arn, { name: r.address, policy: v.policy })
      }
    }
  }
  for (const a of pendingAttachments) {
    const role = roles.get(String(a.role ?? '').split('/').pop())
    if (role) for (const arn of a.arns) role.managed.set(arn, a.address)
  }
  return { resources, byType, roles, roleByArn, trustPolicies, customerPolicies, resourcePolicies, queueUrlToArn, bucketPolicies, managed: loadManagedPolicies() }
}

/** The identity policies of a role, each named by the address that sets it. */
function identityPoliciesOf(index, roleArn) {
  const role = index.roleByArn.get(roleArn)
  if (!role) throw new Unresolvable(`the plan has no aws_iam_role with ARN ${roleArn}`)
  const policies = []
  for (const p of role.inline.values()) policies.push({ name: p.name, policy: parsePolicy(p.policy, p.name) })
  for (const [arn, address] of role.managed) {
    const customer = index.customerPolicies.get(arn)
    if (customer) {
      policies.push({ name: `${customer.address} (attached by ${address})`, policy: parsePolicy(customer.policy, customer.address) })
      continue
    }
    const aws = index.managed.get(arn)
    if (!aws) throw new Unresolvable(`${role.address} has the managed policy ${arn}, which is neither in the plan nor in tools/iam-contract/aws-managed-policies.json`)
    policies.push({ name: `${arn} (attached by ${address})`, policy: aws.document })
  }
  return { role, policies }
}

// ---------------------------------------------------------------------------
// The contract: groups, expansion, references
// ---------------------------------------------------------------------------

export function loadContract(path) {
  const doc = YAML.parse(readFileSync(path, 'utf8'))
  if (!doc || !Array.isArray(doc.lines)) throw new Error(`${path}: no lines`)
  return doc
}

function groupValues(contract, name) {
  const raw = contract.groups?.[name]
  if (raw === undefined) throw new Error(`unknown group ${name}`)
  return raw.flatMap((item) => (typeof item === 'string' && item.startsWith('$') ? groupValues(contract, item.slice(1)) : [item]))
}

function substitute(value, binding) {
  if (typeof value === 'string') {
    return value.replace(/\$\{([a-z_]+)(?:\.([a-z_]+))?\}/g, (whole, name, field) => {
      if (!(name in binding)) throw new Error(`unbound variable ${whole}`)
      const bound = binding[name]
      if (field) {
        if (typeof bound !== 'object' || !(field in bound)) throw new Error(`${whole}: ${name} has no field ${field}`)
        return bound[field]
      }
      return bound
    })
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, binding))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, binding)]))
  return value
}

function bindingLabel(binding) {
  return Object.values(binding).map((v) => (typeof v === 'object' ? Object.values(v).join('>') : v)).join(',')
}

/** Expands each contract entry over its for_each bindings and its actions. */
export function expandContract(contract) {
  const cases = []
  const ids = new Set()
  for (const entry of contract.lines) {
    for (const field of ['id', 'workload', 'effect', 'resource', 'why']) {
      if (entry[field] === undefined) throw new Error(`contract line ${entry.id ?? JSON.stringify(entry)}: ${field} is required`)
    }
    if (!['must', 'must_not'].includes(entry.effect)) throw new Error(`contract line ${entry.id}: effect must be must or must_not`)
    if (ids.has(entry.id)) throw new Error(`contract line ${entry.id}: id used twice`)
    ids.add(entry.id)
    const vars = Object.entries(entry.for_each ?? {}).map(([name, list]) => [
      name,
      typeof list === 'string' ? groupValues(contract, list.replace(/^\$/, '')) : list,
    ])
    let bindings = [{}]
    for (const [name, list] of vars) bindings = bindings.flatMap((b) => list.map((v) => ({ ...b, [name]: v })))
    bindings = bindings.filter((b) => {
      if (entry.distinct && new Set(entry.distinct.map((n) => JSON.stringify(b[n]))).size < entry.distinct.length) return false
      return !(entry.exclude ?? []).some((ex) => Object.entries(ex).every(([k, v]) => b[k] === v))
    })
    const actions = entry.actions ?? [entry.action]
    if (!actions[0]) throw new Error(`contract line ${entry.id}: action or actions is required`)
    for (const binding of bindings) {
      const line = substitute({ ...entry, for_each: undefined, exclude: undefined, distinct: undefined }, binding)
      const label = vars.length ? `(${bindingLabel(binding)})` : ''
      for (const action of actions) {
        cases.push({ ...line, action: substitute(action, binding), actions: undefined, entry: entry.id, id: `${entry.id}${label}/${substitute(action, binding)}` })
      }
    }
  }
  return cases
}

/** Reads a dotted path of the inventory: null on the way means switched off, a missing key a gap. */
function inventoryPath(inv, path) {
  let node = inv
  const walked = []
  for (const key of path) {
    if (node === null) throw new NotApplicable(`access_inventory.${walked.join('.')} is null in this root (switched off)`, 'switched-off')
    if (typeof node !== 'object' || !(key in node)) throw new Unresolvable(`inventory has no ${[...walked, key].join('.')}`)
    node = node[key]
    walked.push(key)
  }
  if (node === null || node === undefined) throw new NotApplicable(`access_inventory.${walked.join('.')} is null in this root (switched off)`, 'switched-off')
  return node
}

function tableArn(inv, name) {
  const tables = inventoryPath(inv, ['tables'])
  const match = Object.entries(tables).find(([key]) => key === name || key.endsWith(name))
  if (!match) throw new Unresolvable(`inventory has no tables entry for ${name} (has ${Object.keys(tables).join(', ')})`)
  return match[1]
}

function workload(inv, name) {
  return inventoryPath(inv, ['workloads', name])
}

/** Resolves a symbolic resource (kind:name) to an ARN. */
function resolveResource(ctx, ref) {
  const { inv, index, outputs } = ctx
  const [kind, ...rest] = ref.split(':')
  const name = rest.join(':')
  const region = inv.region
  const account = inv.account_id
  switch (kind) {
    case 'queue': return workload(inv, name).queue_arn ?? unres(`inventory has no workloads.${name}.queue_arn`)
    case 'dlq': return workload(inv, name).dead_letter_queue_arn ?? unres(`inventory has no workloads.${name}.dead_letter_queue_arn`)
    case 'topic': return inventoryPath(inv, ['topics', name, 'arn'])
    case 'alarm-topic': return inventoryPath(inv, ['alarms', 'topic_arn'])
    case 'table': return tableArn(inv, name)
    case 'db-user': return inventoryPath(inv, ['database', 'proxy_user_arns', name])
    case 'secret':
      if (name === 'db-master') return inventoryPath(inv, ['database', 'master_secret_arn'])
      if (name.startsWith('db-user:')) return inventoryPath(inv, ['database', 'user_secret_arns', name.slice('db-user:'.length)])
      throw new Error(`unknown secret ${name}`)
    case 'bucket': {
      const [bucket, ...key] = name.split('/')
      let arn
      if (bucket === 'private-static') arn = inventoryPath(inv, ['private_bucket', 'arn'])
      else if (bucket === 'static') arn = staticSite(inv, 'bucket_arn')
      else throw new Error(`unknown bucket ${bucket}`)
      return key.length ? `${arn}/${key.join('/')}` : arn
    }
    case 'key':
      switch (name) {
        case 'tables': return inventoryPath(inv, ['table_kms_key_arn'])
        case 'topics': return inventoryPath(inv, ['topic_kms_key_arn'])
        case 'private-static': return inventoryPath(inv, ['private_bucket', 'kms_key_arn'])
        case 'alarms': return inventoryPath(inv, ['alarms', 'kms_key_arn'])
        case 'database': return inventoryPath(inv, ['database', 'secret_kms_key_arn'])
        case 'static': return staticSite(inv, 'kms_key_arn')
        default:
          if (name.startsWith('queue:')) {
            const w = name.slice('queue:'.length)
            return copilot(inv, 'queue_key_arns')[w] ?? na(`${w}'s queue is not under an adopted Copilot key in this root`, 'cutover')
          }
          throw new Error(`unknown key ${name}`)
      }
    case 'ses': return inventoryPath(inv, ['ses_identity_arn'])
    case 'distribution': return cloudFrontArn(inventoryPath(inv, ['private_bucket', 'distribution_arn']))
    case 'static-distribution': return cloudFrontArn(staticSite(inv, 'distribution_arn'))
    case 'other-distribution': return `arn:aws:cloudfront::${account}:distribution/E0THERDISTRIB`
    case 'other-account-topic': return `arn:aws:sns:${region}:999999999999:${name}`
    case 'role': {
      if (name === 'schedules') return inventoryPath(inv, ['scheduler_role_arn'])
      if (name === 'rds-proxy') return inventoryPath(inv, ['database', 'proxy_role_arn'])
      if (name === 'chatbot') return chatbotRole(inv)
      const [w, which] = name.split(':')
      if (which === 'scheduler') return inventoryPath(inv, ['job_scheduler_role_arns', w])
      return workload(inv, w)[`${which}_role_arn`] ?? unres(`inventory has no workloads.${w}.${which}_role_arn`)
    }
    case 'schedule-group': return `arn:aws:scheduler:${region}:${account}:schedule/*`
    case 'task-definition': {
      const taskRole = workload(inv, name).task_role_arn
      const defs = (index.byType.get('aws_ecs_task_definition') ?? []).filter((r) => r.values.task_role_arn === taskRole)
      if (defs.length !== 1 || !defs[0].values.arn) throw new Unresolvable(`the plan has ${defs.length} aws_ecs_task_definition with task_role_arn ${taskRole}`)
      return defs[0].values.arn
    }
    case 'cluster': return `arn:aws:ecs:${region}:${account}:cluster/${outputs.cluster_name ?? unres('the plan has no output cluster_name')}`
    case 'ecs-task': return `arn:aws:ecs:${region}:${account}:task/${outputs.cluster_name ?? unres('the plan has no output cluster_name')}/0123456789abcdef0123456789abcdef`
    case 'other-account-ecs-task': return `arn:aws:ecs:${region}:999999999999:task/${outputs.cluster_name ?? unres('the plan has no output cluster_name')}/0123456789abcdef0123456789abcdef`
    // Scheduler names the schedule group as aws:SourceArn when it assumes a role.
    case 'other-account-schedule': return `arn:aws:scheduler:${region}:999999999999:schedule-group/default`
    case 'ecr-repository': return `arn:aws:ecr:${region}:${account}:repository/${name}`
    case 'log-group': {
      const suffix = `-${name}`
      const groups = (index.byType.get('aws_cloudwatch_log_group') ?? []).filter((r) => r.values.name?.startsWith('/copilot/') && r.values.name.endsWith(suffix))
      if (groups.length !== 1) throw new Unresolvable(`the plan has ${groups.length} log groups /copilot/…${suffix}`)
      return `arn:aws:logs:${region}:${account}:log-group:${groups[0].values.name}:log-stream:copilot/${name}/0123456789abcdef`
    }
    case 'alarm': return `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`
    case 'secrets-of': {
      // secrets-of:<workload>[:except:<other>]: the other's own secrets (one
      // both are given) are left out.
      const [owner, keyword, other, ...extra] = name.split(':')
      if (keyword !== undefined && (keyword !== 'except' || !other || extra.length)) throw new Error(`${ref}: the form is secrets-of:<workload>[:except:<workload>]`)
      const secretsOf = (n) => {
        const w = workload(inv, n)
        if (!('secret_arns' in w)) throw new Unresolvable(`inventory has no workloads.${n}.secret_arns`)
        return w.secret_arns ?? []
      }
      const own = other ? new Set(secretsOf(other)) : new Set()
      const all = secretsOf(owner)
      if (all.length === 0) na(`${owner} reads no secrets in this root`, `secrets:${owner}`)
      const arns = all.filter((arn) => !own.has(arn))
      if (arns.length === 0) na(`${owner} reads no secret that ${other} is not given too`, 'secrets-shared')
      return arns
    }
    case 'arn': return name
    case '*': return '*'
    default: throw new Error(`unknown resource kind ${kind} in ${ref}`)
  }
}

// CloudFront ARNs have an empty region: arn:aws:cloudfront::<account>:distribution/<id>.
// moto 5.2.1 drops that field (arn:aws:cloudfront:<account>:...); the policies
// name the real form, so the emulator's is corrected here.
function cloudFrontArn(arn) {
  return arn.replace(/^arn:(aws[a-z-]*):cloudfront:(\d{12}):/, 'arn:$1:cloudfront::$2:')
}

// Parts a root may leave out by design are not applicable with their own
// reason (a missing inventory key is still a gap, not a skip).
function staticSite(inv, field) {
  if (!('static_site' in inv)) unres('inventory has no static_site')
  if (inv.static_site === null) na('the public static site is not in this root (static_site_enabled = false)', 'static-site')
  return inventoryPath(inv, ['static_site', field])
}

function chatbotRole(inv) {
  const alarms = inventoryPath(inv, ['alarms'])
  if (!('chatbot_role_arn' in alarms)) unres('inventory has no alarms.chatbot_role_arn')
  return alarms.chatbot_role_arn ?? na('Chatbot is not configured in this root (chatbot_enabled, or no Slack IDs)', 'chatbot')
}

/** What this root admits of Copilot's during a cutover (adoption inputs). */
function copilot(inv, field) {
  const cutover = inventoryPath(inv, ['copilot'])
  if (!(field in cutover)) unres(`inventory has no copilot.${field}`)
  return cutover[field] ?? {}
}

function na(reason, part) { throw new NotApplicable(reason, part) }
function unres(reason) { throw new Unresolvable(reason) }

/** A session of a role of the account, with the context keys AWS sets for it. */
function roleSession(kind, account, roleArn, identityPolicies, userIdPrefix) {
  const name = roleArn.split('/').pop()
  return {
    kind,
    principal: `arn:aws:sts::${account}:assumed-role/${name}/${SESSION}`,
    roleArn,
    account,
    identityPolicies,
    context: { 'aws:PrincipalArn': roleArn, 'aws:PrincipalAccount': account, 'aws:PrincipalType': 'AssumedRole', 'aws:userid': `${userIdPrefix}${name.length}:${SESSION}` },
  }
}

/**
 * A role of Copilot's that this root admits during a cutover. Its own
 * policies are Copilot's, not in the plan: only what this root's resource and
 * key policies grant it is evaluated (they name the role ARN, which suffices
 * within the account).
 */
function copilotRole(account, roleArn) {
  return roleSession('copilot-role', account, roleArn, [], 'AROACOPILOT')
}

/** The principals of a line (several for copilot-task-roles): the ARN the request is made by, its identity policies, its context. */
function resolvePrincipals(ctx, line) {
  const { inv } = ctx
  const account = inv.account_id
  switch (line.as) {
    case 'copilot-consumer': {
      const arn = copilot(inv, 'consumer_role_arns')[line.workload] ?? na(`no Copilot consumer of ${line.workload}'s queue is admitted in this root`, 'cutover')
      return [copilotRole(account, arn)]
    }
    case 'copilot-publisher': {
      const arn = copilot(inv, 'publisher_role_arns')[line.workload] ?? na(`no Copilot publisher ${line.workload} is admitted in this root`, 'cutover')
      return [copilotRole(account, arn)]
    }
    case 'copilot-task-roles': {
      const arns = copilot(inv, 'task_role_arns')
      if (!arns.length) na('no Copilot task role keeps the tables and private-static in this root', 'cutover-storage')
      return arns.map((arn) => copilotRole(account, arn))
    }
    default: return [resolvePrincipal(ctx, line)]
  }
}

/** The principal of a line: the ARN the request is made by, its identity policies, its context. */
function resolvePrincipal(ctx, line) {
  const { inv, index } = ctx
  const as = line.as ?? 'task-role'
  const account = inv.account_id
  const roleOf = (roleArn) => roleSession('role', account, roleArn, identityPoliciesOf(index, roleArn).policies, 'AROACONTRACT')
  if (as.startsWith('service:')) {
    return { kind: 'service', principal: as.slice('service:'.length), identityPolicies: [], context: { 'aws:PrincipalIsAWSService': 'true' } }
  }
  switch (as) {
    case 'task-role': return roleOf(workload(inv, line.workload).task_role_arn)
    case 'execution-role': return roleOf(workload(inv, line.workload).execution_role_arn)
    case 'scheduler-role':
      if (line.workload === 'schedules') return roleOf(inventoryPath(inv, ['scheduler_role_arn']))
      return roleOf(inventoryPath(inv, ['job_scheduler_role_arns', line.workload]))
    case 'proxy-role': return roleOf(inventoryPath(inv, ['database', 'proxy_role_arn']))
    case 'outside-account':
      return {
        kind: 'outsider',
        principal: `arn:aws:sts::999999999999:assumed-role/outsider/${SESSION}`,
        roleArn: OUTSIDER,
        account: '999999999999',
        identityPolicies: [{ name: 'outsider-allows-everything', policy: { Version: '2012-10-17', Statement: [{ Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' }] } }],
        context: { 'aws:PrincipalArn': OUTSIDER, 'aws:PrincipalAccount': '999999999999', 'aws:PrincipalType': 'AssumedRole', 'aws:userid': `AROAOUTSIDER:${SESSION}` },
      }
    default: throw new Error(`line ${line.id}: unknown principal kind ${as}`)
  }
}

function resourceAccount(arn, fallback) {
  const account = arn.split(':')[4]
  return account && /^\d{12}$/.test(account) ? account : fallback
}

/** The resource policy that governs a request on a resource ARN, if any. */
function resourcePolicyFor(index, arn, action) {
  // A role's resource policy for sts:AssumeRole* is its trust policy.
  if (action.startsWith('sts:')) {
    return index.trustPolicies.get(arn) ?? unres(`the plan has no aws_iam_role with ARN ${arn}: its trust policy is required`)
  }
  const direct = index.resourcePolicies.get(arn)
  if (direct) return direct
  if (arn.startsWith('arn:aws:s3:::')) {
    const bucket = arn.slice('arn:aws:s3:::'.length).split('/')[0]
    return index.bucketPolicies.get(bucket)
  }
  return undefined
}

/** Builds the simulation request of one line (also what SimulatePrincipalPolicy gets). */
export function buildRequest(ctx, line, resourceArn = resolveResource(ctx, line.resource), principal = resolvePrincipals(ctx, line)[0]) {
  const { inv, index } = ctx
  const account = inv.account_id
  const context = {
    'aws:SecureTransport': 'true',
    'aws:CurrentTime': CURRENT_TIME,
    'aws:RequestedRegion': inv.region,
    ...principal.context,
  }
  if (line.source) {
    context['aws:SourceArn'] = resolveResource(ctx, line.source)
    context['aws:SourceAccount'] = resourceAccount(context['aws:SourceArn'], account)
  }
  if (line.source_account) context['aws:SourceAccount'] = account
  if (line.via) {
    context['kms:ViaService'] = `${line.via}.${inv.region}.amazonaws.com`
    context['kms:CallerAccount'] = principal.account ?? account
  }
  for (const [key, value] of Object.entries(line.context ?? {})) {
    context[key] = typeof value === 'string' && value.startsWith('ref:') ? resolveResource(ctx, value.slice(4)) : String(value)
  }
  const rp = resourcePolicyFor(index, resourceArn, line.action)
  if (resourceArn.startsWith('arn:aws:kms:') && !rp) throw new Unresolvable(`the plan has no aws_kms_key ${resourceArn}: a key policy is always required (one the root does not manage comes from --external-policies)`)
  return {
    principal: principal.principal,
    principalKind: principal.kind,
    roleArn: principal.roleArn,
    action: line.action,
    resourceArn,
    resourceAccount: resourceAccount(resourceArn, account),
    context,
    identityPolicies: principal.identityPolicies,
    resourcePolicy: rp ? { name: rp.name, policy: parsePolicy(rp.policy, rp.name) } : undefined,
  }
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

function statementLabel(req, reason) {
  const stmt = reason.statementId ? reason.statementId : `statement ${reason.statementIndex}`
  if (reason.policyType === 'resource') return `${req.resourcePolicy?.name ?? 'resource policy'}#${stmt}`
  return `${reason.policyIdentifier ?? reason.policyType}#${stmt}`
}

function decidedBy(req, analysis, overall) {
  if (overall === 'Allowed') {
    const grants = getGrantReasons(analysis)
    return grants.length ? grants.map((g) => statementLabel(req, g)).join(' + ') : 'allowed without a statement (?)'
  }
  const denials = getDenialReasons(analysis)
  const explicit = denials.filter((d) => d.denialType === 'Explicit')
  if (explicit.length) return explicit.map((d) => statementLabel(req, d)).join(' + ')
  const sides = denials.map((d) => {
    if (d.policyType === 'identity') return req.identityPolicies.length ? 'no identity policy statement allows it' : 'the principal has no identity policy'
    if (d.policyType === 'resource') return req.resourcePolicy ? `no statement of ${req.resourcePolicy.name} allows it` : 'no resource policy allows it'
    return `${d.policyType} denies it`
  })
  return sides.length ? `no statement allows it (${[...new Set(sides)].join('; ')})` : 'no statement allows it'
}

export async function evaluateLine(ctx, line) {
  const base = { id: line.id, entry: line.entry, kind: line.kind ?? 'iam', workload: line.workload, effect: line.effect, action: line.action, resource: line.resource, as: line.as ?? 'task-role', why: line.why }
  const head = (arn) => `${ctx.root} ${line.id}: ${line.workload} ${line.effect} ${line.action} on ${arn}`
  if (line.envs && ctx.root && !line.envs.includes(ctx.root)) {
    return { ...base, status: 'not_applicable', reason: `the line applies to ${line.envs.join(', ')} only`, part: 'root' }
  }
  try {
    if (line.kind === 'network') return { ...base, ...evaluateNetwork(ctx, line, head) }
    const arns = [].concat(resolveResource(ctx, line.resource))
    const principals = resolvePrincipals(ctx, line)
    let first
    for (const principal of principals) {
      for (const arn of arns) {
        const one = await evaluateRequest(ctx, line, arn, principal, head)
        first ??= one
        if (one.status === 'fail') return { ...base, ...one }
      }
    }
    return { ...base, ...first, arns: arns.length > 1 ? arns : undefined, principals: principals.length > 1 ? principals.map((p) => p.roleArn) : undefined }
  } catch (err) {
    if (err instanceof NotApplicable) return { ...base, status: 'not_applicable', reason: err.message, part: err.part }
    if (err instanceof Unresolvable) return { ...base, status: 'fail', message: `${head(line.resource)}: cannot evaluate: ${err.message}` }
    throw err
  }
}

async function evaluateRequest(ctx, line, arn, principal, head) {
  const req = buildRequest(ctx, line, arn, principal)
  const simulation = {
    request: {
      principal: req.principal,
      action: req.action,
      resource: { resource: req.resourceArn, accountId: req.resourceAccount },
      contextVariables: req.context,
    },
    identityPolicies: req.identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: req.resourcePolicy?.policy,
  }
  const response = await runSimulation(simulation, { simulationMode: 'Strict' })
  if (response.resultType === 'error') {
    return { status: 'fail', arn: req.resourceArn, request: req, message: `${head(req.resourceArn)}: the simulator refused the request: ${response.errors.message} ${JSON.stringify(response.errors)}` }
  }
  if (response.resultType !== 'single') throw new Error(`line ${line.id}: expected one resource, got ${response.resultType}`)
  const overall = response.overallResult
  const by = decidedBy(req, response.result.analysis, overall)
  const allowed = overall === 'Allowed'
  const ok = line.effect === 'must' ? allowed : !allowed
  return {
    status: ok ? 'pass' : 'fail',
    arn: req.resourceArn,
    got: overall,
    decidedBy: by,
    // The identity policies' own verdict: what IAM's SimulatePrincipalPolicy
    // answers for a real account (test/contract compares them).
    identityResult: response.result.analysis.identityAnalysis?.result,
    ignoredContextKeys: response.result.ignoredContextKeys?.length ? response.result.ignoredContextKeys : undefined,
    request: req,
    message: `${head(req.resourceArn)}${principal.kind === 'copilot-role' ? ` as ${principal.roleArn}` : ''}: got ${overall}; decided by ${by}`,
  }
}

// ---------------------------------------------------------------------------
// Network lines: security-group rules of the plan
// ---------------------------------------------------------------------------

/** The security group of a network endpoint name (sg:<workload>, alb, proxy, cluster, cache). */
function securityGroup(ctx, name) {
  const { inv, index, outputs } = ctx
  const groups = index.byType.get('aws_security_group') ?? []
  const byAddress = (pattern, why) => {
    const found = groups.filter((g) => pattern.test(g.address))
    if (found.length !== 1 || !found[0].values.id) throw new Unresolvable(`the plan has ${found.length} security groups matching ${pattern} (${why})`)
    return { id: found[0].values.id, address: found[0].address }
  }
  if (name.startsWith('sg:')) {
    const w = name.slice(3)
    workload(inv, w) // the workload exists in this root
    const module = inv.workloads[w].kind === 'worker' ? 'worker' : inv.workloads[w].kind === 'job' ? 'job' : 'web_service'
    return byAddress(new RegExp(`^module\\.${module}\\["${w}"\\]\\.module\\.task\\.aws_security_group\\.this$`), `${w}'s tasks`)
  }
  switch (name) {
    case 'alb': return byAddress(/^module\.edge\.aws_security_group\.alb$/, 'the load balancer')
    case 'proxy':
      inventoryPath(inv, ['database'])
      return byAddress(/^module\.aurora\[0\]\.aws_security_group\.proxy$/, 'RDS Proxy')
    case 'cluster':
      inventoryPath(inv, ['database'])
      return byAddress(/^module\.aurora\[0\]\.aws_security_group\.cluster$/, 'Aurora cluster')
    case 'cache':
      if (outputs.switched_off && Object.keys(outputs.switched_off).some((part) => /valkey|add-ons/i.test(part))) {
        throw new NotApplicable(`the cache is switched off in this root (${Object.entries(outputs.switched_off).filter(([p]) => /valkey|add-ons/i.test(p)).map(([, s]) => s).join(', ')})`, 'cache')
      }
      return byAddress(/^module\.valkey\[0\]\.aws_security_group\.this$/, 'Valkey')
    default: throw new Error(`unknown network endpoint ${name}`)
  }
}

/** Rules of the plan, normalized: {sg, direction, protocol, from, to, peerSg, cidr, address}. */
function securityGroupRules(index) {
  if (index.sgRules) return index.sgRules
  const rules = []
  const proto = (p) => String(p ?? '-1').toLowerCase().replace(/^6$/, 'tcp')
  for (const r of index.byType.get('aws_vpc_security_group_ingress_rule') ?? []) rules.push(ruleOf(r, 'ingress', proto))
  for (const r of index.byType.get('aws_vpc_security_group_egress_rule') ?? []) rules.push(ruleOf(r, 'egress', proto))
  for (const r of index.byType.get('aws_security_group_rule') ?? []) {
    const v = r.values
    rules.push({ sg: v.security_group_id, direction: v.type, protocol: proto(v.protocol), from: v.from_port, to: v.to_port, peerSg: v.source_security_group_id ?? (v.self ? v.security_group_id : undefined), cidr: [...(v.cidr_blocks ?? []), ...(v.ipv6_cidr_blocks ?? [])][0], address: r.address })
  }
  for (const g of index.byType.get('aws_security_group') ?? []) {
    for (const direction of ['ingress', 'egress']) {
      for (const [i, b] of (g.values[direction] ?? []).entries()) {
        for (const peer of b.security_groups ?? []) rules.push({ sg: g.values.id, direction, protocol: proto(b.protocol), from: b.from_port, to: b.to_port, peerSg: peer, address: `${g.address}.${direction}[${i}]` })
        for (const cidr of [...(b.cidr_blocks ?? []), ...(b.ipv6_cidr_blocks ?? [])]) rules.push({ sg: g.values.id, direction, protocol: proto(b.protocol), from: b.from_port, to: b.to_port, cidr, address: `${g.address}.${direction}[${i}]` })
        if (b.self) rules.push({ sg: g.values.id, direction, protocol: proto(b.protocol), from: b.from_port, to: b.to_port, peerSg: g.values.id, address: `${g.address}.${direction}[${i}]` })
      }
    }
  }
  index.sgRules = rules
  return rules
}

function ruleOf(r, direction, proto) {
  const v = r.values
  return { sg: v.security_group_id, direction, protocol: proto(v.ip_protocol), from: v.from_port, to: v.to_port, peerSg: v.referenced_security_group_id, cidr: v.cidr_ipv4 ?? v.cidr_ipv6, prefixList: v.prefix_list_id, address: r.address }
}

// Private (RFC 1918) and carrier-grade (RFC 6598) IPv4 space, where VPC ranges lie.
const VPC_SPACE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map(ipv4Range)

function ipv4Range(cidr) {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr)
  if (!m) return undefined
  const bits = Number(m[5])
  const base = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4])
  const size = 2 ** (32 - bits)
  const start = base - (base % size)
  return [start, start + size - 1]
}

function overlaps(a, b) { return a[0] <= b[1] && b[0] <= a[1] }

/** Whether an IPv4 range can hold a VPC's addresses (IPv6 ranges: only ::/0). */
function mayHoldVpcAddresses(cidr) {
  if (cidr === '::/0') return true
  const range = ipv4Range(cidr)
  return range !== undefined && VPC_SPACE.some((space) => overlaps(range, space))
}

/** Whether a range holds public addresses (not only VPC space). */
function reachesPublicAddresses(cidr) {
  if (cidr === '::/0') return true
  const range = ipv4Range(cidr)
  if (!range) return false
  return !VPC_SPACE.some((space) => space[0] <= range[0] && range[1] <= space[1])
}

function coversPort(rule, port) {
  if (rule.protocol === '-1' || rule.protocol === 'all') return true
  if (rule.protocol !== 'tcp') return false
  return (rule.from ?? 0) <= port && port <= (rule.to ?? 65535)
}

/**
 * A TCP connection from one security group (or any address range) to another
 * on a port: the target's ingress must admit the source group (or a CIDR),
 * and the source's egress must let it out (a rule naming the target group, or
 * a CIDR: addresses inside the VPC are not modelled finer than that).
 */
function evaluateNetwork(ctx, line, head) {
  const port = Number(String(line.action).replace(/^tcp:/, ''))
  if (!Number.isInteger(port)) throw new Error(`line ${line.id}: a network action is tcp:<port>`)
  const rules = securityGroupRules(ctx.index)
  if (line.resource === 'aws-endpoints') return evaluateEgress(line, head, securityGroup(ctx, line.from), rules, port)
  const to = securityGroup(ctx, line.resource)
  const target = `${line.resource} (${to.id}) port ${port}`
  let reachable
  let by
  if (line.from === 'any-cidr') {
    const ingress = rules.filter((r) => r.sg === to.id && r.direction === 'ingress' && (r.cidr || r.prefixList) && coversPort(r, port))
    reachable = ingress.length > 0
    by = reachable ? ingress.map((r) => `${r.address} (${r.cidr ?? r.prefixList})`).join(' + ') : `no CIDR ingress rule of ${to.address} admits it`
  } else {
    const from = securityGroup(ctx, line.from)
    // A CIDR ingress rule is taken to admit the source when the range can hold
    // VPC addresses (private or carrier-grade space, or everything): the VPC's
    // own range is not modelled finer (as for egress).
    const ingress = rules.filter((r) => r.sg === to.id && r.direction === 'ingress' && coversPort(r, port) && (r.peerSg === from.id || (r.cidr && mayHoldVpcAddresses(r.cidr))))
    const egress = rules.filter((r) => r.sg === from.id && r.direction === 'egress' && coversPort(r, port) && (r.peerSg === to.id || r.cidr))
    reachable = ingress.length > 0 && egress.length > 0
    if (reachable) by = [...ingress, ...egress].map((r) => r.address).join(' + ')
    else by = [ingress.length ? null : `no ingress rule of ${to.address} admits ${line.from} (${from.id})`, egress.length ? null : `no egress rule of ${from.address} lets it out`].filter(Boolean).join('; ')
  }
  return networkResult(line, head, target, reachable, by)
}

/** The verdict of a network line: reachable or not, against its effect. */
function networkResult(line, head, target, reachable, by) {
  const got = reachable ? 'Reachable' : 'Unreachable'
  const ok = line.effect === 'must' ? reachable : !reachable
  return { status: ok ? 'pass' : 'fail', arn: target, got, decidedBy: by, message: `${head(target)} from ${line.from}: got ${got}; decided by ${by}` }
}

/**
 * A connection from a security group to AWS's regional endpoints (through NAT
 * or an interface endpoint): the group's egress must let the port out to an
 * address range or a prefix list.
 */
function evaluateEgress(line, head, from, rules, port) {
  // AWS's public endpoints are reached through NAT, at public addresses; a
  // rule to private space (the VPC's own range) reaches them only through an
  // interface endpoint, which this check does not model.
  const egress = rules.filter((r) => r.sg === from.id && r.direction === 'egress' && coversPort(r, port) && (r.prefixList || (r.cidr && reachesPublicAddresses(r.cidr))))
  const reachable = egress.length > 0
  const by = reachable ? egress.map((r) => `${r.address} (${r.cidr ?? r.prefixList})`).join(' + ') : `no egress rule of ${from.address} lets port ${port} out to public addresses or a prefix list`
  return networkResult(line, head, `AWS endpoints port ${port}`, reachable, by)
}

export async function check({ planDoc, contract, root, only, externalPolicies }) {
  const outputs = outputsOf(planDoc)
  const inv = outputs.access_inventory
  const cases = expandContract(contract).filter((c) => !only || c.id.includes(only))
  if (!inv) {
    const message = 'the plan has no output access_inventory (or it is unknown: plan after apply)'
    return { root, total: cases.length, entries: contract.lines.length, results: cases.map((c) => ({ id: c.id, entry: c.entry, workload: c.workload, effect: c.effect, action: c.action, resource: c.resource, status: 'fail', message: `${root} ${c.id}: ${message}` })) }
  }
  const index = indexPlan(planDoc, externalPolicies)
  if (!only && contract.minimum_lines && cases.length < contract.minimum_lines) {
    throw new Error(`the contract expands to ${cases.length} lines, fewer than its minimum_lines ${contract.minimum_lines}: is the expansion broken?`)
  }
  const ctx = { inv, index, outputs, root: root ?? inv.environment }
  const results = []
  for (const line of cases) results.push(await evaluateLine(ctx, line))
  const count = (s) => results.filter((r) => r.status === s).length
  return {
    root: ctx.root,
    entries: contract.lines.length,
    total: cases.length,
    counts: { must: cases.filter((c) => c.effect === 'must').length, must_not: cases.filter((c) => c.effect === 'must_not').length },
    passed: count('pass'),
    failed: count('fail'),
    not_applicable: count('not_applicable'),
    results,
  }
}

async function main() {
  let args
  try {
    args = parseArgs(process.argv.slice(2))
  } catch (err) {
    console.error(`iam-contract: ${err.message}`)
    process.exit(2)
  }
  let planDoc, contract, externalPolicies
  try {
    planDoc = JSON.parse(readFileSync(args.plan, 'utf8'))
    contract = loadContract(args.contract)
    externalPolicies = args.externalPolicies ? JSON.parse(readFileSync(args.externalPolicies, 'utf8')) : {}
  } catch (err) {
    console.error(`iam-contract: ${err.message}`)
    process.exit(2)
  }
  const report = await check({ planDoc, contract, root: args.root, only: args.only, externalPolicies })
  if (args.format === 'json') {
    process.stdout.write(JSON.stringify(report) + '\n')
  } else {
    for (const r of report.results) {
      if (r.status === 'fail') console.log(`FAIL ${r.message}`)
      else if (r.status === 'not_applicable') console.log(`N/A  ${report.root} ${r.id}: ${r.reason}`)
    }
    console.log(`access contract (${report.root}): ${report.total} lines from ${report.entries} entries: ${report.passed} passed, ${report.failed} failed, ${report.not_applicable} not applicable`)
  }
  // exitCode, not exit(): a pipe must get the whole report first.
  process.exitCode = report.failed > 0 ? 1 : 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(`iam-contract: ${err.stack ?? err}`)
    process.exit(2)
  })
}
