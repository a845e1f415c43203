package test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"maps"
	"math/big"
	"os"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/gruntwork-io/terratest/modules/random"
	"github.com/gruntwork-io/terratest/modules/terraform"
	tfjson "github.com/hashicorp/terraform-json"
)

// Addresses the emulator profile may leave out, each for an API the
// endpoint lacks; anything else planned differently fails.
var emulatorSwitchedOff = regexp.MustCompile(`^module\.valkey\[0\]|client_vpn|chatbot|aws_appautoscaling_|aws_cloudfront_(key_group|public_key)`)

var moduleInstance = regexp.MustCompile(`^(module\.[a-z_]+(\[[^\]]+\])?)\.`)

// TestEnvironmentMatrix plans every environment root with its real profile
// (terraform.tfvars) and with its emulator profile, and compares what they
// plan with the matrix of docs/architecture.md: the same tiers everywhere, add-ons only
// in staging and production, the public CDN only in production, imported
// VPCs in develop and customer, deletion protection everywhere, each
// worker subscribed to exactly its topics; and the emulator profile leaves
// out only what the endpoint cannot do.
func TestEnvironmentMatrix(t *testing.T) {
	t.Parallel()
	for _, c := range environmentCases {
		t.Run(c.env, func(t *testing.T) {
			defer failOnPanic(t)
			t.Parallel()
			admit(t)
			name := uniqueName("m"+c.env[:1], random.UniqueID())
			prereq := environmentPrerequisites(t, c, name)
			vars := map[string]any{"public_zone_name": zoneName(name), "extra_tags": map[string]string{testTagKey: caseTag(name)}}
			for k, v := range prereq {
				vars[k] = v
			}
			if c.addons {
				vars["private_assets_public_key_pem"] = signingPublicKey()
				// The real profile looks up the Client VPN certificates the operators import.
				for _, domain := range []string{"vpn." + profileDomain(c), "client-ca.vpn." + profileDomain(c)} {
					importTestCertificate(t, domain, caseTag(name))
				}
			}
			opts := environmentOptions(t, c, vars)
			defer removePrerequisites(t, opts)
			defer deleteTestCertificates(t, caseTag(name))

			real := planOf(t, withoutVarFiles(opts))
			checkMatrix(t, c, real)
			if onMoto() {
				t.Run("emulator-profile", func(t *testing.T) {
					if os.Getenv("CALINKS_MATRIX_REAL_ONLY") != "" {
						t.Skip("the quick run (make test-fast) plans the real profile only; make test compares the emulator profile")
					}
					emulator := planOf(t, opts)
					for addr := range real.ResourceChangesMap {
						if _, kept := emulator.ResourceChangesMap[addr]; !kept && !emulatorSwitchedOff.MatchString(addr) {
							t.Errorf("the emulator profile leaves out %s, which the endpoint could create", addr)
						}
					}
					for addr := range emulator.ResourceChangesMap {
						if _, ok := real.ResourceChangesMap[addr]; !ok {
							t.Errorf("the emulator profile adds %s", addr)
						}
					}
				})
			}
		})
	}
}

// profileDomain is the environment's domain as its terraform.tfvars sets it.
func profileDomain(c environmentCase) string {
	if c.env == "production" {
		return "mycalinks.io"
	}
	return c.env + ".mycalinks.io"
}

func withoutVarFiles(opts *terraform.Options) *terraform.Options {
	real := *opts
	real.VarFiles = nil
	return &real
}

func checkMatrix(t *testing.T, c environmentCase, plan *terraform.PlanStruct) {
	instances := map[string]bool{}
	for addr := range plan.ResourceChangesMap {
		if m := moduleInstance.FindStringSubmatch(addr); m != nil {
			instances[m[1]] = true
		}
	}
	// An imported VPC's network module only reads data: no resource to plan.
	want := []string{"module.cluster", "module.edge", "module.messaging",
		`module.web_service["pos-web-app"]`, `module.web_service["ec-web-app"]`, `module.web_service["backend-outbox"]`,
		`module.job["job-daily-calculate"]`, `module.job["job-ensure-consistency"]`, `module.job["job-temporary-task"]`}
	for _, w := range workerNames {
		want = append(want, `module.worker["`+w+`"]`)
	}
	if !c.imported {
		want = append(want, "module.network")
	}
	addons := []string{"module.aurora[0]", "module.database_user_passwords[0]", "module.valkey[0]", "module.dynamodb[0]", "module.private_assets[0]", "module.scheduled_events[0]", "module.ops[0]"}
	if c.addons {
		want = append(want, addons...)
	}
	if c.staticSite {
		want = append(want, "module.static_site[0]")
	}
	got := slices.Sorted(maps.Keys(instances))
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s plans module instances\n  %v\nwant\n  %v", c.env, got, want)
	}

	_, ownVPC := plan.ResourceChangesMap["module.network.aws_vpc.this[0]"]
	if ownVPC == c.imported {
		t.Errorf("%s: plans its own VPC = %v, want %v", c.env, ownVPC, !c.imported)
	}
	if _, ok := plan.ResourceChangesMap["module.edge.aws_wafv2_web_acl_association.alb"]; !ok {
		t.Errorf("%s: no WAF association with the ALB", c.env)
	}
	// Deletion protection is an input, on in every real profile (README,
	// "Environments"); test stacks turn it off themselves.
	protected := map[string]string{"module.edge.aws_lb.this": "enable_deletion_protection"}
	if c.addons {
		protected["module.aurora[0].aws_rds_cluster.this"] = "deletion_protection"
		for _, table := range []string{"Ec_Order", "Ec_Product", "Outbox_Ec_Order"} {
			protected[`module.dynamodb[0].aws_dynamodb_table.this["`+table+`"]`] = "deletion_protection_enabled"
		}
	}
	for addr, attr := range protected {
		change, ok := plan.ResourceChangesMap[addr]
		if !ok {
			t.Errorf("%s: plans no %s", c.env, addr)
			continue
		}
		if !plannedAttr(change, attr) {
			t.Errorf("%s: %s.%s is off, want on (deletion_protection defaults to true)", c.env, addr, attr)
		}
	}
	for _, worker := range workerNames {
		change := plan.ResourceChangesMap[`module.worker["`+worker+`"].calinks_worker_pipeline.this`]
		var topics []string
		if after, ok := change.Change.After.(map[string]any); ok {
			if subs, ok := after["subscriptions"].(map[string]any); ok {
				topics = slices.Sorted(maps.Keys(subs))
			}
		}
		var want []string
		for topic, workers := range consumers {
			if slices.Contains(workers, worker) {
				want = append(want, topic)
			}
		}
		slices.Sort(want)
		if !slices.Equal(topics, want) {
			t.Errorf("%s: %s subscribes to %v, want exactly %v", c.env, worker, topics, want)
		}
	}
}

func plannedAttr(change *tfjson.ResourceChange, attr string) bool {
	after, _ := change.Change.After.(map[string]any)
	v, _ := after[attr].(bool)
	return v
}

// importTestCertificate imports a self-signed certificate for domain into
// ACM, as the operators import the Client VPN certificates.
func importTestCertificate(t *testing.T, domain, tag string) {
	key := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))(t)
	template := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: domain}, DNSNames: []string{domain},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der := must(x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key))(t)
	keyDER := must(x509.MarshalECPrivateKey(key))(t)
	must(acm.NewFromConfig(awsConfig()).ImportCertificate(t.Context(), &acm.ImportCertificateInput{
		Certificate: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		PrivateKey:  pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
		Tags:        []acmtypes.Tag{{Key: aws.String(testTagKey), Value: aws.String(tag)}},
	}))(t)
}

func deleteTestCertificates(t *testing.T, tag string) {
	client := acm.NewFromConfig(awsConfig())
	list := must(client.ListCertificates(t.Context(), &acm.ListCertificatesInput{}))(t)
	for _, cert := range list.CertificateSummaryList {
		tags := must(client.ListTagsForCertificate(t.Context(), &acm.ListTagsForCertificateInput{CertificateArn: cert.CertificateArn}))(t)
		for _, tg := range tags.Tags {
			if aws.ToString(tg.Key) == testTagKey && aws.ToString(tg.Value) == tag {
				must(client.DeleteCertificate(t.Context(), &acm.DeleteCertificateInput{CertificateArn: cert.CertificateArn}))(t)
			}
		}
	}
}
