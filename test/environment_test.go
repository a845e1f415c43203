package test

import (
	"fmt"
	"maps"
	"testing"

	"github.com/gruntwork-io/terratest/modules/terraform"
)

// The matrix of docs/architecture.md, written out here rather than read from the code
// under test.
var (
	// consumers: which worker queues each topic must reach.
	consumers = map[string][]string{
		"item":         {"worker-item"},
		"product":      {"worker-product"},
		"transaction":  {"worker-transaction"},
		"ec-order":     {"worker-ec-order"},
		"notification": {"worker-notification"},
		"outbox":       nil,
		"external-ec":  {"worker-external-ec"},
	}
	// publishers: whose task role may publish to each topic.
	publishers = map[string]string{
		"item": "pos-web-app", "product": "pos-web-app", "transaction": "pos-web-app", "ec-order": "pos-web-app",
		"notification": "pos-web-app", "outbox": "pos-web-app", "external-ec": "backend-outbox",
	}
	workerNames = []string{"worker-item", "worker-product", "worker-transaction", "worker-ec-order", "worker-notification", "worker-external-ec", "worker-scheduled"}
)

type environmentCase struct {
	env        string
	imported   bool // the VPC is an existing one, looked up
	addons     bool // data, storage, ops, schedules
	staticSite bool // the public static CDN
	adopt      bool // built under Copilot's names first, then adopted (make adopt)
	// upgrade: a worker's settings changed, then its queue deleted out of
	// band (checkUpgradeAndDrift). In develop: an adopted worker (Copilot's
	// queue, key and service), in a root with no add-ons, whose targeted
	// applies wait on no table or distribution; with it staging was the
	// whole suite's critical path.
	upgrade bool
}

var environmentCases = []environmentCase{
	{env: "develop", imported: true, adopt: true, upgrade: true},
	{env: "customer", imported: true},
	{env: "staging", addons: true, adopt: true},
	{env: "production", addons: true, staticSite: true},
}

// environmentVars are what a test stack changes in an environment's own
// tfvars: unique names, its own public zone and (imported) VPC, tags, and
// storage that destroy may empty.
func environmentVars(c environmentCase, name string, tags map[string]string) map[string]any {
	zone := zoneName(name)
	vars := map[string]any{
		"app":                   name,
		"public_zone_name":      zone,
		"domain_name":           c.env + "." + zone,
		"extra_tags":            tags,
		"force_destroy_storage": true,
		"deletion_protection":   false,
		"dynamodb_table_prefix": name + "-",
		"vpc_cidr_block":        randomCIDR(),
	}
	if c.addons {
		vars["private_assets_public_key_pem"] = signingPublicKey()
		vars["ses_domain"] = zone
		vars["aurora"] = map[string]any{"instance_class": "db.t4g.medium", "instance_count": 1}
		if !emulated() { // a test account has neither the Slack workspace nor the VPN certificates
			vars["chatbot_enabled"], vars["client_vpn_enabled"] = false, false
		}
	}
	return vars
}

// environmentPrerequisites makes what an environment expects to exist: its
// public zone and, for develop and customer, the VPC they import.
func environmentPrerequisites(t *testing.T, c environmentCase, name string) map[string]any {
	createTestZone(t, name)
	extra := map[string]any{}
	if c.imported {
		imported := createImportedVPC(t, name)
		extra["vpc_id"] = imported.ID
		extra["imported_subnet_ids"] = map[string]any{"private": imported.Private, "public": imported.Public}
	}
	// Last of the prerequisites; a later setup step that fails leaves them to
	// the sweep (they carry the case's tag).
	maps.Copy(extra, serviceSettings(t, name))
	return extra
}

func removePrerequisites(t *testing.T, opts *terraform.Options) {
	removeServiceSettings(t, opts) // first: the zone's deletion may stop the test
	deleteTestZone(t, fmt.Sprint(opts.Vars["public_zone_name"]))
	if vpcID, ok := opts.Vars["vpc_id"].(string); ok {
		deleteImportedVPC(t, vpcID)
	}
}

func environmentOptions(t *testing.T, c environmentCase, vars map[string]any) *terraform.Options {
	dir := copyTree(t, "modules", "environments/_common", "environments/"+c.env)
	opts := tfOptions(t, dir+"/environments/"+c.env, vars) // with the suite's state backend (state.go)
	if target.ProfileVarFile != "" {
		opts.VarFiles = []string{target.ProfileVarFile}
	}
	return opts
}

// TestEnvironments applies each environment root with its emulator profile
// and checks the wiring end to end, then destroys it; develop also goes
// through an upgrade and a drift.
func TestEnvironments(t *testing.T) {
	t.Parallel()
	for _, c := range environmentCases {
		t.Run(c.env, func(t *testing.T) {
			t.Parallel()
			runStaged(t, stagedCase{
				key:        "environment-" + c.env,
				prefix:     "e" + c.env[:1],
				copy:       nil, // environmentOptions copies
				knownDrift: environmentDrift(c),
				vars:       func(name string, tags map[string]string) map[string]any { return environmentVars(c, name, tags) },
				before:     func(t *testing.T, name string) map[string]any { return environmentPrerequisites(t, c, name) },
				options:    func(t *testing.T, vars map[string]any) *terraform.Options { return environmentOptions(t, c, vars) },
				apply: func(t *testing.T, opts *terraform.Options) {
					if c.adopt {
						withCopilotEstate(t, opts, opts.Vars["app"].(string), c.env, c.addons)
						applyAdoptionPlan(t, opts)
						return
					}
					terraform.InitAndApplyContext(t, t.Context(), opts)
				},
				validate: func(t *testing.T, opts *terraform.Options, name string) {
					if c.adopt {
						checkAdopted(t, opts) // first: the later checks receive messages too
						switchTraffic(t, opts)
					}
					checkTopicsReachTheirWorkers(t, opts)
					checkDeadLetterQueue(t, opts)
					checkSchedules(t, c, opts)
					checkStaticSite(t, c, opts, name)
					checkNetwork(t, c, opts, name)
					checkCreateBeforeDestroyContained(t, opts)
					checkNginxSidecar(t, opts)
					checkServiceSettings(t, opts, name)
					checkAccessContract(t, c, opts)
					if c.upgrade {
						checkUpgradeAndDrift(t, opts)
					}
				},
				after: func(t *testing.T, opts *terraform.Options) {
					removeCopilotEstate(opts)
					removePrerequisites(t, opts)
				},
			})
		})
	}
}
