package test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/gruntwork-io/terratest/modules/random"
	"github.com/gruntwork-io/terratest/modules/terraform"

	"github.com/calinks/terraform-provider-calinks/test/faults"
)

// calinksAgent marks the calls of the provider under test (its SDK application ID).
const calinksAgent = "app/terraform-provider-calinks"

// TestStagingUnderFaults applies environments/staging with its emulator
// profile through the fault proxy, which answers about 2 % of all calls
// (every provider's) with throttling or HTTP 500 during the first
// FAULTS_STAGING_FAULTED_APPLIES applies (default 1), each the apply of a
// plan made without faults. With FAULTS_STAGING_FROM=calinks the faults
// start with the first call of calinks_worker_pipeline: from the start, one
// fault upstream of every pipeline (the network, the cluster, the roles)
// stops the apply before any pipeline exists. The first apply may fail; the
// second runs without faults and must succeed and converge, and the
// endpoint may hold no queue, subscription, task definition, service or
// scalable target of the stack that state does not. hashicorp/aws gets one
// attempt per call (aws_max_retries = 1) and calinks two, so a fault fails
// an aws resource at once, and a calinks one only when its retry is faulted
// too. make faults runs both variants
// FAULTS_STAGING_RUNS times (default 5), each run with its own seed.
func TestStagingUnderFaults(t *testing.T) {
	if os.Getenv("FAULTS_STAGING") == "" {
		t.Skip("run by make faults (FAULTS_STAGING=1)")
	}
	if !emulated() {
		t.Skip("against the emulator only")
	}
	runs, faulted := 5, 1
	if n, err := strconv.Atoi(os.Getenv("FAULTS_STAGING_FAULTED_APPLIES")); err == nil && n >= 0 {
		faulted = n
	}
	if n, err := strconv.Atoi(os.Getenv("FAULTS_STAGING_RUNS")); err == nil && n > 0 {
		runs = n
	}
	// Seeds go on from FAULTS_STAGING_FIRST_SEED (default 1), so that runs
	// split over several invocations each get their own.
	firstSeed := 1
	if n, err := strconv.Atoi(os.Getenv("FAULTS_STAGING_FIRST_SEED")); err == nil && n > 0 {
		firstSeed = n
	}
	// FAULTS_STAGING_FROM=calinks holds the faults back until the pipelines'
	// first call; the default faults the whole apply.
	from := os.Getenv("FAULTS_STAGING_FROM")
	if from != "" && from != "calinks" {
		t.Fatalf("FAULTS_STAGING_FROM=%q: want calinks or nothing", from)
	}
	proxy, err := faults.NewProxy(target.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	c := environmentCase{env: "staging", addons: true}
	var table strings.Builder
	table.WriteString("\n| run | seed | applies | calls in the faulted apply (of them calinks) | faults injected (into calinks) | converged | orphans | time |\n|---|---|---|---|---|---|---|---|\n")
	for run := 1; run <= runs; run++ {
		t.Run(fmt.Sprintf("run%d", run), func(t *testing.T) {
			defer failOnPanic(t)
			start := time.Now()
			name := uniqueName("fs", random.UniqueID())
			vars := environmentVars(c, name, map[string]string{testTagKey: caseTag(name)})
			for k, v := range environmentPrerequisites(t, c, name) {
				vars[k] = v
			}
			opts := environmentOptions(t, c, vars)
			// Applies are counted here: terratest must not retry them, and
			// hashicorp/aws gets one attempt per call (a var file given after
			// the profile overrides its value).
			opts.MaxRetries, opts.RetryableTerraformErrors = 0, nil
			if err := writeFile(opts.TerraformDir+"/faults.tfvars", "aws_max_retries = 1\n"); err != nil {
				t.Fatal(err)
			}
			opts.VarFiles = append(opts.VarFiles, "faults.tfvars")
			opts.EnvVars = map[string]string{"AWS_ENDPOINT_URL": proxy.URL}
			terraform.InitContext(t, t.Context(), opts)
			defer func() {
				proxy.Reset()
				if _, err := terraform.DestroyContextE(t, t.Context(), opts); err != nil {
					t.Errorf("destroy: %v", err)
				}
				removePrerequisites(t, opts)
			}()

			seed := firstSeed + run - 1
			applies, calls, injected, pipelineCalls, onPipelines := 0, 0, 0, 0, 0
			for applies < 3 {
				applies++
				applying := opts
				proxy.Reset()
				if applies <= faulted {
					// The faults fall on the apply of a plan made without them: on
					// a plan's refresh or data sources one would stop the apply
					// before it creates anything.
					planning := *opts
					planning.PlanFilePath = filepath.Join(opts.TerraformDir, "faulted.tfplan")
					if _, err := terraform.PlanContextE(t, t.Context(), &planning); err != nil {
						t.Fatalf("plan for apply %d: %v", applies, err)
					}
					proxy.Reset()
					proxy.SetRandom(0.02, uint64(seed), faults.Throttle, faults.ServerError)
					if from == "calinks" {
						proxy.StartRandomAt(calinksAgent)
					}
					applying = &planning
				}
				_, err := terraform.ApplyContextE(t, t.Context(), applying)
				if applies <= faulted {
					calls, injected = calls+len(proxy.Calls()), injected+len(proxy.Injected())
					pipelineCalls += proxy.CallsFrom(calinksAgent)
					onPipelines += proxy.InjectedInto(calinksAgent)
				}
				if err == nil {
					break
				} else if applies == 3 {
					t.Errorf("apply %d failed: %v", applies, err)
				}
			}
			proxy.Reset() // no faults for the checks

			converged := t.Run("converged", func(t *testing.T) {
				assertConverged(t, opts, environmentDrift(environmentCase{env: "staging", addons: true}))
			})
			orphans := stackOrphans(t, name, terraform.ShowContext(t, t.Context(), opts))
			if applies > 2 {
				t.Errorf("took %d applies, want at most 2", applies)
			}
			if len(orphans) > 0 {
				t.Errorf("objects the state does not hold:\n  %s", strings.Join(orphans, "\n  "))
			}
			row := fmt.Sprintf("| %d | %d | %d | %d (%d) | %d (%d) | %v | %d | %s |\n", run, seed, applies, calls, pipelineCalls, injected, onPipelines, converged, len(orphans), time.Since(start).Round(time.Second))
			t.Log("staging under faults: " + row)
			table.WriteString(row)
		})
	}
	t.Log(table.String())
	if path := os.Getenv("FAULTS_STAGING_REPORT"); path != "" {
		_ = os.WriteFile(path, []byte(table.String()), 0o644)
	}
}

// stackOrphans lists the stack's queues, subscriptions, ACTIVE task
// definitions, services and scalable targets (their names carry the stack's
// unique name) that no attribute in state mentions.
func stackOrphans(t *testing.T, name, stateJSON string) []string {
	ctx := context.Background()
	cfg := awsConfig()
	held := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		case string:
			held[x] = true
			if i := strings.Index(x, "://"); i >= 0 { // queue URLs name the host they were reached at
				if j := strings.Index(x[i+3:], "/"); j >= 0 {
					held[x[i+3+j:]] = true
				}
			}
		}
	}
	var doc any
	if err := json.Unmarshal([]byte(stateJSON), &doc); err != nil {
		t.Fatalf("reading state: %v", err)
	}
	walk(doc)
	var out []string
	add := func(kind, id, path string) {
		if strings.Contains(id, name) && !held[id] && !held[path] {
			out = append(out, kind+" "+id)
		}
	}
	if q, err := sqs.NewFromConfig(cfg).ListQueues(ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String(name)}); err == nil {
		for _, u := range q.QueueUrls {
			path := u
			if i := strings.Index(u, "://"); i >= 0 {
				path = u[i+3+strings.Index(u[i+3:], "/"):]
			}
			add("queue", u, path)
		}
	} else {
		t.Errorf("listing queues: %v", err)
	}
	pages := sns.NewListSubscriptionsPaginator(sns.NewFromConfig(cfg), &sns.ListSubscriptionsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Errorf("listing subscriptions: %v", err)
			break
		}
		for _, s := range page.Subscriptions {
			if strings.Contains(aws.ToString(s.Endpoint), name) && !held[aws.ToString(s.SubscriptionArn)] {
				out = append(out, "subscription "+aws.ToString(s.SubscriptionArn)+" → "+aws.ToString(s.Endpoint))
			}
		}
	}
	ecsClient := ecs.NewFromConfig(cfg)
	tds := ecs.NewListTaskDefinitionsPaginator(ecsClient, &ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String(name), Status: ecstypes.TaskDefinitionStatusActive})
	for tds.HasMorePages() {
		page, err := tds.NextPage(ctx)
		if err != nil {
			t.Errorf("listing task definitions: %v", err)
			break
		}
		for _, arn := range page.TaskDefinitionArns {
			add("task-definition", arn, arn)
		}
	}
	if clusters, err := ecsClient.ListClusters(ctx, &ecs.ListClustersInput{}); err != nil {
		t.Errorf("listing clusters: %v", err)
	} else {
		for _, cluster := range clusters.ClusterArns {
			if !strings.Contains(cluster, name) {
				continue
			}
			svcs, err := ecsClient.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String(cluster), MaxResults: aws.Int32(100)})
			if err != nil {
				t.Errorf("listing services: %v", err)
				continue
			}
			for _, arn := range svcs.ServiceArns {
				add("service", arn, arn)
			}
		}
	}
	if targets, err := applicationautoscaling.NewFromConfig(cfg).DescribeScalableTargets(ctx, &applicationautoscaling.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs}); err != nil {
		t.Errorf("listing scalable targets: %v", err)
	} else {
		for _, tg := range targets.ScalableTargets {
			id := aws.ToString(tg.ResourceId)
			// A pipeline's target is held by its resource, whose id names cluster/service.
			if strings.Contains(id, name) && !held[strings.TrimPrefix(id, "service/")+"/"] {
				found := false
				for h := range held {
					if strings.HasPrefix(h, strings.TrimPrefix(id, "service/")+"/") || h == id {
						found = true
						break
					}
				}
				if !found {
					out = append(out, "scalable-target "+id)
				}
			}
		}
	}
	return out
}
